/**
 * The guardian's pick-up code for one child and one day (P1: the picker's identity checked). Two
 * forms, both signed with the school's secret (HMAC-SHA256), so any server process can check them
 * without storing them:
 *  - the QR token `KH1.<school>.<student>.<guardian>.<day>.<expires>.<sig>` — it names the school, so a
 *    foreign school's code is refused by name, and expires after TOKEN_TTL_S;
 *  - an 8-digit code to type when there is no camera, derived from the same claims and a 10-minute
 *    window (the current and the previous window are accepted), checked against the pupil's guardians.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOKEN_TTL_S = 10 * 60;
export const WINDOW_MS = 10 * 60_000;

export interface PickupClaims {
  schoolId: string;
  studentId: string;
  guardianId: string;
  day: string;
  /** unix seconds */
  expires: number;
}

export type VerifyResult =
  | { ok: true; claims: PickupClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'other_school' | 'other_day' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const mac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest();

function body(c: PickupClaims) {
  return `KH1.${c.schoolId}.${c.studentId}.${c.guardianId}.${c.day}.${c.expires}`;
}

export function signPickupToken(secret: string, c: PickupClaims): string {
  const b = body(c);
  return `${b}.${mac(secret, b).subarray(0, 18).toString('base64url')}`;
}

/** Checks form, school, signature, day and expiry, in that order (a foreign school's secret is not ours to try). */
export function verifyPickupToken(secret: string, token: string, now: number, expect: { schoolId: string; day: string }): VerifyResult {
  const parts = token.trim().split('.');
  if (parts.length !== 7 || parts[0] !== 'KH1') return { ok: false, reason: 'malformed' };
  const [, schoolId, studentId, guardianId, day, exp, sig] = parts;
  if (![schoolId, studentId, guardianId].every((u) => UUID.test(u)) || !DAY.test(day) || !/^\d{1,12}$/.test(exp))
    return { ok: false, reason: 'malformed' };
  if (schoolId !== expect.schoolId) return { ok: false, reason: 'other_school' };
  const claims: PickupClaims = { schoolId, studentId, guardianId, day, expires: Number(exp) };
  const want = mac(secret, body(claims)).subarray(0, 18);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'bad_signature' };
  if (day !== expect.day) return { ok: false, reason: 'other_day' };
  if (claims.expires * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** The 8-digit code of a guardian for a pupil, day and 10-minute window. */
export function shortCode(secret: string, schoolId: string, studentId: string, guardianId: string, day: string, window: number): string {
  const n = mac(secret, `short.${schoolId}.${studentId}.${guardianId}.${day}.${window}`).readUInt32BE(0) % 100_000_000;
  return String(n).padStart(8, '0');
}

export const windowOf = (now: number) => Math.floor(now / WINDOW_MS);

/** Which of the guardians the typed code belongs to (current or previous window), or null. */
export function matchShortCode(
  secret: string,
  code: string,
  now: number,
  c: { schoolId: string; studentId: string; day: string; guardianIds: readonly string[] },
): string | null {
  const typed = code.replace(/\s+/g, '');
  if (!/^\d{8}$/.test(typed)) return null;
  const w = windowOf(now);
  for (const g of c.guardianIds)
    for (const win of [w, w - 1]) {
      const want = shortCode(secret, c.schoolId, c.studentId, g, c.day, win);
      if (timingSafeEqual(Buffer.from(want), Buffer.from(typed))) return g;
    }
  return null;
}
