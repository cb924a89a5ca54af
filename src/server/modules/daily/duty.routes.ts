/** The duty leader's afternoon: counts per group and campus, missing cases, relay pupils, closing the day, live events. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { effectiveDutyLeaders, effectiveTeacherSql } from '../rota/effective';
import { schoolDay, todayOf } from './days';
import { eventsFor } from './events';
import { materialise } from './today';

const COUNTS = sql`count(*)::int AS expected,
  count(*) FILTER (WHERE a.status = 'present')::int AS present,
  count(*) FILTER (WHERE a.status = 'late')::int AS late,
  count(*) FILTER (WHERE a.status = 'leave')::int AS leave,
  count(*) FILTER (WHERE a.status = 'absent')::int AS absent,
  count(*) FILTER (WHERE a.status = 'expected')::int AS unmarked,
  count(*) FILTER (WHERE a.handover = 'released')::int AS released,
  count(*) FILTER (WHERE a.handover = 'relay')::int AS relay`;

/**
 * R7: pupils of the day's last sessions (afternoon, late) neither released, on leave, nor absent with
 * the case closed; relay pupils still count until handed over.
 */
export async function unaccounted(db: Db, schoolId: string, day: string) {
  return queryRows<{ studentId: string; name: string; className: string; groupId: string; status: string; handover: string }>(
    db,
    sql`SELECT a.student_id AS "studentId", s.name, c.name AS "className", a.group_id AS "groupId", a.status, a.handover
          FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
         WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND a.handover <> 'released' AND a.status <> 'leave'
           -- morning and noon care end back in class; an afternoon pupil who stays for late care is handed on to it
           AND g.slot IN ('afternoon', 'late')
           AND NOT (g.slot = 'afternoon' AND a.status IN ('present', 'late') AND EXISTS (SELECT 1 FROM attendance l JOIN care_groups lg ON lg.school_id = l.school_id AND lg.id = l.group_id
                     WHERE l.school_id = a.school_id AND l.day = a.day AND l.student_id = a.student_id AND lg.slot = 'late'))
           AND NOT (a.status = 'absent' AND NOT EXISTS (SELECT 1 FROM missing_cases m WHERE m.school_id = a.school_id AND m.day = a.day
                     AND m.group_id = a.group_id AND m.student_id = a.student_id AND m.status = 'open'))
         ORDER BY s.grade, c.name, s.student_no`,
  );
}

