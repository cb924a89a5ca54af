/**
 * Channels deliver one notification to one recipient outside the app. The in-app inbox needs no
 * delivery (the notification row is it). Adapters for SMS or WeChat template messages implement
 * `Channel` in ./adapters/ and are listed in CHANNELS (see README, 通知外发渠道).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { emailChannel } from './email';

export interface Delivery {
  id: string;
  schoolId: string;
  notificationId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  payload: Record<string, unknown>;
  createdAt: string;
  recipient: { accountId: string; displayName: string; phone: string | null };
}

export interface Channel {
  kind: 'webhook' | 'email' | 'sms' | 'wechat';
  /** the shape of the school's settings for this channel (validated when the office saves them) */
  config: z.ZodType;
  /** resolves when the other side accepted the message; throws with a readable reason otherwise */
  send(d: Delivery, config: Record<string, unknown>): Promise<void>;
}

export const webhookConfig = z
  .object({
    url: z.url({ protocol: /^https?$/, error: '请填写 http(s) 地址' }).max(500),
    secret: z.string().min(16, '签名密钥至少 16 个字符').max(200),
    timeoutMs: z.number().int().min(500).max(30_000).default(5_000),
  })
  .strict();

/** The signature a receiver recomputes: HMAC-SHA256 over `${timestamp}.${body}` with the shared secret. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** HTTP POST of the notification as JSON; 2xx is delivered, anything else (or the timeout) a failure. */
export const webhookChannel: Channel = {
  kind: 'webhook',
  config: webhookConfig,
  async send(d, raw) {
    const cfg = webhookConfig.parse(raw);
    const body = JSON.stringify({
      deliveryId: d.id,
      notificationId: d.notificationId,
      schoolId: d.schoolId,
      kind: d.kind,
      title: d.title,
      body: d.body,
      link: d.link,
      payload: d.payload,
      createdAt: d.createdAt,
      recipient: d.recipient,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(cfg.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-kehou-delivery': d.id,
        'x-kehou-timestamp': timestamp,
        'x-kehou-signature': sign(cfg.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(cfg.timeoutMs),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  },
};

/** The wired channels by kind; an SMS or WeChat adapter is added here (see ./adapters/README.md). */
export const CHANNELS: Record<string, Channel> = { webhook: webhookChannel, email: emailChannel };
