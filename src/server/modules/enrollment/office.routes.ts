/**
 * The office's enrolment desk: counts per offering × weekday, lists and waitlists, lottery and
 * ranked-choice runs (seed and result kept), overrides, settings, agreement versions and the
 * .xlsx export. Homeroom and care teachers read what their scope allows.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AGREEMENT_KINDS, enrollmentSettingsSchema } from '../../../shared/enrollment';
import { ENROLLMENT_STATUSES } from '../../../shared/plans';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { agreementTexts, lotteryRuns, offerings, plans, students } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { studentScope } from '../roster/scope';
import { newSeed } from './allocation';
import { requirePublished } from './checks';
import { runLottery, runRanked } from './lottery';
import { presentEnrollment } from './presenters';
import { publishedTerms, termWithPlan, windowState } from './published';
import { enrollmentsOf } from './queries';
import { loadSettings, saveSettings } from './settings';
import { addVersion } from './texts';
import { endPlace } from './waitlist';

const idParams = z.object({ id: z.uuid() });
const termQuery = z.object({ termId: z.uuid() });
const seedSchema = z.string().trim().min(1).max(64).optional();

/** The listing of places in the actor's scope (homeroom: own class), with pupil and priority. */
export async function placeRows(
  db: Parameters<typeof queryRows>[0],
  actor: Parameters<typeof studentScope>[0],
  schoolId: string,
  termId: string,
  filter: { offeringId?: string; weekday?: number; status?: string },
) {
  return queryRows<{
    id: string;
    student_id: string;
    student_name: string;
    student_no: string;
    class_name: string;
    grade: number;
    offering_id: string;
    offering_name: string;
    slot: string;
    weekday: number;
    status: string;
    source: string;
    position: number | null;
    priority_category: string | null;
    offer_expires_at: Date | null;
    effective_from: string | null;
    effective_to: string | null;
  }>(
    db,
    sql`SELECT e.id, e.student_id, students.name AS student_name, students.student_no, c.name AS class_name, students.grade,
               e.offering_id, o.name AS offering_name, o.slot, e.weekday::int AS weekday, e.status, e.source,
               CASE WHEN e.status = 'waitlisted' THEN 1 + (SELECT count(*) FROM enrollments w
                  WHERE w.school_id = e.school_id AND w.offering_id = e.offering_id AND w.weekday = e.weekday
                    AND w.status = 'waitlisted' AND (w.queue_key, w.id) < (e.queue_key, e.id))::int END AS position,
               a.priority_category, e.offer_expires_at, e.effective_from::text AS effective_from, e.effective_to::text AS effective_to
          FROM enrollments e
          JOIN students ON students.school_id = e.school_id AND students.id = e.student_id
          JOIN classes c ON c.school_id = students.school_id AND c.id = students.class_id
          JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id
          LEFT JOIN applications a ON a.school_id = e.school_id AND a.term_id = e.term_id AND a.student_id = e.student_id
         WHERE e.school_id = ${schoolId} AND e.term_id = ${termId} AND ${studentScope(actor)}
           ${filter.offeringId ? sql`AND e.offering_id = ${filter.offeringId}` : sql``}
           ${filter.weekday ? sql`AND e.weekday = ${filter.weekday}` : sql``}
           ${filter.status ? sql`AND e.status = ${filter.status}` : sql``}
         ORDER BY o.name, e.weekday, CASE e.status WHEN 'enrolled' THEN 0 WHEN 'offered' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END, e.queue_key, e.id
         LIMIT 5000`,
  );
}

