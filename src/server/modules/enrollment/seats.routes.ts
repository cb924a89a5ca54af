/**
 * The guardian's seat request (fcfs: enrolled or waitlisted at once), the child's places with the
 * waitlist position, confirming an offered seat and giving a place up. The seat request is the
 * opening-rush hot path: one query for every check, one statement to take the seat (seats.ts).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seatRequestInput } from '../../../shared/enrollment';
import { PRIVACY_NOTICE_VERSION } from '../../../shared/roster';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { enrollments } from '../../db/schema';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { checkEligible, ownChild, requireConsent, requirePublished, requireWindow } from './checks';
import { type Exec, execIn, execOf } from '../../db/exec';
import { presentEnrollment } from './presenters';
import { effectiveDates, termWithPlan, todayInChina, windowState } from './published';
import { enrollmentsOf } from './queries';
import { type CheckRow, existingSeat, IdempotencyConflict, SEAT_CHECKS_SQL, type SeatResult, takeCheckedSeat, takeSeat } from './seats';
import { ENROLLMENT_STATUS_LABELS } from '../../../shared/plans';
import { confirmOffer, endPlace, rejoin } from './waitlist';

const idParams = z.object({ id: z.uuid() });

/** Every check of a seat request in one round trip (kept in seats.ts beside the statement that embeds it). */
export { SEAT_CHECKS_SQL };

const asDate = (v: Date | string | null) => (v === null ? null : new Date(v));

/** The checks' verdict in words (4xx), or what the seat needs: the published offering, dates, weekdays. */
function validate(c: CheckRow, body: z.infer<typeof seatRequestInput>, now: Date) {
  if (!c.consented) throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
  if (!c.student_id) throw notFound('孩子');
  if (!c.offering_id) throw notFound('服务项目');
  if (!c.plan_version) throw new AppError(409, 'PLAN_NOT_PUBLISHED', '本学期的课后服务方案尚未公示，暂不能报名');
  const o = c.offering;
  if (!o) throw new AppError(409, 'OFFERING_NOT_PUBLISHED', '这个项目不在已公示的方案中，不能报名');
  const term = {
    applyOpensAt: asDate(c.apply_opens_at),
    applyClosesAt: asDate(c.apply_closes_at),
    startsOn: c.starts_on,
    endsOn: c.ends_on,
  };
  requireWindow({ ...term, id: '', name: '' }, now);
  if (o.allocation !== 'fcfs') throw new AppError(409, 'NOT_FCFS', '这个项目不是先到先得，请在报名申请中选择');
  if (o.opensAt && new Date(o.opensAt) > now) throw new AppError(409, 'NOT_OPEN_YET', '还没到开抢时间');
  const weekdays = [...new Set(body.weekdays)].sort();
  for (const wd of weekdays) checkEligible({ ...o, weekdays: (o.weekdays ?? []).map(Number) }, Number(c.grade), wd);
  if (!c.application_status || c.application_status === 'withdrawn') {
    throw new AppError(409, 'APPLICATION_REQUIRED', '请先为孩子提交本学期的报名申请');
  }
  if (c.application_status === 'rejected') throw new AppError(409, 'APPLICATION_REJECTED', '本学期的申请未通过审核，不能报名');
  if (c.signed_kinds < 2) throw new AppError(409, 'AGREEMENT_REQUIRED', '请先阅读并签署《课后服务协议》和《安全责任协议》');
  return { termId: c.term_id as string, weekdays, ...effectiveDates(term, now) };
}

/**
 * The seat request. One weekday (the rush): one statement checks and takes the seat (CHECKED_TAKE);
 * its checks' columns are then judged here as always, and its gate only lets a seat be taken where
 * these checks pass, so a refusal has written nothing. Several weekdays: the checks, then one
 * statement per weekday in a transaction. Exported for the tests and the benchmark.
 */
export async function requestSeats(
  exec: Exec,
  inTx: <T>(fn: (exec: Exec) => Promise<T>) => Promise<T>,
  actor: Actor,
  schoolId: string,
  body: z.infer<typeof seatRequestInput>,
  key: string | null,
  now = new Date(),
): Promise<SeatResult[]> {
  const distinct = [...new Set(body.weekdays)];
  try {
    if (distinct.length === 1) {
      const wd = distinct[0];
      const idempotencyKey = key ? `${actor.accountId}:${key}:${wd}` : null;
      const row = await takeCheckedSeat(exec, actor, {
        schoolId,
        studentId: body.studentId,
        offeringId: body.offeringId,
        weekday: wd,
        idempotencyKey,
        noticeVersion: PRIVACY_NOTICE_VERSION,
        now,
        today: todayInChina(now),
      });
      if (row) {
        const v = validate(row, body, now);
        if (row.result) return [row.result];
        if (row.ok)
          return [
            await existingSeat(exec, { schoolId, studentId: body.studentId, offeringId: body.offeringId, weekday: wd, idempotencyKey }),
          ];
        // the gate is stricter than the checks (e.g. a snapshot in an older shape): take the seat the long way
        return [
          await takeSeat(exec, actor, {
            schoolId,
            termId: v.termId,
            studentId: body.studentId,
            offeringId: body.offeringId,
            weekday: wd,
            source: 'fcfs',
            idempotencyKey,
            effectiveFrom: v.from,
            effectiveTo: v.to,
            queueKey: null,
          }),
        ];
      }
      // a twin request of the same pupil raced us to the insert: the long way finds its row
    }
    const [c] = await exec<CheckRow>('enroll_seat_checks', SEAT_CHECKS_SQL, [
      schoolId,
      actor.accountId,
      body.studentId,
      body.offeringId,
      PRIVACY_NOTICE_VERSION,
    ]);
    const v = validate(c, body, now);
    const one = (x: Exec, wd: number) =>
      takeSeat(x, actor, {
        schoolId,
        termId: v.termId,
        studentId: body.studentId,
        offeringId: body.offeringId,
        weekday: wd,
        source: 'fcfs',
        idempotencyKey: key ? `${actor.accountId}:${key}:${wd}` : null,
        effectiveFrom: v.from,
        effectiveTo: v.to,
        queueKey: null,
      });
    if (v.weekdays.length === 1) return [await one(exec, v.weekdays[0])];
    return await inTx(async (x) => {
      const out: SeatResult[] = [];
      for (const wd of v.weekdays) out.push(await one(x, wd));
      return out;
    });
  } catch (e) {
    if (e instanceof IdempotencyConflict) throw new AppError(409, 'IDEMPOTENCY_KEY_REUSED', '重复的请求标识用于了不同的报名');
    throw e;
  }
}

