/** The office's billing desk: settings, fee standards, invoicing runs, the term's bills, a pupil's statement, no-service days. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BILLING_MODES, REFUND_PRESETS } from '../../../shared/billing';
import { dateString } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { serviceCancellations } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { todayOf } from '../daily/days';
import { isTermClosed } from '../ledger';
import { billingSettingsOf, feeStandards, loadTermContext } from './context';
import { latestRun, runOf, startRun } from './runs';
import { lockBilling, settleStudents } from './settle';
import { invoiceSummaryForStudent } from './summary';

const termParams = z.object({ termId: z.uuid() });

export async function termOf(db: Db, schoolId: string, termId: string) {
  const [t] = await queryRows<{ id: string; name: string; starts_on: string; ends_on: string }>(
    db,
    sql`SELECT id, name, starts_on::text, ends_on::text FROM terms WHERE school_id = ${schoolId} AND id = ${termId}`,
  );
  if (!t) throw notFound('学期');
  return t;
}

export async function studentOf(db: Db, schoolId: string, studentId: string) {
  const [s] = await queryRows<{ id: string; name: string; student_no: string; class_name: string; grade: number }>(
    db,
    sql`SELECT s.id, s.name, s.student_no, c.name AS class_name, s.grade FROM students s
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
         WHERE s.school_id = ${schoolId} AND s.id = ${studentId}`,
  );
  if (!s) throw notFound('学生');
  return s;
}

export const billingRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const background = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...background]);
  });

  app.get(
    '/billing/settings',
    { config: { policy: allow('billing.read') }, schema: { tags: ['billing'], summary: '收费设置' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return billingSettingsOf(db, schoolId);
    },
  );

  app.put(
    '/billing/settings',
    {
      config: { policy: allow('billing.write') },
      schema: {
        tags: ['billing'],
        summary: '修改收费设置（按学期/按月、退费规则、缴费期限）',
        body: z.object({ mode: z.enum(BILLING_MODES), refundPreset: z.enum(REFUND_PRESETS), dueDays: z.number().int().min(0).max(90) }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const b = req.body;
      // a term billed per term cannot switch to monthly bills half-way (its documents would be reissued)
      const current = await billingSettingsOf(db, schoolId);
      if (current.mode !== b.mode) {
        const billed = await queryRows(
          db,
          sql`SELECT 1 FROM invoices i WHERE i.school_id = ${schoolId}
                AND NOT EXISTS (SELECT 1 FROM term_closures c WHERE c.school_id = i.school_id AND c.term_id = i.term_id) LIMIT 1`,
        );
        if (billed.length > 0) throw new AppError(409, 'BILLING_MODE_LOCKED', '本学期已开票，结账前不能更改开票周期');
      }
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`INSERT INTO billing_settings (school_id, mode, refund_preset, due_days, updated_by, updated_at)
              VALUES (${schoolId}, ${b.mode}, ${b.refundPreset}, ${b.dueDays}, ${actor.accountId}, now())
              ON CONFLICT (school_id) DO UPDATE SET mode = EXCLUDED.mode, refund_preset = EXCLUDED.refund_preset,
                due_days = EXCLUDED.due_days, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        );
        await audit(tx, actor, schoolId, { action: 'billing.settings', entity: 'school', entityId: schoolId, detail: b });
      });
      return billingSettingsOf(db, schoolId);
    },
  );

  app.get(
    '/billing/terms/:termId/fees',
    {
      config: { policy: allow('billing.read') },
      schema: { tags: ['billing'], summary: '收费标准（来自已公示的服务方案）', params: termParams },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const { term, plan, fees } = await feeStandards(db, schoolId, req.params.termId);
      return {
        term: { id: term.id, name: term.name, startsOn: term.startsOn, endsOn: term.endsOn },
        plan: plan ? { id: plan.planId, version: plan.version, publishedAt: plan.publishedAt?.toISOString() ?? null } : null,
        fees,
        settings: await billingSettingsOf(db, schoolId),
        closed: await isTermClosed(db, schoolId, term.id),
        latestRun: await latestRun(db, schoolId, term.id),
      };
    },
  );

  app.post(
    '/billing/terms/:termId/runs',
    {
      config: { policy: allow('billing.write') },
      schema: { tags: ['billing'], summary: '生成本学期账单（含退费与减免），返回任务进度', params: termParams },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const { runId, work } = await startRun(db, actor, schoolId, req.params.termId, todayOf(app.deps));
      const p = work().catch((e) => req.log.error(e, 'billing run failed'));
      background.add(p);
      void p.finally(() => background.delete(p));
      reply.code(202);
      return runOf(db, schoolId, runId);
    },
  );

  app.get(
    '/billing/runs/:runId',
    {
      config: { policy: allow('billing.read') },
      schema: { tags: ['billing'], summary: '开票任务进度', params: z.object({ runId: z.uuid() }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return runOf(db, schoolId, req.params.runId);
    },
  );

  app.get(
    '/billing/terms/:termId/invoices',
    {
      config: { policy: allow('billing.read') },
      schema: {
        tags: ['billing'],
        summary: '本学期账单（按学生，可按班级筛选）',
        params: termParams,
        querystring: z.object({ classId: z.uuid().optional(), q: z.string().max(40).optional() }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.params.termId);
      const { classId, q } = req.query;
      const rows = await queryRows<{
        student_id: string;
        name: string;
        student_no: string;
        class_id: string;
        class_name: string;
        documents: number;
        charged: string;
        waived: string;
        credited: string;
        paid: string;
        due: string;
      }>(
        db,
        sql`WITH docs AS (SELECT student_id, count(*)::int AS n FROM invoices WHERE school_id = ${schoolId} AND term_id = ${term.id} GROUP BY student_id),
                 money AS (SELECT student_id,
                   SUM(amount_fen) FILTER (WHERE kind = 'invoice') AS charged, -SUM(amount_fen) FILTER (WHERE kind = 'waiver') AS waived,
                   -SUM(amount_fen) FILTER (WHERE kind = 'credit') AS credited, -SUM(amount_fen) FILTER (WHERE kind = 'payment') AS paid,
                   SUM(amount_fen) AS due
                   FROM ledger_entries WHERE school_id = ${schoolId} AND term_id = ${term.id} AND account = 'receivable.guardian' GROUP BY student_id)
            SELECT s.id AS student_id, s.name, s.student_no, c.id AS class_id, c.name AS class_name, d.n AS documents,
                   COALESCE(m.charged, 0)::text AS charged, COALESCE(m.waived, 0)::text AS waived, COALESCE(m.credited, 0)::text AS credited,
                   COALESCE(m.paid, 0)::text AS paid, COALESCE(m.due, 0)::text AS due
              FROM docs d JOIN students s ON s.school_id = ${schoolId} AND s.id = d.student_id
              JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
              LEFT JOIN money m ON m.student_id = d.student_id
             WHERE true ${classId ? sql`AND c.id = ${classId}` : sql``} ${q ? sql`AND (s.name LIKE ${`%${q}%`} OR s.student_no = ${q})` : sql``}
             ORDER BY c.grade, c.name, s.student_no LIMIT 2000`,
      );
      return {
        term: { id: term.id, name: term.name },
        rows: rows.map((r) => ({
          studentId: r.student_id,
          name: r.name,
          studentNo: r.student_no,
          classId: r.class_id,
          className: r.class_name,
          documents: r.documents,
          chargedFen: Number(r.charged),
          waivedFen: Number(r.waived),
          creditedFen: Number(r.credited),
          paidFen: Number(r.paid),
          dueFen: Number(r.due),
        })),
      };
    },
  );

  app.get(
    '/billing/terms/:termId/students/:studentId',
    {
      config: { policy: allow('billing.read') },
      schema: { tags: ['billing'], summary: '学生本学期费用明细（可打印）', params: termParams.extend({ studentId: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.params.termId);
      const student = await studentOf(db, schoolId, req.params.studentId);
      const [school] = await queryRows<{ name: string }>(db, sql`SELECT name FROM schools WHERE id = ${schoolId}`);
      const summary = await invoiceSummaryForStudent(db, schoolId, term.id, student.id);
      await audit(db, actor, schoolId, {
        action: 'billing.statement.read',
        entity: 'student',
        entityId: student.id,
        detail: { termId: term.id },
      });
      return {
        school: { name: school.name },
        term: { id: term.id, name: term.name },
        student: { id: student.id, name: student.name, studentNo: student.student_no, className: student.class_name },
        ...summary,
      };
    },
  );

  app.get(
    '/billing/terms/:termId/cancellations',
    { config: { policy: allow('billing.read') }, schema: { tags: ['billing'], summary: '停课日（未提供服务的日子）', params: termParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.params.termId);
      return queryRows(
        db,
        sql`SELECT c.id, c.day::text AS day, c.offering_id AS "offeringId", o.name AS "offeringName", c.reason FROM service_cancellations c
              LEFT JOIN offerings o ON o.school_id = c.school_id AND o.id = c.offering_id
             WHERE c.school_id = ${schoolId} AND c.term_id = ${term.id} ORDER BY c.day`,
      );
    },
  );

  app.post(
    '/billing/terms/:termId/cancellations',
    {
      config: { policy: allow('billing.write') },
      schema: {
        tags: ['billing'],
        summary: '登记停课日；已开票的按退费规则生成退费单',
        params: termParams,
        body: z.object({ day: dateString, offeringId: z.uuid().nullable().optional(), reason: z.string().trim().min(1).max(200) }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.params.termId);
      const { day, offeringId, reason } = req.body;
      if (day < term.starts_on || day > term.ends_on) throw new AppError(400, 'DAY_OUTSIDE_TERM', '停课日不在本学期内');
      if (offeringId) {
        const [o] = await queryRows(
          db,
          sql`SELECT 1 FROM offerings o JOIN plans p ON p.school_id = o.school_id AND p.id = o.plan_id WHERE o.school_id = ${schoolId} AND o.id = ${offeringId} AND p.term_id = ${term.id}`,
        );
        if (!o) throw notFound('服务项目');
      }
      const ctx = await loadTermContext(db, schoolId, term.id, todayOf(app.deps));
      const id = newId();
      const documents = await db.transaction(async (tx) => {
        await lockBilling(tx, schoolId);
        await tx
          .insert(serviceCancellations)
          .values({ schoolId, id, termId: term.id, day, offeringId: offeringId ?? null, reason, createdBy: actor.accountId });
        await audit(tx, actor, schoolId, {
          action: 'billing.cancellation',
          entity: 'term',
          entityId: term.id,
          detail: { day, offeringId, reason },
        });
        // credit those already billed now (idempotent); pupils not yet billed get it with their bill
        const billed = await queryRows<{ id: string }>(
          tx,
          sql`SELECT DISTINCT student_id AS id FROM invoices WHERE school_id = ${schoolId} AND term_id = ${term.id}`,
        );
        return settleStudents(
          tx,
          ctx,
          billed.map((b) => b.id),
          actor.accountId,
        );
      });
      return { id, day, offeringId: offeringId ?? null, reason, documents };
    },
  );
};
