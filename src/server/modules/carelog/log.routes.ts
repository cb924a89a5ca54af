/** Patrols (巡视) by the duty leaders, the care teacher's activity record per group and day, and the grade heads. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { activityInput, gradeHeadsInput, patrolInput } from '../../../shared/carelog';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { todayOf } from '../daily/days';
import { eventsFor } from '../daily/events';
import { groupToday } from '../daily/today';
import { groupLabelSql } from './label';

export const logRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const events = eventsFor(app.deps);

  app.post(
    '/carelog/patrols',
    { config: { policy: allow('patrol.write') }, schema: { tags: ['carelog'], summary: '记录一次巡视', body: patrolInput } },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const day = todayOf(app.deps);
      const b = req.body;
      const id = newId();
      await db.transaction(async (tx) => {
        if (b.groupId) {
          const [g] = await queryRows(tx, sql`SELECT 1 FROM care_groups WHERE school_id = ${schoolId} AND id = ${b.groupId}`);
          if (!g) throw notFound('托管组');
        }
        if (b.venueId) {
          const [v] = await queryRows(tx, sql`SELECT 1 FROM venues WHERE school_id = ${schoolId} AND id = ${b.venueId}`);
          if (!v) throw notFound('场地');
        }
        await tx.execute(sql`INSERT INTO patrols (school_id, id, day, group_id, group_label, venue_id, rating, note, photo, recorded_by)
          VALUES (${schoolId}, ${id}, ${day}::date, ${b.groupId}, ${groupLabelSql(schoolId, b.groupId)}, ${b.venueId}, ${b.rating}, ${b.note}, ${b.photo}, ${actor.accountId})`);
        await audit(tx, actor, schoolId, {
          action: 'patrol.record',
          entity: 'patrol',
          entityId: id,
          detail: { groupId: b.groupId, venueId: b.venueId, rating: b.rating, photo: !!b.photo },
        });
      });
      events.publish({ schoolId, day, kind: 'patrol', groupId: b.groupId ?? undefined });
      return reply.code(201).send({ id, day });
    },
  );

  app.get(
    '/carelog/patrols',
    {
      config: { policy: allow('duty.read') },
      schema: { tags: ['carelog'], summary: '某日的巡视记录', querystring: z.object({ day: z.iso.date().optional() }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const day = req.query.day ?? todayOf(app.deps);
      const patrols = await queryRows(
        db,
        sql`SELECT p.id, p.at, p.rating, p.note, p.photo, p.group_id AS "groupId", p.venue_id AS "venueId", p.group_label AS "groupLabel",
                   COALESCE(v.name, gv.name) AS "venueName", a.display_name AS "recordedBy"
              FROM patrols p
              LEFT JOIN care_groups g ON g.school_id = p.school_id AND g.id = p.group_id
              LEFT JOIN venues gv ON gv.school_id = g.school_id AND gv.id = g.venue_id
              LEFT JOIN venues v ON v.school_id = p.school_id AND v.id = p.venue_id
              LEFT JOIN accounts a ON a.id = p.recorded_by
             WHERE p.school_id = ${schoolId} AND p.day = ${day}::date ORDER BY p.at DESC`,
      );
      return { day, patrols };
    },
  );

  app.put(
    '/carelog/groups/:groupId/activity',
    {
      config: { policy: allow('activity.write') },
      schema: { tags: ['carelog'], summary: '记录本组今日活动', params: z.object({ groupId: z.uuid() }), body: activityInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { g, sd } = await groupToday(db, actor, schoolId, req.params.groupId, true, todayOf(app.deps));
      const b = req.body;
      await db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO activities (school_id, day, group_id, group_label, category, content, photos, recorded_by)
          VALUES (${schoolId}, ${sd.day}::date, ${g.id}, ${groupLabelSql(schoolId, g.id)}, ${b.category}, ${b.content}, ${JSON.stringify(b.photos)}::jsonb, ${actor.accountId})
          ON CONFLICT (school_id, day, group_id) DO UPDATE SET category = EXCLUDED.category, content = EXCLUDED.content, photos = EXCLUDED.photos,
            recorded_by = EXCLUDED.recorded_by, updated_at = now()`);
        await audit(tx, actor, schoolId, {
          action: 'activity.record',
          entity: 'care_group',
          entityId: g.id,
          detail: { day: sd.day, category: b.category, photos: b.photos.length },
        });
      });
      events.publish({ schoolId, day: sd.day, kind: 'activity', groupId: g.id });
      return { groupId: g.id, day: sd.day, category: b.category, content: b.content, photos: b.photos };
    },
  );

  app.get(
    '/carelog/activities',
    {
      config: { policy: allow('attendance.read') },
      schema: { tags: ['carelog'], summary: '今日各组活动记录（教师：本人的组）', querystring: z.object({ groupId: z.uuid().optional() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const day = todayOf(app.deps);
      const leader = actor.roles.includes('duty') || actor.roles.includes('school_admin');
      const activities = await queryRows(
        db,
        sql`SELECT ac.group_id AS "groupId", ac.group_label AS "groupLabel", ac.category, ac.content, ac.photos, ac.updated_at AS "updatedAt",
                   a.display_name AS "recordedBy"
              FROM activities ac LEFT JOIN care_groups g ON g.school_id = ac.school_id AND g.id = ac.group_id
              LEFT JOIN accounts a ON a.id = ac.recorded_by
             WHERE ac.school_id = ${schoolId} AND ac.day = ${day}::date
               ${req.query.groupId ? sql`AND ac.group_id = ${req.query.groupId}` : sql``}
               ${leader ? sql`` : sql`AND g.teacher_staff_id IN (SELECT id FROM staff WHERE school_id = ${schoolId} AND account_id = ${actor.accountId})`}
             ORDER BY ac.group_label`,
      );
      return { day, activities };
    },
  );

  app.get(
    '/carelog/grade-heads',
    { config: { policy: allow('staff.read') }, schema: { tags: ['carelog'], summary: '年级组长（托管事件告知）' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const heads = await queryRows(
        db,
        sql`SELECT gh.grade, gh.staff_id AS "staffId", st.name FROM grade_heads gh JOIN staff st ON st.school_id = gh.school_id AND st.id = gh.staff_id
             WHERE gh.school_id = ${schoolId} ORDER BY gh.grade`,
      );
      return { heads };
    },
  );

  app.put(
    '/carelog/grade-heads',
    { config: { policy: allow('staff.write') }, schema: { tags: ['carelog'], summary: '设置年级组长', body: gradeHeadsInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await db.transaction(async (tx) => {
        for (const h of req.body.heads) {
          if (!h.staffId) {
            await tx.execute(sql`DELETE FROM grade_heads WHERE school_id = ${schoolId} AND grade = ${h.grade}`);
            continue;
          }
          const [st] = await queryRows(tx, sql`SELECT 1 FROM staff WHERE school_id = ${schoolId} AND id = ${h.staffId}`);
          if (!st) throw notFound('教职工');
          await tx.execute(sql`INSERT INTO grade_heads (school_id, grade, staff_id) VALUES (${schoolId}, ${h.grade}, ${h.staffId})
                                ON CONFLICT (school_id, grade) DO UPDATE SET staff_id = EXCLUDED.staff_id`);
        }
        await audit(tx, actor, schoolId, {
          action: 'grade_heads.set',
          entity: 'school',
          entityId: schoolId,
          detail: { heads: req.body.heads },
        });
      });
      return { ok: true };
    },
  );
};
