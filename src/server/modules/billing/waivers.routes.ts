/**
 * N14 waivers: hardship registrations verified by the office (applied automatically when billing),
 * and the office's decision on guardians' applications (pending rows written by the family side).
 * An approval posts the waiver at once when the pupil was already billed; each decision is audited
 * and the guardians are told.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FULL_WAIVER_BP, HARDSHIP_CATEGORIES, HARDSHIP_LABELS } from '../../../shared/billing';
import { dateString } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { hardshipRegistrations } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { todayOf } from '../daily/days';
import { notifyGuardians } from '../enrollment/notify';
import { assertTermOpen } from '../ledger';
import { studentOf, termOf } from './billing.routes';
import { loadTermContext } from './context';
import { lockBilling, settleStudents } from './settle';

const bpSchema = z.number().int('减免比例须为整数（万分比）').min(1, '减免比例至少 0.01%').max(FULL_WAIVER_BP, '减免比例不能超过 100%');

export const waiverRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/billing/hardship',
    { config: { policy: allow('waiver.decide') }, schema: { tags: ['billing'], summary: '困难家庭登记（自动减免）' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return queryRows(
        db,
        sql`SELECT h.id, h.student_id AS "studentId", s.name AS "studentName", c.name AS "className", h.category,
                   h.basis_points AS "basisPoints", h.valid_from::text AS "validFrom", h.valid_to::text AS "validTo",
                   h.evidence, h.status, h.verified_at AS "verifiedAt"
              FROM hardship_registrations h JOIN students s ON s.school_id = h.school_id AND s.id = h.student_id
              JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
             WHERE h.school_id = ${schoolId} ORDER BY h.status, c.grade, c.name, s.name`,
      );
    },
  );

  app.post(
    '/billing/hardship',
    {
      config: { policy: allow('waiver.decide') },
      schema: {
        tags: ['billing'],
        summary: '登记困难家庭（核验后自动减免）',
        body: z.object({
          studentId: z.uuid(),
          category: z.enum(HARDSHIP_CATEGORIES),
          basisPoints: bpSchema.default(FULL_WAIVER_BP),
          validFrom: dateString,
          validTo: dateString.nullable().optional(),
          evidence: z.string().trim().min(1).max(200),
        }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const b = req.body;
      await studentOf(db, schoolId, b.studentId);
      if (b.validTo && b.validTo < b.validFrom) throw new AppError(400, 'DATES', '有效期结束日期不能早于开始日期');
      const id = newId();
      await db.transaction(async (tx) => {
        await tx.insert(hardshipRegistrations).values({
          schoolId,
          id,
          studentId: b.studentId,
          category: b.category,
          basisPoints: b.basisPoints,
          validFrom: b.validFrom,
          validTo: b.validTo ?? null,
          evidence: b.evidence,
          verifiedBy: actor.accountId,
        });
        await audit(tx, actor, schoolId, { action: 'hardship.register', entity: 'student', entityId: b.studentId, detail: { id, ...b } });
      });
      return { id, ...b, validTo: b.validTo ?? null, status: 'active', label: HARDSHIP_LABELS[b.category].zh };
    },
  );

  app.post(
    '/billing/hardship/:id/revoke',
    {
      config: { policy: allow('waiver.decide') },
      schema: { tags: ['billing'], summary: '撤销困难家庭登记（此后不再自动减免）', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const done = await db.transaction(async (tx) => {
        const rows = await queryRows<{ student_id: string }>(
          tx,
          sql`UPDATE hardship_registrations SET status = 'revoked' WHERE school_id = ${schoolId} AND id = ${req.params.id} AND status = 'active' RETURNING student_id`,
        );
        if (rows.length === 0) return false;
        await audit(tx, actor, schoolId, {
          action: 'hardship.revoke',
          entity: 'student',
          entityId: rows[0].student_id,
          detail: { id: req.params.id },
        });
        return true;
      });
      if (!done) throw notFound('困难家庭登记');
      return { id: req.params.id, status: 'revoked' };
    },
  );

  app.get(
    '/billing/terms/:termId/waivers',
    {
      config: { policy: allow('waiver.decide') },
      schema: {
        tags: ['billing'],
        summary: '本学期减免（自动与申请）',
        params: z.object({ termId: z.uuid() }),
        querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']).optional() }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.params.termId);
      const status = req.query.status;
      return queryRows(
        db,
        sql`SELECT w.id, w.student_id AS "studentId", s.name AS "studentName", c.name AS "className", w.source, w.category,
                   w.basis_points AS "basisPoints", w.status, w.reason, w.decision_note AS "decisionNote",
                   w.created_at AS "createdAt", w.decided_at AS "decidedAt"
              FROM waivers w JOIN students s ON s.school_id = w.school_id AND s.id = w.student_id
              JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
             WHERE w.school_id = ${schoolId} AND w.term_id = ${term.id} ${status ? sql`AND w.status = ${status}` : sql``}
             ORDER BY w.status = 'pending' DESC, w.created_at DESC`,
      );
    },
  );

  app.post(
    '/billing/waivers/:id/decision',
    {
      config: { policy: allow('waiver.decide') },
      schema: {
        tags: ['billing'],
        summary: '审批减免申请（部分或全部减免，或不予减免）',
        params: z.object({ id: z.uuid() }),
        body: z.discriminatedUnion('decision', [
          z.object({ decision: z.literal('approve'), basisPoints: bpSchema, note: z.string().trim().max(300).default('') }),
          z.object({ decision: z.literal('reject'), note: z.string().trim().min(1, '请写明不予减免的理由').max(300) }),
        ]),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const b = req.body;
      const [w] = await queryRows<{ id: string; term_id: string; student_id: string; status: string }>(
        db,
        sql`SELECT id, term_id, student_id, status FROM waivers WHERE school_id = ${schoolId} AND id = ${req.params.id}`,
      );
      if (!w) throw notFound('减免申请');
      if (w.status !== 'pending') throw new AppError(409, 'WAIVER_DECIDED', '该申请已处理');
      const billed = await queryRows(
        db,
        sql`SELECT 1 FROM invoices WHERE school_id = ${schoolId} AND term_id = ${w.term_id} AND student_id = ${w.student_id} LIMIT 1`,
      );
      // an approval changes what is owed: on a billed pupil the waiver is posted now (refused on a closed term)
      const ctx = b.decision === 'approve' && billed.length > 0 ? await loadTermContext(db, schoolId, w.term_id, todayOf(app.deps)) : null;
      const documents = await db.transaction(async (tx) => {
        if (b.decision === 'approve') await assertTermOpen(tx, schoolId, w.term_id);
        const updated = await queryRows(
          tx,
          sql`UPDATE waivers SET status = ${b.decision === 'approve' ? 'approved' : 'rejected'},
                     basis_points = ${b.decision === 'approve' ? b.basisPoints : sql`basis_points`},
                     decision_note = ${b.note}, decided_by = ${actor.accountId}, decided_at = now()
               WHERE school_id = ${schoolId} AND id = ${w.id} AND status = 'pending' RETURNING id`,
        );
        if (updated.length === 0) throw new AppError(409, 'WAIVER_DECIDED', '该申请已处理');
        await audit(tx, actor, schoolId, {
          action: `waiver.${b.decision}`,
          entity: 'waiver',
          entityId: w.id,
          detail: { studentId: w.student_id, ...b },
        });
        const pct = b.decision === 'approve' ? `${b.basisPoints / 100}%` : '';
        await notifyGuardians(tx, schoolId, w.student_id, {
          kind: `waiver.${b.decision === 'approve' ? 'approved' : 'rejected'}`,
          title: b.decision === 'approve' ? `减免申请已批准（减免 ${pct}）` : '减免申请未获批准',
          body: b.note,
          payload: { waiverId: w.id, termId: w.term_id },
        });
        if (!ctx) return 0;
        await lockBilling(tx, schoolId);
        return settleStudents(tx, ctx, [w.student_id], actor.accountId);
      });
      return { id: w.id, status: b.decision === 'approve' ? 'approved' : 'rejected', documents };
    },
  );
};
