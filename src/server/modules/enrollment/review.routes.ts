/**
 * Reviewing applications: the homeroom teacher their own class's (one by one or in bulk), the office
 * every one and any decision (override); the office may also change or withdraw an application
 * after the window. Guardians are told the outcome in the same transaction.
 */
import { type SQL, and, count, desc, eq, ilike, inArray, or } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPLICATION_STATUSES, applicationPatch, bulkReviewInput, reviewInput } from '../../../shared/enrollment';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { applicationChoices, applications, classes, offerings, students } from '../../db/schema';
import { sql } from 'drizzle-orm';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { studentScope } from '../roster/scope';
import { type ApplicationRow, choicesOf, endAllPlaces, seatApproved, updateApplication, withdrawApplication } from './applications.service';
import { requirePublished } from './checks';
import { notifyGuardians } from './notify';
import { presentApplication } from './presenters';
import { termWithPlan } from './published';

const idParams = z.object({ id: z.uuid() });
const listQuery = z.object({
  termId: z.uuid().optional(),
  classId: z.uuid().optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Applications the actor may see (homeroom: own class; office: the school), by id; 404 for any other. */
async function scopedApplications(db: Db, actor: Actor, schoolId: string, ids: string[]) {
  const rows = await db
    .select({ a: applications })
    .from(applications)
    .innerJoin(students, and(eq(students.schoolId, applications.schoolId), eq(students.id, applications.studentId)))
    .where(and(eq(applications.schoolId, schoolId), inArray(applications.id, ids), studentScope(actor)));
  if (rows.length !== new Set(ids).size) throw notFound('申请');
  return rows.map((r) => r.a);
}

async function review(tx: Db, actor: Actor, a: ApplicationRow, decision: 'approve' | 'reject', comment: string) {
  const office = actor.permissions.has('application.write');
  if (a.status === 'withdrawn') throw new AppError(409, 'APPLICATION_WITHDRAWN', '申请已撤回，不能审核');
  if (!office && a.status !== 'submitted')
    throw new AppError(409, 'ALREADY_REVIEWED', '这份申请已经审核过，如需改变请联系学校课后服务办公室');
  const status = decision === 'approve' ? 'approved' : 'rejected';
  const now = new Date();
  const [u] = await tx
    .update(applications)
    .set({ status, reviewComment: comment, reviewedBy: actor.accountId, reviewedAt: now, updatedAt: now })
    .where(and(eq(applications.schoolId, a.schoolId), eq(applications.id, a.id)))
    .returning();
  await audit(tx, actor, a.schoolId, {
    action: decision === 'approve' ? 'application.approve' : 'application.reject',
    entity: 'application',
    entityId: a.id,
    detail: { from: a.status, comment, override: a.status !== 'submitted' },
  });
  const { plan } = await termWithPlan(tx, a.schoolId, a.termId);
  let seated = 0;
  let waiting = 0;
  if (decision === 'approve' && plan) {
    for (const r of await seatApproved(tx, actor, u, plan, now))
      r.status === 'enrolled' ? seated++ : r.status === 'waitlisted' && waiting++;
  }
  if (decision === 'reject') await endAllPlaces(tx, actor, u, 'rejected', 'application rejected', now);
  const [s] = await tx
    .select({ name: students.name })
    .from(students)
    .where(and(eq(students.schoolId, a.schoolId), eq(students.id, a.studentId)));
  await notifyGuardians(tx, a.schoolId, a.studentId, {
    kind: `application.${status}`,
    title: decision === 'approve' ? `${s?.name ?? ''}的课后服务申请已通过` : `${s?.name ?? ''}的课后服务申请未通过`,
    body:
      decision === 'approve'
        ? `${seated ? `已录取 ${seated} 项。` : ''}${waiting ? `${waiting} 项名额已满，已进入候补。` : ''}${comment ? `老师留言：${comment}` : ''}`
        : `原因：${comment || '未说明'}。如有疑问请联系班主任。`,
    link: '/m/apply',
    payload: { applicationId: a.id },
  });
  return u;
}

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/applications',
    {
      config: { policy: allow('application.read') },
      schema: { tags: ['enrollment'], summary: '报名申请列表（班主任：本班；办公室：全校）', querystring: listQuery },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const q = req.query;
      const conds: (SQL | undefined)[] = [eq(applications.schoolId, schoolId), studentScope(actor)];
      if (q.termId) conds.push(eq(applications.termId, q.termId));
      if (q.classId) conds.push(eq(students.classId, q.classId));
      if (q.status) conds.push(eq(applications.status, q.status));
      if (q.q) conds.push(or(ilike(students.name, `%${escapeLike(q.q)}%`), ilike(students.studentNo, `${escapeLike(q.q)}%`)));
      const where = and(...conds);
      const from = () =>
        db
          .select({ a: applications, name: students.name, grade: students.grade, className: classes.name })
          .from(applications)
          .innerJoin(students, and(eq(students.schoolId, applications.schoolId), eq(students.id, applications.studentId)))
          .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)));
      const rows = await from()
        .where(where)
        .orderBy(desc(applications.status), classes.name, students.name)
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const [{ total }] = await db
        .select({ total: count() })
        .from(applications)
        .innerJoin(students, and(eq(students.schoolId, applications.schoolId), eq(students.id, applications.studentId)))
        .where(where);
      const ids = rows.map((r) => r.a.id);
      const choiceRows = ids.length
        ? await db
            .select({
              applicationId: applicationChoices.applicationId,
              offeringId: applicationChoices.offeringId,
              weekday: applicationChoices.weekday,
              rank: applicationChoices.rank,
              name: offerings.name,
              slot: offerings.slot,
            })
            .from(applicationChoices)
            .innerJoin(offerings, and(eq(offerings.schoolId, applicationChoices.schoolId), eq(offerings.id, applicationChoices.offeringId)))
            .where(and(eq(applicationChoices.schoolId, schoolId), inArray(applicationChoices.applicationId, ids)))
        : [];
      const signed = await signedPairs(
        db,
        schoolId,
        rows.map((r) => r.a.studentId),
      );
      const items = [];
      for (const r of rows) {
        const mine = choiceRows.filter((c) => c.applicationId === r.a.id);
        const kinds = signed.get(`${r.a.termId}:${r.a.studentId}`) ?? new Set<string>();
        items.push({
          ...presentApplication(r.a, mine),
          student: { id: r.a.studentId, name: r.name, grade: r.grade, className: r.className },
          choiceSummary: summarise(mine),
          agreementsSigned: kinds.has('service') && kinds.has('safety'),
        });
      }
      return { items, total: Number(total), page: q.page, pageSize: q.pageSize };
    },
  );

  app.post(
    '/applications/:id/review',
    {
      config: { policy: allow('application.review') },
      schema: { tags: ['enrollment'], summary: '审核一份申请（通过/不通过，附意见）', params: idParams, body: reviewInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [a] = await scopedApplications(db, actor, schoolId, [req.params.id]);
      return db.transaction(async (tx) => {
        const u = await review(tx, actor, a, req.body.decision, req.body.comment);
        return presentApplication(u, await choicesOf(tx, schoolId, u.id));
      });
    },
  );

  app.post(
    '/applications/review',
    {
      config: { policy: allow('application.review') },
      schema: { tags: ['enrollment'], summary: '批量审核（全部成功或全部不做）', body: bulkReviewInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const list = await scopedApplications(db, actor, schoolId, [...new Set(req.body.ids)]);
      return db.transaction(async (tx) => {
        for (const a of list) await review(tx, actor, a, req.body.decision, req.body.comment);
        return { reviewed: list.length, decision: req.body.decision };
      });
    },
  );

  app.patch(
    '/applications/:id',
    {
      config: { policy: allow('application.write') },
      schema: { tags: ['enrollment'], summary: '办公室修改申请（报名期后）', params: idParams, body: applicationPatch },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [a] = await scopedApplications(db, actor, schoolId, [req.params.id]);
      const { plan } = await termWithPlan(db, schoolId, a.termId);
      const published = requirePublished(plan);
      const [child] = await db
        .select({ id: students.id, name: students.name, grade: students.grade, classId: students.classId })
        .from(students)
        .where(and(eq(students.schoolId, schoolId), eq(students.id, a.studentId)));
      return db.transaction(async (tx) => {
        const { app: u, seats } = await updateApplication(tx, actor, a, published, child, req.body, true);
        await notifyGuardians(tx, schoolId, a.studentId, {
          kind: 'application.changed',
          title: `学校修改了${child.name}的课后服务申请`,
          link: '/m/apply',
          payload: { applicationId: a.id },
        });
        return { application: presentApplication(u, await choicesOf(tx, schoolId, u.id)), seats };
      });
    },
  );

  app.post(
    '/applications/:id/withdraw',
    {
      config: { policy: allow('application.write') },
      schema: { tags: ['enrollment'], summary: '办公室为家长撤回申请（报名期后）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [a] = await scopedApplications(db, actor, schoolId, [req.params.id]);
      return db.transaction(async (tx) => {
        const u = await withdrawApplication(tx, actor, a, true);
        await notifyGuardians(tx, schoolId, a.studentId, {
          kind: 'application.withdrawn',
          title: '课后服务申请已按您的要求撤回',
          link: '/m/apply',
          payload: { applicationId: a.id },
        });
        return presentApplication(u, await choicesOf(tx, schoolId, u.id));
      });
    },
  );
};

const WD = ['', '一', '二', '三', '四', '五'];
/** "作业辅导 周一三五 · 足球 周二(志愿1)" */
function summarise(choices: { offeringId: string; weekday: number; rank: number; name: string }[]) {
  const by = new Map<string, { name: string; days: number[]; rank: number }>();
  for (const c of choices) {
    const x = by.get(c.offeringId) ?? { name: c.name, days: [], rank: c.rank };
    x.days.push(Number(c.weekday));
    by.set(c.offeringId, x);
  }
  return [...by.values()]
    .map(
      (x) =>
        `${x.name} 周${x.days
          .sort()
          .map((d) => WD[d])
          .join('')}`,
    )
    .join(' · ');
}

/** Which agreement kinds each pupil signed, per term: one query for a page of applications. */
async function signedPairs(db: Db, schoolId: string, studentIds: string[]) {
  const out = new Map<string, Set<string>>();
  if (studentIds.length === 0) return out;
  const rows = await queryRows<{ term_id: string; student_id: string; kind: string }>(
    db,
    sql`SELECT DISTINCT s.term_id, s.student_id, t.kind FROM agreement_signatures s
          JOIN agreement_texts t ON t.school_id = s.school_id AND t.id = s.text_id
         WHERE s.school_id = ${schoolId} AND s.student_id IN (${sql.join(
           studentIds.map((id) => sql`${id}`),
           sql`, `,
         )})`,
  );
  for (const r of rows) {
    const k = `${r.term_id}:${r.student_id}`;
    out.set(k, (out.get(k) ?? new Set()).add(r.kind));
  }
  return out;
}
