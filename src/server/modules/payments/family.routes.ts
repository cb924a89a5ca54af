/**
 * The guardian's money on the phone: per child and term the invoices with their lines, what is
 * paid and what is due, paying online through the provider, receipts, and applying for a waiver
 * (N14; the office decides). Only the guardian's own children (familyScope), after consent (N22).
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { payments, waivers } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { consentRequired } from '../auth/service';
import { assertTermOpen, isTermClosed } from '../ledger';
import { familyScope, permittedStudentIds } from '../roster/scope';
import { presentPayment } from './presenter';
import { payConfig, providerOf } from './provider';
import { paymentById, receiptOf } from './queries';
import { checkPupilTerm, dueOf, lockPupilTerm, totalsOf } from './service';

export const WAIVER_CATEGORIES = ['dibao', 'poor_household', 'disability', 'orphan', 'other'] as const;
const childTerm = z.object({ studentId: z.uuid(), termId: z.uuid() });

async function ownChild(db: Db, actor: Actor, studentId: string) {
  if (await consentRequired(db, actor)) throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
  const ok = await permittedStudentIds(db, actor, [studentId], familyScope);
  if (!ok.has(studentId)) throw notFound('学生');
}

function presentWaiver(w: typeof waivers.$inferSelect) {
  return {
    id: w.id,
    termId: w.termId,
    studentId: w.studentId,
    source: w.source,
    category: w.category,
    basisPoints: w.basisPoints,
    status: w.status,
    reason: w.reason,
    decisionNote: w.decisionNote,
    decidedAt: w.decidedAt?.toISOString() ?? null,
    createdAt: w.createdAt.toISOString(),
  };
}

export const familyMoneyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/family/money',
    { config: { policy: allow('family.read') }, schema: { tags: ['family'], summary: '我的孩子：各学期应缴与已缴' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      if (await consentRequired(db, actor)) throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
      const children = await queryRows<{ id: string; name: string; class_name: string | null }>(
        db,
        sql`SELECT s.id, s.name, c.name AS class_name FROM students s
              LEFT JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
             WHERE s.school_id = ${schoolId} AND s.active AND s.id IN (
               SELECT sg.student_id FROM student_guardians sg JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
                WHERE sg.school_id = ${schoolId} AND g.account_id = ${actor.accountId})
             ORDER BY s.name`,
      );
      const ids = children.map((c) => c.id);
      // a child's terms: those with a bill, a payment, a waiver or a place, newest first
      const terms = ids.length
        ? await queryRows<{ student_id: string; term_id: string; name: string; starts_on: string; due: string; invoices: number }>(
            db,
            sql`SELECT x.student_id, t.id AS term_id, t.name, t.starts_on::text,
                       COALESCE((SELECT SUM(amount_fen) FROM ledger_entries l WHERE l.school_id = t.school_id AND l.term_id = t.id
                                   AND l.student_id = x.student_id AND l.account = 'receivable.guardian'), 0)::text AS due,
                       (SELECT count(*)::int FROM invoices i WHERE i.school_id = t.school_id AND i.term_id = t.id
                           AND i.student_id = x.student_id AND i.status = 'issued') AS invoices
                  FROM (SELECT DISTINCT student_id, term_id FROM (
                          SELECT student_id, term_id FROM invoices WHERE school_id = ${schoolId} AND student_id IN ${ids}
                          UNION SELECT student_id, term_id FROM payments WHERE school_id = ${schoolId} AND student_id IN ${ids}
                          UNION SELECT student_id, term_id FROM waivers WHERE school_id = ${schoolId} AND student_id IN ${ids}
                          UNION SELECT student_id, term_id FROM enrollments WHERE school_id = ${schoolId} AND student_id IN ${ids}
                        ) u) x
                  JOIN terms t ON t.school_id = ${schoolId} AND t.id = x.term_id
                 ORDER BY t.starts_on DESC`,
          )
        : [];
      return {
        children: children.map((c) => ({
          id: c.id,
          name: c.name,
          className: c.class_name ?? '',
          terms: terms
            .filter((t) => t.student_id === c.id)
            .map((t) => ({ termId: t.term_id, termName: t.name, dueFen: Number(t.due), invoices: t.invoices })),
        })),
      };
    },
  );

  app.get(
    '/family/money/:studentId/terms/:termId',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['family'], summary: '孩子某学期的账单明细、已缴、应缴、收据与减免申请', params: childTerm },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { studentId, termId } = req.params;
      await ownChild(db, actor, studentId);
      const pupil = await checkPupilTerm(db, schoolId, studentId, termId);
      const [term] = await queryRows<{ name: string }>(db, sql`SELECT name FROM terms WHERE school_id = ${schoolId} AND id = ${termId}`);
      const invoiceRows = await queryRows<{
        id: string;
        number: string;
        period_key: string;
        status: string;
        total_fen: string;
        due_date: string | null;
        issued_at: Date;
      }>(
        db,
        sql`SELECT id, number, period_key, status, total_fen::text, due_date, issued_at FROM invoices
             WHERE school_id = ${schoolId} AND term_id = ${termId} AND student_id = ${studentId} AND status <> 'void'
             ORDER BY period_key, number`,
      );
      const invoiceIds = invoiceRows.map((i) => i.id);
      const lines = invoiceIds.length
        ? await queryRows<{
            invoice_id: string;
            idx: number;
            kind: string;
            description: string;
            quantity: number;
            unit_fen: string;
            amount_fen: string;
          }>(
            db,
            sql`SELECT invoice_id, idx, kind, description, quantity, unit_fen::text, amount_fen::text FROM invoice_lines
                 WHERE school_id = ${schoolId} AND invoice_id IN ${invoiceIds} ORDER BY invoice_id, idx`,
          )
        : [];
      const [due, totals, closed, payRows, waiverRows] = await Promise.all([
        dueOf(db, schoolId, termId, studentId),
        totalsOf(db, schoolId, termId, studentId),
        isTermClosed(db, schoolId, termId),
        db
          .select()
          .from(payments)
          .where(sql`${payments.schoolId} = ${schoolId} AND ${payments.termId} = ${termId} AND ${payments.studentId} = ${studentId}`)
          .orderBy(payments.createdAt),
        db
          .select()
          .from(waivers)
          .where(sql`${waivers.schoolId} = ${schoolId} AND ${waivers.termId} = ${termId} AND ${waivers.studentId} = ${studentId}`)
          .orderBy(waivers.createdAt),
      ]);
      return {
        student: { id: studentId, name: pupil.name },
        term: { id: termId, name: term.name, closed },
        invoices: invoiceRows.map((i) => ({
          id: i.id,
          number: i.number,
          periodKey: i.period_key,
          status: i.status,
          totalFen: Number(i.total_fen),
          dueDate: i.due_date,
          issuedAt: new Date(i.issued_at).toISOString(),
          lines: lines
            .filter((l) => l.invoice_id === i.id)
            .map((l) => ({
              kind: l.kind,
              description: l.description,
              quantity: l.quantity,
              unitFen: Number(l.unit_fen),
              amountFen: Number(l.amount_fen),
            })),
        })),
        dueFen: due,
        ...totals,
        payments: payRows.filter((p) => p.status !== 'failed' && p.status !== 'cancelled').map((p) => presentPayment(p)),
        waivers: waiverRows.map(presentWaiver),
        onlineEnabled: !!payConfig().providerUrl && !closed,
      };
    },
  );

  app.post(
    '/family/money/:studentId/terms/:termId/pay',
    {
      config: { policy: allow('family.pay') },
      schema: {
        tags: ['family'],
        summary: '线上缴纳本学期应缴费用：创建支付平台订单并返回收银台地址',
        params: childTerm,
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).loose(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const { studentId, termId } = req.params;
      await ownChild(db, actor, studentId);
      await checkPupilTerm(db, schoolId, studentId, termId);
      const provider = providerOf();
      const cfg = payConfig();
      const key = req.headers['idempotency-key'] ?? null;
      const made = await db.transaction(async (tx) => {
        await lockPupilTerm(tx, schoolId, studentId, termId);
        await checkPupilTerm(tx, schoolId, studentId, termId);
        await assertTermOpen(tx, schoolId, termId);
        const due = await dueOf(tx, schoolId, termId, studentId);
        if (due <= 0) throw new AppError(409, 'NOTHING_DUE', '本学期没有待缴费用');
        // an order already open for the same amount is reused (a second tap, a reload)
        const [open] = await tx
          .select()
          .from(payments)
          .where(
            sql`${payments.schoolId} = ${schoolId} AND ${payments.termId} = ${termId} AND ${payments.studentId} = ${studentId}
                AND ${payments.method} = 'online' AND ${payments.status} = 'pending'
                AND (${payments.amountFen} = ${due} ${key ? sql`OR ${payments.idempotencyKey} = ${key}` : sql``})`,
          );
        if (open?.checkoutUrl) return { payment: open, fresh: false };
        const [payment] = open
          ? [open]
          : await tx
              .insert(payments)
              .values({
                schoolId,
                id: newId(),
                termId,
                studentId,
                method: 'online',
                amountFen: due,
                status: 'pending',
                idempotencyKey: key,
                recordedBy: actor.accountId,
              })
              .returning();
        await audit(tx, actor, schoolId, {
          action: 'payment.order',
          entity: 'payment',
          entityId: payment.id,
          detail: { studentId, termId, amountFen: due },
        });
        return { payment, fresh: true };
      });
      let p = made.payment;
      if (!p.checkoutUrl) {
        const [school] = await queryRows<{ code: string; name: string }>(db, sql`SELECT code, name FROM schools WHERE id = ${schoolId}`);
        let order: Awaited<ReturnType<typeof provider.createOrder>>;
        try {
          order = await provider.createOrder({
            merchantId: school.code,
            outTradeNo: p.id,
            amountFen: p.amountFen,
            description: `${school.name} 课后服务费`,
            notifyUrl: `${cfg.publicUrl}/api/payments/notify/${encodeURIComponent(school.code)}`,
            returnUrl: `${cfg.publicUrl}/m/invoices/${studentId}?termId=${termId}&paid=${p.id}`,
          });
        } catch (e) {
          await db.update(payments).set({ status: 'failed' }).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${p.id}`);
          throw e;
        }
        [p] = await db
          .update(payments)
          .set({ externalRef: order.orderId, checkoutUrl: order.checkoutUrl })
          .where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${p.id}`)
          .returning();
      }
      reply.code(made.fresh ? 201 : 200);
      return { payment: presentPayment(p), checkoutUrl: p.checkoutUrl as string };
    },
  );

  app.get(
    '/family/payments/:id/receipt',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['family'], summary: '我的孩子的收据', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const p = await paymentById(db, schoolId, req.params.id);
      await ownChild(db, actor, p.studentId);
      return receiptOf(db, schoolId, p);
    },
  );

  app.post(
    '/family/waivers',
    {
      config: { policy: allow('family.write') },
      schema: {
        tags: ['family'],
        summary: '申请减免（N14）：每个孩子每学期一份待审申请，由学校办公室审批',
        body: z
          .object({
            studentId: z.uuid(),
            termId: z.uuid(),
            category: z.enum(WAIVER_CATEGORIES),
            basisPoints: z.number().int().min(1, '减免比例至少 0.01%').max(10_000, '减免比例不能超过 100%'),
            reason: z.string().trim().min(2).max(1000),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const b = req.body;
      await ownChild(db, actor, b.studentId);
      const row = await db.transaction(async (tx) => {
        await lockPupilTerm(tx, schoolId, b.studentId, b.termId);
        await checkPupilTerm(tx, schoolId, b.studentId, b.termId);
        if (await isTermClosed(tx, schoolId, b.termId)) throw new AppError(409, 'TERM_CLOSED', '该学期已结账，不能再申请减免');
        const [pending] = await queryRows(
          tx,
          sql`SELECT 1 FROM waivers WHERE school_id = ${schoolId} AND term_id = ${b.termId} AND student_id = ${b.studentId}
                AND source = 'application' AND status = 'pending'`,
        );
        if (pending) throw new AppError(409, 'WAIVER_PENDING', '该学期已有一份待审核的减免申请');
        const [w] = await tx
          .insert(waivers)
          .values({
            schoolId,
            id: newId(),
            termId: b.termId,
            studentId: b.studentId,
            source: 'application',
            category: b.category,
            basisPoints: b.basisPoints,
            status: 'pending',
            reason: b.reason,
            requestedBy: actor.accountId,
          })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'waiver.apply',
          entity: 'waiver',
          entityId: w.id,
          detail: { studentId: b.studentId, termId: b.termId, category: b.category, basisPoints: b.basisPoints },
        });
        return w;
      });
      reply.code(201);
      return { waiver: presentWaiver(row) };
    },
  );
};
