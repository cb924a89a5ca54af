/**
 * The provider's notification that an online order was paid (public: the provider has no session).
 * Trusted only with a valid HMAC signature over the raw body; the order must be this school's and
 * the amount the order's. A repeat changes nothing and answers 200, so the provider stops retrying.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowPublic } from '../../authz/policy';
import { queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { notificationSchema, payConfig, providerOf } from './provider';
import { settleOnline } from './service';
import { SIGNATURE_HEADER } from './signature';

export const notifyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  // The signature covers the exact bytes sent: keep the body as text (local to this plugin).
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    '/payments/notify/:schoolCode',
    {
      config: { policy: allowPublic },
      schema: {
        tags: ['payments'],
        summary: '支付平台的支付成功通知（签名校验；重复通知不重复入账）',
        params: z.object({ schoolCode: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/) }),
        headers: z.object({ [SIGNATURE_HEADER]: z.string().max(200).optional() }).loose(),
        body: z.string().max(64 * 1024),
      },
    },
    async (req) => {
      // malformed notifications are the sender's error (400) whatever the configuration
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body);
      } catch {
        throw new AppError(400, 'VALIDATION', '通知内容不是有效的 JSON');
      }
      if (!notificationSchema.safeParse(parsed).success) throw new AppError(400, 'VALIDATION', '通知内容不完整');
      const notification = providerOf(payConfig()).verifyNotification(req.body, req.headers[SIGNATURE_HEADER]);
      if (!notification) throw new AppError(401, 'BAD_SIGNATURE', '通知签名无效或已过期');
      const [school] = await queryRows<{ id: string; code: string }>(
        db,
        sql`SELECT id, code FROM schools WHERE upper(code) = ${req.params.schoolCode.toUpperCase()}`,
      );
      if (!school) throw notFound('学校');
      if (notification.merchantId.toUpperCase() !== school.code.toUpperCase()) throw notFound('支付订单');
      if (!z.uuid().safeParse(notification.outTradeNo).success) throw notFound('支付订单');
      const { payment, replayed } = await db.transaction((tx) => settleOnline(tx, school.id, notification));
      return { code: 'SUCCESS', paymentId: payment.id, receiptNo: payment.receiptNo, replayed };
    },
  );
};