export const dutyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const events = eventsFor(app.deps);
  app.addHook('onReady', () => events.start());
  app.addHook('onClose', () => events.stop());

  app.get(
    '/daily/duty',
    { config: { policy: allow('duty.read') }, schema: { tags: ['daily'], summary: '值班台：今日各组人数、未到个案、接力学生' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const sd = await schoolDay(db, schoolId, todayOf(app.deps));
      await materialise(db, schoolId, sd);
      const day = sd.day;
      const groups = await queryRows(
        db,
        sql`SELECT g.id, g.slot, g.band, g.idx AS index, o.name AS "offeringName", cp.name AS "campusName", v.name AS "venueName", st.name AS "teacherName",
                 (SELECT ck.at FROM teacher_checkins ck WHERE ck.school_id = g.school_id AND ck.day = ${day}::date AND ck.group_id = g.id) AS "checkedInAt", ${COUNTS}
            FROM care_groups g JOIN attendance a ON a.school_id = g.school_id AND a.group_id = g.id AND a.day = ${day}::date
            JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
            JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
            LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
            LEFT JOIN staff st ON st.school_id = g.school_id AND st.id = ${effectiveTeacherSql(day)}
           WHERE g.school_id = ${schoolId}
           GROUP BY g.school_id, g.id, o.name, cp.name, v.name, st.name
           ORDER BY array_position(ARRAY['morning','noon','afternoon','late'], g.slot), cp.name, o.name, g.band, g.idx`,
      );
      const campuses = await queryRows(
        db,
        sql`SELECT cp.name AS "campusName", ${COUNTS} FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
            JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
           WHERE a.school_id = ${schoolId} AND a.day = ${day}::date GROUP BY cp.name ORDER BY cp.name`,
      );
      const cases = await queryRows(
        db,
        sql`SELECT m.id, m.status, m.outcome, m.note, m.opened_at AS "openedAt", m.resolved_at AS "resolvedAt", m.group_id AS "groupId",
                 s.id AS "studentId", s.name, c.name AS "className", o.name AS "offeringName", ob.display_name AS "openedBy", rb.display_name AS "resolvedBy",
                 COALESCE((SELECT json_agg(json_build_object('name', gd.name, 'phone', gd.phone, 'relation', sg.relation) ORDER BY sg.is_primary DESC)
                   FROM student_guardians sg JOIN guardians gd ON gd.school_id = sg.school_id AND gd.id = sg.guardian_id
                  WHERE sg.school_id = s.school_id AND sg.student_id = s.id), '[]'::json) AS guardians
            FROM missing_cases m JOIN students s ON s.school_id = m.school_id AND s.id = m.student_id
            JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
            JOIN care_groups g ON g.school_id = m.school_id AND g.id = m.group_id
            JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
            LEFT JOIN accounts ob ON ob.id = m.opened_by LEFT JOIN accounts rb ON rb.id = m.resolved_by
           WHERE m.school_id = ${schoolId} AND m.day = ${day}::date
           ORDER BY m.status = 'open' DESC, m.opened_at`,
      );
      const relay = await queryRows(
        db,
        sql`SELECT a.student_id AS "studentId", a.group_id AS "groupId", s.name, c.name AS "className", a.relay_at AS "relayAt", a.handover,
                 a.released_at AS "releasedAt", a.released_to_name AS "releasedToName",
                 COALESCE((SELECT json_agg(json_build_object('name', gd.name, 'phone', gd.phone, 'relation', sg.relation) ORDER BY sg.is_primary DESC)
                   FROM student_guardians sg JOIN guardians gd ON gd.school_id = sg.school_id AND gd.id = sg.guardian_id
                  WHERE sg.school_id = s.school_id AND sg.student_id = s.id), '[]'::json) AS guardians
            FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
            JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
           WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND a.relay_at IS NOT NULL
           ORDER BY a.handover = 'released', a.relay_at, s.name`,
      );
      const [closed] = await queryRows<{ closedAt: string; by: string }>(
        db,
        sql`SELECT d.closed_at AS "closedAt", a.display_name AS by FROM day_closures d LEFT JOIN accounts a ON a.id = d.closed_by
           WHERE d.school_id = ${schoolId} AND d.day = ${day}::date`,
      );
      // today's duty leaders after approved swaps (R8)
      const leaderIds = sd.termId && sd.weekday ? await effectiveDutyLeaders(db, schoolId, sd.termId, day, sd.weekday) : [];
      const leaders = leaderIds.length
        ? await queryRows<{ id: string; name: string }>(
            db,
            sql`SELECT id, name FROM staff WHERE school_id = ${schoolId} AND id IN (${sql.join(
              leaderIds.map((i) => sql`${i}::uuid`),
              sql`, `,
            )}) ORDER BY name`,
          )
        : [];
      return { day, weekday: sd.weekday, reason: sd.reason, closed: closed ?? null, leaders, groups, campuses, cases, relay };
    },
  );

  app.post(
    '/daily/cases/:caseId/resolve',
    {
      config: { policy: allow('duty.read') },
      schema: {
        tags: ['daily'],
        summary: '记录未到个案的结果',
        params: z.object({ caseId: z.uuid() }),
        body: z
          .object({ outcome: z.enum(['found', 'guardian_confirmed', 'other']), note: z.string().trim().max(500).default('') })
          .strict()
          .refine((b) => b.outcome !== 'other' || b.note.length > 0, { message: '选择“其他”时请填写说明', path: ['note'] }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const out = await db.transaction(async (tx) => {
        const [m] = await queryRows<{ id: string; day: string; status: string; student_id: string }>(
          tx,
          sql`SELECT id, day::text, status, student_id FROM missing_cases WHERE school_id = ${schoolId} AND id = ${req.params.caseId} FOR UPDATE`,
        );
        if (!m) throw notFound('未到个案');
        if (m.status !== 'open') return { id: m.id, status: m.status, day: m.day, changed: false };
        await tx.execute(sql`UPDATE missing_cases SET status = 'resolved', outcome = ${req.body.outcome}, note = ${req.body.note}, resolved_at = now(), resolved_by = ${actor.accountId}
                              WHERE school_id = ${schoolId} AND id = ${m.id}`);
        await audit(tx, actor, schoolId, {
          action: 'missing_case.resolve',
          entity: 'student',
          entityId: m.student_id,
          detail: { caseId: m.id, ...req.body },
        });
        return { id: m.id, status: 'resolved', day: m.day, changed: true };
      });
      if (out.changed) events.publish({ schoolId, day: out.day, kind: 'case' });
      return { id: out.id, status: out.status };
    },
  );

  app.post(
    '/daily/close',
    { config: { policy: allow('day.close') }, schema: { tags: ['daily'], summary: '结束今日（所有学生都已交接或有去向）' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const day = todayOf(app.deps);
      await materialise(db, schoolId, await schoolDay(db, schoolId, day));
      const result = await db.transaction(async (tx) => {
        // one close at a time per school and day; writes after it are refused (DAY_CLOSED)
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`close:${schoolId}:${day}`}))`);
        const [done] = await queryRows<{ closed_at: string }>(
          tx,
          sql`SELECT closed_at FROM day_closures WHERE school_id = ${schoolId} AND day = ${day}::date`,
        );
        if (done) return { day, closedAt: done.closed_at, already: true };
        const left = await unaccounted(tx, schoolId, day);
        if (left.length)
          throw new AppError(409, 'DAY_NOT_ACCOUNTED', `还有 ${left.length} 名学生未交接或去向不明，不能结束今日`, { pupils: left });
        const [row] = await queryRows<{ closed_at: string }>(
          tx,
          sql`INSERT INTO day_closures (school_id, day, closed_by) VALUES (${schoolId}, ${day}::date, ${actor.accountId}) RETURNING closed_at`,
        );
        await audit(tx, actor, schoolId, { action: 'day.close', entity: 'day', entityId: day });
        return { day, closedAt: row.closed_at, already: false };
      });
      if (!result.already) events.publish({ schoolId, day, kind: 'close' });
      return result;
    },
  );

  app.get(
    '/daily/events',
    { config: { policy: allow('attendance.read') }, schema: { tags: ['daily'], summary: '实时更新（server-sent events）' } },
    async (req, reply) => {
      const { schoolId } = schoolActor(req);
      // Only an EventSource (Accept: text/event-stream) gets the endless stream; anything else a short answer.
      if (!String(req.headers.accept ?? '').includes('text/event-stream'))
        throw new AppError(406, 'NOT_ACCEPTABLE', '请用 EventSource（Accept: text/event-stream）连接实时更新');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const off = events.subscribe(schoolId, (e) =>
        res.write(`event: changed\ndata: ${JSON.stringify({ day: e.day, kind: e.kind, groupId: e.groupId ?? null })}\n\n`),
      );
      const beat = setInterval(() => res.write(': ping\n\n'), 25_000);
      beat.unref();
      req.raw.on('close', () => {
        clearInterval(beat);
        off();
      });
    },
  );
};