export const officeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/enrollment/terms',
    { config: { policy: allow('enrollment.read') }, schema: { tags: ['enrollment'], summary: '已公示方案的学期' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return (await publishedTerms(db, schoolId)).map((p) => ({
        id: p.term.id,
        name: p.term.name,
        window: windowState(p.term),
        applyOpensAt: p.term.applyOpensAt,
        applyClosesAt: p.term.applyClosesAt,
        planVersion: p.version,
      }));
    },
  );

  app.get(
    '/enrollment/overview',
    {
      config: { policy: allow('enrollment.read') },
      schema: { tags: ['enrollment'], summary: '各项目各天：录取/名额/候补/申请', querystring: termQuery },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const { term, plan } = await termWithPlan(db, schoolId, req.query.termId);
      const published = requirePublished(plan);
      const counts = await queryRows<{
        offering_id: string;
        weekday: number;
        capacity: number;
        taken: number;
        enrolled: number;
        offered: number;
        waitlisted: number;
        applicants: number;
      }>(
        db,
        sql`SELECT s.offering_id, s.weekday::int AS weekday, s.capacity, s.taken,
                   count(*) FILTER (WHERE e.status = 'enrolled')::int AS enrolled,
                   count(*) FILTER (WHERE e.status = 'offered')::int AS offered,
                   count(*) FILTER (WHERE e.status = 'waitlisted')::int AS waitlisted,
                   (SELECT count(*) FROM application_choices ch JOIN applications a ON a.school_id = ch.school_id AND a.id = ch.application_id
                     WHERE ch.school_id = s.school_id AND ch.offering_id = s.offering_id AND ch.weekday = s.weekday
                       AND a.status IN ('submitted', 'approved'))::int AS applicants
              FROM offering_seats s
              LEFT JOIN enrollments e ON e.school_id = s.school_id AND e.offering_id = s.offering_id AND e.weekday = s.weekday
             WHERE s.school_id = ${schoolId}
             GROUP BY s.school_id, s.offering_id, s.weekday, s.capacity, s.taken`,
      );
      const runs = await db
        .select({ offeringId: lotteryRuns.offeringId, id: lotteryRuns.id })
        .from(lotteryRuns)
        .where(eq(lotteryRuns.schoolId, schoolId));
      return {
        term: { ...term, window: windowState(term), planVersion: published.version },
        offerings: published.offerings.map((o) => ({
          id: o.id,
          name: o.name,
          kind: o.kind,
          category: o.category,
          slot: o.slot,
          allocation: o.allocation,
          capacity: o.capacity,
          gradeMin: o.gradeMin,
          gradeMax: o.gradeMax,
          opensAt: o.opensAt,
          lotteryRuns: runs.filter((r) => r.offeringId === o.id).length,
          weekdays: o.weekdays.map((wd) => {
            const c = counts.find((x) => x.offering_id === o.id && Number(x.weekday) === wd);
            return {
              weekday: wd,
              capacity: c ? Number(c.capacity) : o.capacity,
              taken: Number(c?.taken ?? 0),
              enrolled: Number(c?.enrolled ?? 0),
              offered: Number(c?.offered ?? 0),
              waitlisted: Number(c?.waitlisted ?? 0),
              applicants: Number(c?.applicants ?? 0),
            };
          }),
        })),
      };
    },
  );

  app.get(
    '/enrollment/list',
    {
      config: { policy: allow('enrollment.read') },
      schema: {
        tags: ['enrollment'],
        summary: '录取与候补名单（按角色范围）',
        querystring: termQuery.extend({
          offeringId: z.uuid().optional(),
          weekday: z.coerce.number().int().min(1).max(5).optional(),
          status: z.enum(ENROLLMENT_STATUSES).optional(),
        }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await termWithPlan(db, schoolId, req.query.termId);
      return placeRows(db, actor, schoolId, req.query.termId, req.query);
    },
  );

  app.get(
    '/students/:id/enrollments',
    {
      config: { policy: allow('enrollment.read') },
      schema: { tags: ['enrollment'], summary: '学生的报名与录取（项目×星期×时段，起止日期）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [s] = await db
        .select({ id: students.id })
        .from(students)
        .where(and(studentScope(actor), eq(students.id, req.params.id)));
      if (!s) throw notFound('学生');
      return (await enrollmentsOf(db, schoolId, sql`e.student_id = ${s.id}`)).map(presentEnrollment);
    },
  );

  app.post(
    '/enrollment/lottery',
    {
      config: { policy: allow('enrollment.write') },
      schema: {
        tags: ['enrollment'],
        summary: '摇号（按优先类别加权，种子可复现，结果存档公示）',
        body: z.object({ offeringId: z.uuid(), seed: seedSchema }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [o] = await db
        .select({ termId: plans.termId })
        .from(offerings)
        .innerJoin(plans, and(eq(plans.schoolId, offerings.schoolId), eq(plans.id, offerings.planId)))
        .where(and(eq(offerings.schoolId, schoolId), eq(offerings.id, req.body.offeringId)));
      if (!o) throw notFound('服务项目');
      const { plan } = await termWithPlan(db, schoolId, o.termId);
      const published = requirePublished(plan);
      const { priorityWeights } = await loadSettings(db, schoolId);
      const run = await db.transaction((tx) =>
        runLottery(tx, actor, schoolId, published, req.body.offeringId, req.body.seed ?? newSeed(), priorityWeights),
      );
      return presentRun(run);
    },
  );

  app.post(
    '/enrollment/ranked',
    {
      config: { policy: allow('enrollment.write') },
      schema: {
        tags: ['enrollment'],
        summary: '志愿分配（优先类别在前，同类随机，种子可复现）',
        body: termQuery.extend({ seed: seedSchema }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { plan } = await termWithPlan(db, schoolId, req.body.termId);
      const published = requirePublished(plan);
      const { priorityWeights } = await loadSettings(db, schoolId);
      return db.transaction((tx) => runRanked(tx, actor, schoolId, published, req.body.seed ?? newSeed(), priorityWeights));
    },
  );

  app.get(
    '/enrollment/lottery-runs',
    {
      config: { policy: allow('enrollment.read') },
      schema: {
        tags: ['enrollment'],
        summary: '摇号记录（种子、权重、抽签顺序）',
        querystring: z.object({ offeringId: z.uuid().optional() }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const rows = await db
        .select()
        .from(lotteryRuns)
        .where(and(eq(lotteryRuns.schoolId, schoolId), req.query.offeringId ? eq(lotteryRuns.offeringId, req.query.offeringId) : undefined))
        .orderBy(desc(lotteryRuns.runAt));
      return rows.map(presentRun);
    },
  );

  app.get(
    '/enrollment/lottery-runs/:id',
    { config: { policy: allow('enrollment.read') }, schema: { tags: ['enrollment'], summary: '一次摇号的完整记录', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const [run] = await db
        .select()
        .from(lotteryRuns)
        .where(and(eq(lotteryRuns.schoolId, schoolId), eq(lotteryRuns.id, req.params.id)));
      if (!run) throw notFound('摇号记录');
      return presentRun(run);
    },
  );

  app.post(
    '/enrollment/enrollments/:id/withdraw',
    {
      config: { policy: allow('enrollment.write') },
      schema: {
        tags: ['enrollment'],
        summary: '办公室为学生退出某项目某天（名额顺延候补）',
        params: idParams,
        body: z.object({ reason: z.string().trim().max(200).default('') }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const ok = await db.transaction(async (tx) => {
        const [row] = await queryRows<{ id: string }>(
          tx,
          sql`SELECT id FROM enrollments WHERE school_id = ${schoolId} AND id = ${req.params.id}`,
        );
        if (!row) throw notFound('报名记录');
        return endPlace(tx, actor, schoolId, row.id, 'withdrawn', req.body.reason || 'by office');
      });
      if (!ok) throw new AppError(409, 'NOT_ACTIVE', '这个报名已经结束');
      const [view] = await enrollmentsOf(db, schoolId, sql`e.id = ${req.params.id}`);
      return presentEnrollment(view);
    },
  );

  app.get(
    '/enrollment/settings',
    { config: { policy: allow('enrollment.read') }, schema: { tags: ['enrollment'], summary: '录取设置（候补确认时限、摇号权重）' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return loadSettings(db, schoolId);
    },
  );

  app.put(
    '/enrollment/settings',
    {
      config: { policy: allow('enrollment.write') },
      schema: { tags: ['enrollment'], summary: '修改录取设置', body: enrollmentSettingsSchema },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const before = await loadSettings(tx, schoolId);
        await saveSettings(tx, schoolId, req.body);
        await audit(tx, actor, schoolId, {
          action: 'enrollment.settings',
          entity: 'school',
          entityId: schoolId,
          detail: { before, after: req.body },
        });
        return req.body;
      });
    },
  );

  app.get(
    '/enrollment/agreements',
    { config: { policy: allow('application.read') }, schema: { tags: ['enrollment'], summary: '协议文本（全部版本）' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return db
        .select({
          id: agreementTexts.id,
          kind: agreementTexts.kind,
          version: agreementTexts.version,
          title: agreementTexts.title,
          body: agreementTexts.body,
          sha256: agreementTexts.sha256,
          createdAt: agreementTexts.createdAt,
        })
        .from(agreementTexts)
        .where(eq(agreementTexts.schoolId, schoolId))
        .orderBy(asc(agreementTexts.kind), desc(agreementTexts.version));
    },
  );

  app.post(
    '/enrollment/agreements',
    {
      config: { policy: allow('application.write') },
      schema: {
        tags: ['enrollment'],
        summary: '发布协议新版本',
        body: z.object({
          kind: z.enum(AGREEMENT_KINDS),
          title: z.string().trim().min(2).max(60),
          body: z.string().trim().min(20).max(20_000),
        }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const t = await addVersion(tx, schoolId, req.body.kind, req.body.title, req.body.body);
        await audit(tx, actor, schoolId, {
          action: 'agreement.version',
          entity: 'agreement',
          entityId: t.id,
          detail: { kind: t.kind, version: t.version, sha256: t.sha256 },
        });
        return { id: t.id, kind: t.kind, version: t.version, title: t.title, sha256: t.sha256 };
      });
    },
  );
};

type Run = typeof lotteryRuns.$inferSelect;
const presentRun = (r: Run) => ({
  id: r.id,
  offeringId: r.offeringId,
  seed: r.seed,
  weights: r.weights,
  entrants: r.entrants,
  result: r.result,
  runAt: r.runAt,
});