export const seatRoutes: FastifyPluginAsyncZod = async (app) => {
  const database = app.deps.database;
  const db = database.db;
  const exec = execOf(database);
  const inTx = <T>(fn: (x: Exec) => Promise<T>) => db.transaction((tx) => fn(execIn(tx)));

  app.post(
    '/family/seats',
    {
      config: { policy: allow('family.apply') },
      schema: {
        tags: ['enrollment'],
        summary: '抢位（先到先得）：立即录取或进入候补；带 Idempotency-Key 重试不会多占名额',
        body: seatRequestInput,
        headers: z.looseObject({ 'idempotency-key': z.string().min(1).max(120).optional() }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const key = req.headers['idempotency-key'] ?? null;
      let results = await requestSeats(exec, inTx, actor, schoolId, req.body, key);
      // A place given up earlier: asking again puts the pupil back in line.
      if (results.some((r) => !r.created && r.status === 'withdrawn')) {
        const { term } = await termWithPlan(
          db,
          schoolId,
          (
            await db
              .select({ t: enrollments.termId })
              .from(enrollments)
              .where(and(eq(enrollments.schoolId, schoolId), eq(enrollments.id, results[0].id)))
          )[0].t,
        );
        await db.transaction(async (tx) => {
          for (const r of results)
            if (!r.created && r.status === 'withdrawn')
              await rejoin(tx, actor, schoolId, r.id, key ? `${actor.accountId}:${key}:r:${r.weekday}` : null, term);
        });
        results = await requestSeats(exec, inTx, actor, schoolId, req.body, null);
      }
      return {
        results: results.map((r) => ({
          ...r,
          statusLabel: ENROLLMENT_STATUS_LABELS[r.status as keyof typeof ENROLLMENT_STATUS_LABELS] ?? r.status,
        })),
      };
    },
  );

  app.get(
    '/family/enrollments',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '孩子的录取与候补（含候补位次）', querystring: z.object({ studentId: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const child = await ownChild(db, actor, req.query.studentId);
      return (await enrollmentsOf(db, schoolId, sql`e.student_id = ${child.id}`)).map(presentEnrollment);
    },
  );

  /** The guardian's own child's place, or 404. */
  async function ownPlace(actor: Actor, schoolId: string, id: string) {
    await requireConsent(db, actor);
    const [e] = await db
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.schoolId, schoolId), eq(enrollments.id, id)));
    if (!e) throw notFound('报名记录');
    await ownChild(db, actor, e.studentId).catch(() => {
      throw notFound('报名记录');
    });
    const { term, plan } = await termWithPlan(db, schoolId, e.termId);
    return { e, term, plan };
  }

  app.post(
    '/family/enrollments/:id/confirm',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '确认候补递补的名额（期限内）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { e, term } = await ownPlace(actor, schoolId, req.params.id);
      await db.transaction((tx) => confirmOffer(tx, actor, schoolId, e.id, term));
      const [view] = await enrollmentsOf(db, schoolId, sql`e.id = ${e.id}`);
      return presentEnrollment(view);
    },
  );

  app.post(
    '/family/enrollments/:id/withdraw',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '放弃名额或退出候补（已录取的只能在报名期内退出）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { e, term, plan } = await ownPlace(actor, schoolId, req.params.id);
      requirePublished(plan);
      if (e.status === 'enrolled' && windowState(term) !== 'open') {
        throw new AppError(409, 'WINDOW_CLOSED', '报名时间已结束，退出已录取的项目请联系学校课后服务办公室');
      }
      if (!['enrolled', 'offered', 'waitlisted'].includes(e.status)) throw badRequest('NOT_ACTIVE', '这个报名已经结束');
      await db.transaction((tx) =>
        endPlace(tx, actor, schoolId, e.id, 'withdrawn', e.status === 'offered' ? 'offer declined' : 'by guardian'),
      );
      const [view] = await enrollmentsOf(db, schoolId, sql`e.id = ${e.id}`);
      return presentEnrollment(view);
    },
  );
};
