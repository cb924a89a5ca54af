/**
 * 交接 and 清点: the homeroom teacher sees the class's care pupils today, writes notes per pupil
 * (medicine, early pick-up, a substitute today, other) and marks the class handed over; the care
 * teacher reads the notes on the roster; the duty leader records the line-up headcount per group or
 * campus against the expected number (pupils not on leave), and sees the discrepancies.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afternoonSettingsSchema, handoverNoteInput, headcountInput } from '../../../shared/afternoon';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { afternoonSettings, handoverNotes } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { schoolDay, todayOf } from '../daily/days';
import { eventsFor } from '../daily/events';
import { groupToday, materialise } from '../daily/today';
import { clockOf, isOffice, ledClassIds, loadSettings, staffPupil, todayAt } from './common';

const uuidList = (ids: string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

export const handoverRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const now = clockOf(app.deps);
  const events = eventsFor(app.deps);

  app.get(
    '/afternoon/handover',
    { config: { policy: allow('handover.write') }, schema: { tags: ['afternoon'], summary: '班主任：本班今天参加托管的学生、交接备注' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const sd = await schoolDay(db, schoolId, todayAt(now()));
      await materialise(db, schoolId, sd);
      const classIds = await ledClassIds(db, schoolId, actor.accountId);
      if (classIds.length === 0) return { day: sd.day, reason: sd.reason, classes: [] };
      const classes = await queryRows<{ id: string; name: string; handedAt: string | null; pupils: unknown[] }>(
        db,
        sql`SELECT c.id, c.name, h.handed_at AS "handedAt",
                   COALESCE((SELECT json_agg(p ORDER BY p."studentNo") FROM (
                     SELECT s.id AS "studentId", s.name, s.student_no AS "studentNo",
                            json_agg(json_build_object('slot', g.slot, 'offeringName', o.name, 'venueName', v.name, 'teacherName', st.name, 'status', a.status)
                                     ORDER BY array_position(ARRAY['morning','noon','afternoon','late'], g.slot)) AS sessions,
                            COALESCE((SELECT json_agg(json_build_object('id', n.id, 'kind', n.kind, 'text', n.text) ORDER BY n.written_at) FROM handover_notes n
                                       WHERE n.school_id = s.school_id AND n.day = ${sd.day}::date AND n.student_id = s.id), '[]'::json) AS notes,
                            COALESCE((SELECT json_agg(json_build_object('name', ps.name, 'relation', ps.relation, 'phone', ps.phone)) FROM pickup_substitutes ps
                                       WHERE ps.school_id = s.school_id AND ps.day = ${sd.day}::date AND ps.student_id = s.id AND ps.cancelled_at IS NULL), '[]'::json) AS substitutes
                       FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
                       JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
                       JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
                       LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
                       LEFT JOIN staff st ON st.school_id = g.school_id AND st.id = g.teacher_staff_id
                      WHERE a.school_id = c.school_id AND a.day = ${sd.day}::date AND s.class_id = c.id
                      GROUP BY s.school_id, s.id) p), '[]'::json) AS pupils
              FROM classes c LEFT JOIN class_handovers h ON h.school_id = c.school_id AND h.day = ${sd.day}::date AND h.class_id = c.id
             WHERE c.school_id = ${schoolId} AND c.id = ANY (${uuidList(classIds)})
             ORDER BY c.grade, c.name`,
      );
      return { day: sd.day, reason: sd.reason, classes };
    },
  );

  app.post(
    '/afternoon/handover/notes',
    {
      config: { policy: allow('handover.write') },
      schema: { tags: ['afternoon'], summary: '给托管老师的交接备注', body: handoverNoteInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const pupil = await staffPupil(db, actor, schoolId, req.body.studentId);
      const day = todayAt(now());
      const id = newId();
      await db.transaction(async (tx) => {
        await tx
          .insert(handoverNotes)
          .values({ schoolId, id, day, studentId: pupil.id, kind: req.body.kind, text: req.body.text, writtenBy: actor.accountId });
        await audit(tx, actor, schoolId, {
          action: 'handover.note',
          entity: 'student',
          entityId: pupil.id,
          detail: { noteId: id, kind: req.body.kind },
        });
      });
      events.publish({ schoolId, day, kind: 'handover' });
      return { id, day, studentId: pupil.id, kind: req.body.kind, text: req.body.text };
    },
  );

  app.delete(
    '/afternoon/handover/notes/:id',
    {
      config: { policy: allow('handover.write') },
      schema: { tags: ['afternoon'], summary: '删除交接备注', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [n] = await queryRows<{ student_id: string; day: string }>(
        db,
        sql`SELECT student_id, day::text AS day FROM handover_notes WHERE school_id = ${schoolId} AND id = ${req.params.id}`,
      );
      if (!n) throw notFound('交接备注');
      await staffPupil(db, actor, schoolId, n.student_id);
      await db.transaction(async (tx) => {
        await tx.execute(sql`DELETE FROM handover_notes WHERE school_id = ${schoolId} AND id = ${req.params.id}`);
        await audit(tx, actor, schoolId, {
          action: 'handover.note_delete',
          entity: 'student',
          entityId: n.student_id,
          detail: { noteId: req.params.id },
        });
      });
      events.publish({ schoolId, day: n.day, kind: 'handover' });
      return { id: req.params.id, deleted: true };
    },
  );

  app.post(
    '/afternoon/handover/classes/:classId/done',
    {
      config: { policy: allow('handover.write') },
      schema: { tags: ['afternoon'], summary: '本班托管学生已移交', params: z.object({ classId: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const mine = await ledClassIds(db, schoolId, actor.accountId);
      const [c] = await queryRows<{ id: string }>(
        db,
        sql`SELECT id FROM classes WHERE school_id = ${schoolId} AND id = ${req.params.classId}`,
      );
      if (!c || (!mine.includes(c.id) && !isOffice(actor))) throw notFound('班级');
      const day = todayAt(now());
      const out = await db.transaction(async (tx) => {
        const [row] = await queryRows<{ pupils: number; handed_at: string }>(
          tx,
          sql`INSERT INTO class_handovers (school_id, day, class_id, pupils, handed_by)
              SELECT ${schoolId}, ${day}::date, ${c.id}, count(DISTINCT a.student_id)::int, ${actor.accountId}
                FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
               WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND s.class_id = ${c.id} AND a.status <> 'leave'
              ON CONFLICT (school_id, day, class_id) DO UPDATE SET pupils = EXCLUDED.pupils, handed_by = EXCLUDED.handed_by, handed_at = now()
              RETURNING pupils, handed_at`,
        );
        await audit(tx, actor, schoolId, {
          action: 'handover.class',
          entity: 'class',
          entityId: c.id,
          detail: { day, pupils: row.pupils },
        });
        return { classId: c.id, pupils: row.pupils, handedAt: row.handed_at };
      });
      events.publish({ schoolId, day, kind: 'handover' });
      return out;
    },
  );

  app.get(
    '/afternoon/groups/:groupId/notes',
    {
      config: { policy: allow('handover.read') },
      schema: {
        tags: ['afternoon'],
        summary: '本组今天的交接备注、请假与临时接送人（点名名单用）',
        params: z.object({ groupId: z.uuid() }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { g, sd } = await groupToday(db, actor, schoolId, req.params.groupId, false, todayOf(app.deps));
      const pupils = await queryRows(
        db,
        sql`SELECT a.student_id AS "studentId",
                   COALESCE((SELECT json_agg(json_build_object('kind', n.kind, 'text', n.text) ORDER BY n.written_at) FROM handover_notes n
                              WHERE n.school_id = a.school_id AND n.day = a.day AND n.student_id = a.student_id), '[]'::json) AS notes,
                   (SELECT l.reason FROM leave_requests l WHERE l.school_id = a.school_id AND l.student_id = a.student_id AND l.status = 'approved'
                      AND a.day BETWEEN l.from_day AND l.to_day AND ${g.slot} = ANY (l.slots) ORDER BY l.requested_at LIMIT 1) AS "leaveReason",
                   COALESCE((SELECT json_agg(ps.relation || ps.name) FROM pickup_substitutes ps WHERE ps.school_id = a.school_id AND ps.day = a.day
                              AND ps.student_id = a.student_id AND ps.cancelled_at IS NULL), '[]'::json) AS substitutes
              FROM attendance a WHERE a.school_id = ${schoolId} AND a.day = ${sd.day}::date AND a.group_id = ${g.id}`,
      );
      return { day: sd.day, groupId: g.id, pupils };
    },
  );

  app.get(
    '/afternoon/headcounts',
    { config: { policy: allow('duty.read') }, schema: { tags: ['afternoon'], summary: '站队清点：各组与校区的实到与应到' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const sd = await schoolDay(db, schoolId, todayAt(now()));
      await materialise(db, schoolId, sd);
      const groups = await queryRows(
        db,
        sql`SELECT g.id AS "groupId", g.campus_id AS "campusId", cp.name AS "campusName", o.name AS "offeringName", g.slot, g.band, g.idx AS index,
                   count(a.*) FILTER (WHERE a.status <> 'leave')::int AS expected,
                   h.counted, h.expected AS "expectedAtCount", h.note, h.recorded_at AS "recordedAt", rb.display_name AS "recordedBy"
              FROM care_groups g JOIN attendance a ON a.school_id = g.school_id AND a.group_id = g.id AND a.day = ${sd.day}::date
              JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
              JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
              LEFT JOIN headcounts h ON h.school_id = g.school_id AND h.day = ${sd.day}::date AND h.scope = 'g:' || g.id::text
              LEFT JOIN accounts rb ON rb.id = h.recorded_by
             WHERE g.school_id = ${schoolId}
             GROUP BY g.school_id, g.id, cp.name, o.name, h.counted, h.expected, h.note, h.recorded_at, rb.display_name
             ORDER BY array_position(ARRAY['morning','noon','afternoon','late'], g.slot), cp.name, o.name, g.band, g.idx`,
      );
      const campuses = await queryRows(
        db,
        sql`SELECT cp.id AS "campusId", cp.name AS "campusName",
                   (SELECT count(*) FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
                     WHERE a.school_id = cp.school_id AND a.day = ${sd.day}::date AND g.campus_id = cp.id AND g.slot = 'afternoon' AND a.status <> 'leave')::int AS expected,
                   h.counted, h.expected AS "expectedAtCount", h.note, h.recorded_at AS "recordedAt"
              FROM campuses cp LEFT JOIN headcounts h ON h.school_id = cp.school_id AND h.day = ${sd.day}::date AND h.scope = 'c:' || cp.id::text
             WHERE cp.school_id = ${schoolId} ORDER BY cp.name`,
      );
      const flag = <T extends { counted: number | null; expectedAtCount: number | null }>(r: T) => ({
        ...r,
        discrepancy: r.counted === null || r.expectedAtCount === null ? null : r.counted - r.expectedAtCount,
      });
      return { day: sd.day, groups: groups.map((r) => flag(r as never)), campuses: campuses.map((r) => flag(r as never)) };
    },
  );

  app.post(
    '/afternoon/headcounts',
    { config: { policy: allow('headcount.write') }, schema: { tags: ['afternoon'], summary: '记录站队清点人数', body: headcountInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const day = todayAt(now());
      const sd = await schoolDay(db, schoolId, day);
      if (!sd.weekday) throw new AppError(409, 'NO_SERVICE_TODAY', '今天没有托管');
      await materialise(db, schoolId, sd);
      let scope: string;
      let campusId: string;
      let groupId: string | null = null;
      let expectedQ: ReturnType<typeof sql>;
      if (req.body.groupId) {
        const [g] = await queryRows<{ id: string; campus_id: string }>(
          db,
          sql`SELECT id, campus_id FROM care_groups WHERE school_id = ${schoolId} AND id = ${req.body.groupId} AND term_id = ${sd.termId} AND weekday = ${sd.weekday}`,
        );
        if (!g) throw notFound('今日托管组');
        scope = `g:${g.id}`;
        campusId = g.campus_id;
        groupId = g.id;
        expectedQ = sql`SELECT count(*)::int AS n FROM attendance WHERE school_id = ${schoolId} AND day = ${day}::date AND group_id = ${g.id} AND status <> 'leave'`;
      } else {
        const [c] = await queryRows<{ id: string }>(
          db,
          sql`SELECT id FROM campuses WHERE school_id = ${schoolId} AND id = ${req.body.campusId ?? null}`,
        );
        if (!c) throw notFound('校区');
        scope = `c:${c.id}`;
        campusId = c.id;
        expectedQ = sql`SELECT count(*)::int AS n FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
                         WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND g.campus_id = ${c.id} AND g.slot = 'afternoon' AND a.status <> 'leave'`;
      }
      const out = await db.transaction(async (tx) => {
        const [{ n: expected }] = await queryRows<{ n: number }>(tx, expectedQ);
        await tx.execute(sql`INSERT INTO headcounts (school_id, day, scope, group_id, campus_id, counted, expected, note, recorded_by)
                             VALUES (${schoolId}, ${day}::date, ${scope}, ${groupId}, ${campusId}, ${req.body.counted}, ${expected}, ${req.body.note}, ${actor.accountId})
                             ON CONFLICT (school_id, day, scope) DO UPDATE SET counted = EXCLUDED.counted, expected = EXCLUDED.expected, note = EXCLUDED.note,
                               recorded_by = EXCLUDED.recorded_by, recorded_at = now()`);
        await audit(tx, actor, schoolId, {
          action: 'headcount.record',
          entity: 'day',
          entityId: day,
          detail: { scope, counted: req.body.counted, expected },
        });
        return { scope, counted: req.body.counted, expected, discrepancy: req.body.counted - expected };
      });
      events.publish({ schoolId, day, kind: 'headcount', groupId: groupId ?? undefined });
      return out;
    },
  );

  app.get(
    '/afternoon/settings',
    { config: { policy: allow('school.read') }, schema: { tags: ['afternoon'], summary: '请假截止时间与审批方式' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return (await loadSettings(db, schoolId)).settings;
    },
  );

  app.put(
    '/afternoon/settings',
    {
      config: { policy: allow('school.write') },
      schema: { tags: ['afternoon'], summary: '设置请假截止时间与审批方式', body: afternoonSettingsSchema.strict() },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await db.transaction(async (tx) => {
        await tx
          .insert(afternoonSettings)
          .values({ schoolId, settings: req.body, codeSecret: randomBytes(32).toString('base64url') })
          .onConflictDoUpdate({ target: afternoonSettings.schoolId, set: { settings: req.body, updatedAt: new Date() } });
        await audit(tx, actor, schoolId, { action: 'afternoon.settings', entity: 'school', entityId: schoolId, detail: req.body });
      });
      return req.body;
    },
  );
};
