/**
 * Signing the messages between the school and the payment provider (both directions): an
 * HMAC-SHA256 over `timestamp.body` with the shared secret, sent as `x-pay-signature: t=…,v1=…`
 * (the scheme Stripe and WeChat Pay v3 use in spirit). A signature older than five minutes is
 * refused, so a captured notification cannot be replayed much later; replays within the window
 * change nothing because settling a payment is idempotent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-pay-signature';
const TOLERANCE_SECONDS = 300;

export function sign(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** True when `header` is a valid, fresh signature of `body`. */
export function verify(secret: string, body: string, header: string | undefined, now = Date.now()): boolean {
  if (!header || !secret) return false;
  const parts = Object.fromEntries(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > TOLERANCE_SECONDS) return false;
  if (!/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}
