/**
 * The e-mail channel over SMTP (nodemailer). Accounts carry no e-mail address yet, so each
 * notification goes to the school's mailbox (`to`: the office, or an archive that forwards), with
 * the recipient named in the subject; X-Kehou-Delivery lets a mailbox rule drop a replay.
 */
import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Channel } from './channels';

export const emailConfig = z
  .object({
    host: z.string().trim().min(1, '请填写 SMTP 服务器').max(200),
    port: z.number().int().min(1).max(65_535).default(465),
    /** TLS from the start (465); otherwise STARTTLS when the server offers it */
    secure: z.boolean().default(true),
    user: z.string().max(200).default(''),
    pass: z.string().max(200).default(''),
    from: z.email('发件地址不正确').max(200),
    to: z.email('收件地址不正确').max(200),
    timeoutMs: z.number().int().min(500).max(60_000).default(10_000),
  })
  .strict();

export const emailChannel: Channel = {
  kind: 'email',
  config: emailConfig,
  async send(d, raw) {
    const cfg = emailConfig.parse(raw);
    const transport = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.secure,
      auth: cfg.user ? { user: cfg.user, pass: cfg.pass } : undefined,
      connectionTimeout: cfg.timeoutMs,
      greetingTimeout: cfg.timeoutMs,
      socketTimeout: cfg.timeoutMs,
    });
    try {
      await transport.sendMail({
        from: cfg.from,
        to: cfg.to,
        subject: `[课后] ${d.title}（${d.recipient.displayName}）`,
        text: `${d.recipient.displayName}：\n\n${d.body || d.title}\n\n${d.createdAt}`,
        headers: { 'X-Kehou-Delivery': d.id, 'X-Kehou-Kind': d.kind },
      });
    } finally {
      transport.close();
    }
  },
};
