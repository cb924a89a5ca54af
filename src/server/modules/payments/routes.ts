/**
 * The office's payment desk: record offline payments (cash, bank transfer, campus card) with an
 * idempotency key, list them, print receipts, refund, and ask the provider about a pending online
 * order. Every id is looked up inside the actor's school: another school's answers 404.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { payments, refunds } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { assertTermOpen } from '../ledger';
import { presentPayment, presentRefund } from './presenter';
import { providerOf } from './provider';
import { paymentById, receiptOf, refundsOf } from './queries';
import {
  checkPupilTerm,
  dueOf,
  lockPupilTerm,
  OFFLINE_METHODS,
  postRefund,
  recordOfflinePayment,
  refundableOf,
  settleOnline,
  totalsOf,
} from './service';

const idParams = z.object({ id: z.uuid() });
const fenAmount = z.number().int('金额必须是整数分').positive('金额必须大于零').max(100_000_000);
const idemHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).loose();

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/payments',
    {
      config: { policy: allow('payment.read') },
      schema: {
        tags: ['payments'],
        summary: '收款记录（按学期、学生、方式、状态筛选）',
        querystring: z.object({
          termId: z.uuid().optional(),
          studentId: z.uuid().optional(),
          method: z.enum([...OFFLINE_METHODS, 'online']).optional(),
          status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']).optional(),
          q: z.string().trim().max(50).optional(),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const q = req.query;
      const where = sql.join(
        [
          sql`p.school_id = ${schoolId}`,
          q.termId ? sql`p.term_id = ${q.termId}` : sql`true`,
          q.studentId ? sql`p.student_id = ${q.studentId}` : sql`true`,
          q.method ? sql`p.method = ${q.method}` : sql`true`,
          q.status ? sql`p.status = ${q.status}` : sql`true`,
          q.q ? sql`(s.name LIKE ${`%${q.q}%`} OR s.student_no LIKE ${`%${q.q}%`} OR p.receipt_no LIKE ${`%${q.q}%`})` : sql`true`,
        ],
        sql` AND `,
      );
      const rows = await queryRows<{ id: string; student_name: string; class_name: string | null; term_name: string; total: number }>(
        db,
        sql`SELECT p.id, s.name AS student_name, c.name AS class_name, t.name AS term_name, count(*) OVER ()::int AS total
              FROM payments p
              JOIN students s ON s.school_id = p.school_id AND s.id = p.student_id
              JOIN terms t ON t.school_id = p.school_id AND t.id = p.term_id
              LEFT JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
             WHERE ${where}
             ORDER BY p.created_at DESC, p.id
             LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      );
      const ids = rows.map((r) => r.id);
      const full = ids.length
        ? await db.select().from(payments).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} IN ${ids}`)
        : [];
      const byId = new Map(full.map((p) => [p.id, p]));
      return {
        total: rows[0]?.total ?? 0,
        items: rows.map((r) =>
          presentPayment(byId.get(r.id) as (typeof full)[number], {
            studentName: r.student_name,
            className: r.class_name ?? '',
            termName: r.term_name,
          }),
        ),
      };
    },
  );

  app.get(
    '/payments/pupils/:studentId/terms/:termId',
    {
      config: { policy: allow('payment.read') },
      schema: { tags: ['payments'], summary: '某生某学期：应缴、已缴、已退', params: z.object({ studentId: z.uuid(), termId: z.uuid() }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const { studentId, termId } = req.params;
      const pupil = await checkPupilTerm(db, schoolId, studentId, termId);
      const [due, totals] = await Promise.all([dueOf(db, schoolId, termId, studentId), totalsOf(db, schoolId, termId, studentId)]);
      return { studentId, termId, studentName: pupil.name, dueFen: due, ...totals };
    },
  );

  app.post(
    '/payments',
    {
      config: { policy: allow('payment.write') },
      schema: {
        tags: ['payments'],
        summary: '登记线下收款（现金、银行转账、校园卡）；带 Idempotency-Key 的重放不会重复收款',
        headers: idemHeaders,
        body: z
          .object({
            studentId: z.uuid(),
            termId: z.uuid(),
            invoiceId: z.uuid().nullish(),
            method: z.enum(OFFLINE_METHODS),
            amountFen: fenAmount,
            externalRef: z.string().trim().max(100).nullish(),
            note: z.string().trim().max(500).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const { payment, replayed } = await db.transaction((tx) =>
        recordOfflinePayment(tx, actor, schoolId, { ...req.body, idempotencyKey: req.headers['idempotency-key'] ?? null }),
      );
      reply.code(replayed ? 200 : 201);
      return { payment: presentPayment(payment), replayed };
    },
  );

  app.get(
    '/payments/:id',
    { config: { policy: allow('payment.read') }, schema: { tags: ['payments'], summary: '收款详情与退款记录', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const p = await paymentById(db, schoolId, req.params.id);
      const list = await refundsOf(db, schoolId, p.id);
      return { payment: presentPayment(p), refunds: list.map(presentRefund), refundableFen: await refundableOf(db, schoolId, p) };
    },
  );

  app.get(
    '/payments/:id/receipt',
    { config: { policy: allow('payment.read') }, schema: { tags: ['payments'], summary: '收据（可打印）', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return receiptOf(db, schoolId, await paymentById(db, schoolId, req.params.id));
    },
  );

  app.post(
    '/payments/:id/refunds',
    {
      config: { policy: allow('payment.refund') },
      schema: {
        tags: ['payments'],
        summary: '退款：不超过已付减已退；线上支付经支付平台原路退回',
        params: idParams,
        headers: idemHeaders,
        body: z.object({ amountFen: fenAmount, reason: z.string().trim().min(1).max(300) }).strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const key = req.headers['idempotency-key'] ?? null;
      const { amountFen, reason } = req.body;
      const first = await db.transaction(async (tx) => {
        const found = await paymentById(tx, schoolId, req.params.id);
        await lockPupilTerm(tx, schoolId, found.studentId, found.termId);
        if (key) {
          const [r] = await tx.select().from(refunds).where(sql`${refunds.schoolId} = ${schoolId} AND ${refunds.idempotencyKey} = ${key}`);
          if (r) {
            if (r.paymentId !== found.id || r.amountFen !== amountFen)
              throw new AppError(409, 'IDEMPOTENCY_MISMATCH', '同一幂等键已用于另一笔不同的退款');
            return { payment: found, refund: r, replayed: true };
          }
        }
        if (found.status !== 'succeeded') throw new AppError(409, 'PAYMENT_NOT_SETTLED', '该笔收款未成功，不能退款');
        await assertTermOpen(tx, schoolId, found.termId);
        const left = await refundableOf(tx, schoolId, found);
        if (amountFen > left)
          throw new AppError(422, 'REFUND_EXCEEDS_PAID', `退款金额超过可退金额（最多可退 ${(left / 100).toFixed(2)} 元）`);
        const online = found.method === 'online';
        const [refund] = await tx
          .insert(refunds)
          .values({
            schoolId,
            id: newId(),
            paymentId: found.id,
            amountFen,
            reason,
            status: online ? 'pending' : 'succeeded',
            idempotencyKey: key,
            recordedBy: actor.accountId,
          })
          .returning();
        if (!online) await postRefund(tx, actor.accountId, found, refund);
        await audit(tx, actor, schoolId, {
          action: online ? 'refund.request' : 'refund.record',
          entity: 'refund',
          entityId: refund.id,
          detail: { paymentId: found.id, amountFen, reason },
        });
        return { payment: found, refund, replayed: false };
      });
      let refund = first.refund;
      if (!first.replayed && refund.status === 'pending') refund = await refundOnline(first.payment, refund);
      reply.code(first.replayed ? 200 : 201);
      return { refund: presentRefund(refund), replayed: first.replayed };

      // The provider is called outside the database transaction; its answer is recorded in a second one.
      async function refundOnline(p: typeof first.payment, r: typeof first.refund) {
        let result: { refundId: string; status: string };
        try {
          result = await providerOf().refund({ orderId: p.externalRef ?? '', outRefundNo: r.id, amountFen: r.amountFen, reason: r.reason });
        } catch (e) {
          await db.transaction(async (tx) => {
            await tx.update(refunds).set({ status: 'failed' }).where(sql`${refunds.schoolId} = ${schoolId} AND ${refunds.id} = ${r.id}`);
            await audit(tx, actor, schoolId, {
              action: 'refund.failed',
              entity: 'refund',
              entityId: r.id,
              detail: { error: (e as Error).message },
            });
          });
          throw e;
        }
        return db.transaction(async (tx) => {
          const ok = result.status === 'succeeded';
          const [updated] = await tx
            .update(refunds)
            .set({ status: ok ? 'succeeded' : 'failed', externalRef: result.refundId })
            .where(sql`${refunds.schoolId} = ${schoolId} AND ${refunds.id} = ${r.id}`)
            .returning();
          if (ok) await postRefund(tx, actor.accountId, p, updated);
          await audit(tx, actor, schoolId, {
            action: ok ? 'refund.record' : 'refund.failed',
            entity: 'refund',
            entityId: r.id,
            detail: { refundId: result.refundId },
          });
          return updated;
        });
      }
    },
  );

  app.post(
    '/payments/:id/sync',
    {
      config: { policy: allow('payment.write') },
      schema: { tags: ['payments'], summary: '向支付平台查询待支付的线上订单；已支付则入账', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const p = await paymentById(db, schoolId, req.params.id);
      if (p.method !== 'online' || !p.externalRef) throw new AppError(409, 'NOT_ONLINE', '只有线上订单可以查询支付平台');
      if (p.status !== 'pending') return { payment: presentPayment(p), providerStatus: null, settled: false };
      const order = await providerOf().queryOrder(p.externalRef);
      if (order.status !== 'paid') return { payment: presentPayment(p), providerStatus: order.status, settled: false };
      const { payment, replayed } = await db.transaction(async (tx) => {
        const r = await settleOnline(tx, schoolId, { orderId: order.orderId, outTradeNo: order.outTradeNo, amountFen: order.amountFen });
        await audit(tx, actor, schoolId, { action: 'payment.sync', entity: 'payment', entityId: p.id, detail: { orderId: order.orderId } });
        return r;
      });
      return { payment: presentPayment(payment), providerStatus: order.status, settled: !replayed };
    },
  );
};
