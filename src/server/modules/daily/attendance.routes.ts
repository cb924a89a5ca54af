/** The care teacher's afternoon: today's groups, check-in, roll call, release to an authorised adult, relay to duty. */
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { effectiveTeacherSql } from '../rota/effective';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { audit } from '../audit/service';
import { schoolDay, staffIdsOf, todayOf } from './days';
import { eventsFor } from './events';
import { groupToday, isLeader, materialise, rosterOf } from './today';
import { checkedRelease } from './checked-release';
import { execOf } from '../../db/exec';
import { fingerprint, once, priorWrite } from './idempotency';
import { STATUSES, mark, release, relay } from './writes';

const groupParams = z.object({ groupId: z.uuid() });
const releaseBody = z
  .object({ studentId: z.uuid(), pickupPersonId: z.uuid().optional(), alone: z.boolean().optional() })
  .strict()
  .refine((b) => !!b.pickupPersonId !== !!b.alone, { message: '请选择一位接送人，或选择独自离校' });
type ReleaseBody = z.infer<typeof releaseBody>;
const idemHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).loose();

export const attendanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const exec = execOf(app.deps.database);
  const events = eventsFor(app.deps);

  /**
   * One replayable write on a group today: a replay of a committed key answers its first result
   * (even once the day is closed); otherwise today's checks, then `run` and its key in one transaction.
   */
  async function replayable<T>(
    req: FastifyRequest,
    run: (tx: Db, c: Awaited<ReturnType<typeof groupToday>>, actor: Actor, schoolId: string) => Promise<T>,
    kind: string,
  ): Promise<T & { replayed: boolean }> {
    const { actor, schoolId } = schoolActor(req);
    const key = req.headers['idempotency-key'] as string | undefined;
    const { groupId } = req.params as { groupId: string };
    const fp = fingerprint(req.routeOptions.url, groupId, req.body ?? {});
    const prior = await priorWrite<T>(db, schoolId, actor, key, fp);
    if (prior !== undefined) return { ...prior, replayed: true };
    const c = await groupToday(db, actor, schoolId, groupId, true, todayOf(app.deps));
    const { result, replayed } = await db.transaction((tx) => once(tx, schoolId, actor, key, () => run(tx, c, actor, schoolId), fp));
    if (!replayed) events.publish({ schoolId, day: c.sd.day, kind, groupId: c.g.id });
    // release() reports a pupil released already (another key, another adult's phone) as a replay too
    return { ...result, replayed: replayed || (result as { replayed?: boolean }).replayed === true };
  }

  /** The release's hot path (checked-release.ts); null: refused, replayed or raced — the long path answers. */
  async function releaseInOneStatement(req: FastifyRequest, groupId: string, body: ReleaseBody) {
    const { actor, schoolId } = schoolActor(req);
    const day = todayOf(app.deps);
    const event = { schoolId, day, kind: 'release', groupId };
    const result = await checkedRelease(exec, actor, {
      schoolId,
      day,
      groupId,
      studentId: body.studentId,
      pickupPersonId: body.pickupPersonId ?? null,
      alone: body.alone === true,
      key: (req.headers['idempotency-key'] as string | undefined) ?? null,
      leader: isLeader(actor),
      fingerprint: fingerprint(req.routeOptions.url, groupId, body),
    });
    if (result) events.publish(event);
    return result;
  }

  app.get(
    '/daily/today',
    {
      config: { policy: allow('attendance.read') },
      schema: { tags: ['daily'], summary: '今日托管组（教师：我的组）', querystring: z.object({ mine: z.enum(['0', '1']).optional() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const sd = await schoolDay(db, schoolId, todayOf(app.deps));
      await materialise(db, schoolId, sd);
      const leader = actor.roles.includes('duty') || actor.roles.includes('school_admin');
      const mine = req.query.mine === '1' || !leader ? await staffIdsOf(db, schoolId, actor.accountId) : null;
      const groups = !sd.weekday
        ? []
        : await queryRows(
            db,
            sql`SELECT g.id, g.slot, g.band, g.idx AS index, o.name AS "offeringName", v.name AS "venueName", st.name AS "teacherName", cp.name AS "campusName",
                       (SELECT to_char(ps.start_time, 'HH24:MI') || '–' || to_char(ps.end_time, 'HH24:MI') FROM plan_slots ps
                         WHERE ps.school_id = o.school_id AND ps.plan_id = o.plan_id AND ps.slot = g.slot AND ps.season = ${sd.season}
                           AND ps.grade_band IN ('all', CASE WHEN g.band = 'low' THEN 'low' ELSE 'high' END) ORDER BY ps.grade_band = 'all' LIMIT 1) AS time,
                       (SELECT count(*)::int FROM attendance a WHERE a.school_id = g.school_id AND a.day = ${sd.day}::date AND a.group_id = g.id) AS expected,
                       (SELECT count(*)::int FROM attendance a WHERE a.school_id = g.school_id AND a.day = ${sd.day}::date AND a.group_id = g.id AND a.status <> 'expected') AS marked,
                       (SELECT ck.at FROM teacher_checkins ck WHERE ck.school_id = g.school_id AND ck.day = ${sd.day}::date AND ck.group_id = g.id) AS "checkedInAt"
                  FROM care_groups g
                  JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
                  JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
                  LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
                  LEFT JOIN staff st ON st.school_id = g.school_id AND st.id = ${effectiveTeacherSql(sd.day)}
                 WHERE g.school_id = ${schoolId} AND g.term_id = ${sd.termId} AND g.weekday = ${sd.weekday}
                   ${mine ? sql`AND ${effectiveTeacherSql(sd.day)} IN (SELECT id FROM staff WHERE school_id = ${schoolId} AND account_id = ${actor.accountId})` : sql``}
                 ORDER BY array_position(ARRAY['morning','noon','afternoon','late'], g.slot), cp.name, o.name, g.band, g.idx`,
          );
      const [closed] = await queryRows(db, sql`SELECT closed_at FROM day_closures WHERE school_id = ${schoolId} AND day = ${sd.day}::date`);
      return { day: sd.day, weekday: sd.weekday, reason: sd.reason, closed: !!closed, groups };
    },
  );

  app.get(
    '/daily/groups/:groupId/roster',
    { config: { policy: allow('attendance.read') }, schema: { tags: ['daily'], summary: '本组今日名单与考勤', params: groupParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { g, sd } = await groupToday(db, actor, schoolId, req.params.groupId, false, todayOf(app.deps));
      return { day: sd.day, groupId: g.id, slot: g.slot, pupils: await rosterOf(db, schoolId, sd.day, g.id) };
    },
  );

  app.get(
    '/daily/groups/:groupId/pupils/:studentId/pickups',
    {
      config: { policy: allow('release.write') },
      schema: { tags: ['daily'], summary: '今日可接走该生的授权接送人（含照片）', params: groupParams.extend({ studentId: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { g, sd } = await groupToday(db, actor, schoolId, req.params.groupId, false, todayOf(app.deps));
      const [inGroup] = await queryRows(
        db,
        sql`SELECT 1 FROM attendance WHERE school_id = ${schoolId} AND day = ${sd.day}::date AND group_id = ${g.id} AND student_id = ${req.params.studentId}`,
      );
      if (!inGroup) return { adults: [], goHomeAlone: false };
      const adults = await queryRows(
        db,
        sql`SELECT id, name, relation, phone, photo, valid_from AS "validFrom", valid_to AS "validTo" FROM pickup_persons
             WHERE school_id = ${schoolId} AND student_id = ${req.params.studentId}
               AND (valid_from IS NULL OR valid_from <= ${sd.day}::date) AND (valid_to IS NULL OR valid_to >= ${sd.day}::date)
             ORDER BY valid_from NULLS FIRST, name`,
      );
      const [alone] = await queryRows(
        db,
        sql`SELECT 1 FROM applications WHERE school_id = ${schoolId} AND term_id = ${g.term_id} AND student_id = ${req.params.studentId}
              AND go_home_alone AND status NOT IN ('withdrawn', 'rejected')`,
      );
      return { adults, goHomeAlone: !!alone };
    },
  );

  app.post(
    '/daily/groups/:groupId/checkin',
    {
      config: { policy: allow('attendance.write') },
      schema: { tags: ['daily'], summary: '我已到岗', params: groupParams, headers: idemHeaders },
    },
    (req) =>
      replayable(
        req,
        async (tx, { g, sd }, actor, schoolId) => {
          const fresh = await queryRows(
            tx,
            sql`INSERT INTO teacher_checkins (school_id, day, group_id, account_id) VALUES (${schoolId}, ${sd.day}::date, ${g.id}, ${actor.accountId})
                ON CONFLICT DO NOTHING RETURNING at`,
          );
          if (fresh.length)
            await audit(tx, actor, schoolId, {
              action: 'attendance.checkin',
              entity: 'care_group',
              entityId: g.id,
              detail: { day: sd.day },
            });
          const [r] = await queryRows<{ at: string }>(
            tx,
            sql`SELECT at FROM teacher_checkins WHERE school_id = ${schoolId} AND day = ${sd.day}::date AND group_id = ${g.id}`,
          );
          return { groupId: g.id, checkedInAt: r.at };
        },
        'checkin',
      ),
  );

  app.post(
    '/daily/groups/:groupId/attendance',
    {
      config: { policy: allow('attendance.write') },
      schema: {
        tags: ['daily'],
        summary: '点名（到/迟到/请假/未到）；带 Idempotency-Key 的重放不会重复记录',
        params: groupParams,
        headers: idemHeaders,
        body: z
          .object({
            marks: z
              .array(z.object({ studentId: z.uuid(), status: z.enum(STATUSES) }))
              .min(1)
              .max(200),
          })
          .strict(),
      },
    },
    (req) =>
      replayable(
        req,
        async (tx, { g, sd }, actor, schoolId) => ({
          marks: await mark({ tx, actor, schoolId, day: sd.day, groupId: g.id }, req.body.marks),
        }),
        'attendance',
      ),
  );

  app.post(
    '/daily/groups/:groupId/all-present',
    {
      config: { policy: allow('attendance.write') },
      schema: { tags: ['daily'], summary: '全部到（未点名的学生记为到）', params: groupParams, headers: idemHeaders },
    },
    (req) =>
      replayable(
        req,
        async (tx, { g, sd }, actor, schoolId) => {
          const rows = await queryRows<{ student_id: string }>(
            tx,
            sql`UPDATE attendance SET status = 'present', marked_at = now(), marked_by = ${actor.accountId}
                 WHERE school_id = ${schoolId} AND day = ${sd.day}::date AND group_id = ${g.id} AND status = 'expected' RETURNING student_id`,
          );
          if (rows.length)
            await audit(tx, actor, schoolId, {
              action: 'attendance.all_present',
              entity: 'care_group',
              entityId: g.id,
              detail: { day: sd.day, pupils: rows.length },
            });
          return { marked: rows.length };
        },
        'attendance',
      ),
  );

  app.post(
    '/daily/groups/:groupId/release',
    {
      config: { policy: allow('release.write') },
      schema: {
        tags: ['daily'],
        summary: '交给授权接送人（或经家长书面同意独自离校）；带 Idempotency-Key 的重放返回第一次的结果',
        params: groupParams,
        headers: idemHeaders,
        body: releaseBody,
      },
    },
    async (req) =>
      (await releaseInOneStatement(req, req.params.groupId, req.body)) ??
      replayable(
        req,
        (tx, { g, sd }, actor, schoolId) =>
          release({ tx, actor, schoolId, day: sd.day, groupId: g.id, termId: g.term_id }, req.body.studentId, req.body),
        'release',
      ),
  );

  app.post(
    '/daily/groups/:groupId/relay',
    {
      config: { policy: allow('attendance.write') },
      schema: { tags: ['daily'], summary: '移交值班（接力托管）', params: groupParams, headers: idemHeaders },
    },
    (req) => replayable(req, (tx, { g, sd }, actor, schoolId) => relay({ tx, actor, schoolId, day: sd.day, groupId: g.id }), 'relay'),
  );
};
