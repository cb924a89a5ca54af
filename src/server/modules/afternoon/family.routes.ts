/**
 * The guardian's afternoon on the phone: today's state of the child (one line on the home card),
 * the substitute adult for a day (临时接送人), the day's pick-up code, and the one-tap confirmation
 * after the teacher has handed the child over (R7: the time and the person are kept).
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { substituteInput } from '../../../shared/afternoon';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { pickupSubstitutes } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { notifyAccounts } from '../enrollment/notify';
import { schoolDay } from '../daily/days';
import { eventsFor } from '../daily/events';
import { materialise } from '../daily/today';
import { clockOf, codeSecret, ownChild, todayAt } from './common';
import { signPickupToken, shortCode, TOKEN_TTL_S, windowOf } from './pickup-code';

const idParams = z.object({ id: z.uuid() });

export const familyAfternoonRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const now = clockOf(app.deps);
  const events = eventsFor(app.deps);

  app.get(
    '/afternoon/children/:id/today',
    { config: { policy: allow('family.read') }, schema: { tags: ['afternoon'], summary: '孩子今天的托管状态', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      const sd = await schoolDay(db, schoolId, todayAt(now()));
      await materialise(db, schoolId, sd);
      const sessions = await queryRows(
        db,
        sql`SELECT g.slot, o.name AS "offeringName", v.name AS "venueName", st.name AS "teacherName", a.status, a.handover,
                   a.relay_at AS "relayAt", a.released_at AS "releasedAt", a.released_to_name AS "releasedToName",
                   pr.confirmed_at AS "confirmedAt"
              FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
              JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
              LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
              LEFT JOIN staff st ON st.school_id = g.school_id AND st.id = g.teacher_staff_id
              LEFT JOIN pickup_records pr ON pr.school_id = a.school_id AND pr.day = a.day AND pr.group_id = a.group_id AND pr.student_id = a.student_id
             WHERE a.school_id = ${schoolId} AND a.day = ${sd.day}::date AND a.student_id = ${child.id}
             ORDER BY array_position(ARRAY['morning','noon','afternoon','late'], g.slot)`,
      );
      const leave = await queryRows(
        db,
        sql`SELECT id, status, slots, reason, source FROM leave_requests WHERE school_id = ${schoolId} AND student_id = ${child.id}
              AND status IN ('pending','approved') AND ${sd.day}::date BETWEEN from_day AND to_day ORDER BY requested_at`,
      );
      const substitutes = await queryRows(
        db,
        sql`SELECT id, name, relation, phone, id_last4 AS "idLast4", photo FROM pickup_substitutes
             WHERE school_id = ${schoolId} AND student_id = ${child.id} AND day = ${sd.day}::date AND cancelled_at IS NULL ORDER BY announced_at`,
      );
      return { day: sd.day, reason: sd.reason, sessions, leave, substitutes };
    },
  );

  app.get(
    '/afternoon/children/:id/substitutes',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['afternoon'], summary: '登记过的临时接送人（今天及以后）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      return queryRows(
        db,
        sql`SELECT id, day::text AS day, name, relation, phone, id_last4 AS "idLast4", photo FROM pickup_substitutes
             WHERE school_id = ${schoolId} AND student_id = ${child.id} AND day >= ${todayAt(now())}::date AND cancelled_at IS NULL
             ORDER BY day, announced_at`,
      );
    },
  );

  app.post(
    '/afternoon/children/:id/substitutes',
    {
      config: { policy: allow('family.write') },
      schema: { tags: ['afternoon'], summary: '登记某一天的临时接送人（仅当天有效）', params: idParams, body: substituteInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      if (req.body.day < todayAt(now())) throw new AppError(422, 'DAY_PASSED', '不能为已经过去的日子登记临时接送人');
      const id = newId();
      await db.transaction(async (tx) => {
        await tx.insert(pickupSubstitutes).values({ ...req.body, schoolId, id, studentId: child.id, announcedBy: actor.accountId });
        await audit(tx, actor, schoolId, {
          action: 'substitute.announce',
          entity: 'student',
          entityId: child.id,
          detail: { substituteId: id, day: req.body.day, name: req.body.name, relation: req.body.relation },
        });
        // the homeroom teacher hands the class over with this in mind (交接: 今日他人代接)
        const [h] = await queryRows<{ account_id: string | null }>(
          tx,
          sql`SELECT st.account_id FROM classes c JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id
               WHERE c.school_id = ${schoolId} AND c.id = ${child.classId}`,
        );
        if (h?.account_id)
          await notifyAccounts(tx, schoolId, [h.account_id], {
            kind: 'substitute.announced',
            title: `${child.name} ${req.body.day} 由${req.body.relation}${req.body.name}代接`,
            body: `家长登记的临时接送人，手机 ${req.body.phone}${req.body.idLast4 ? `，身份证后四位 ${req.body.idLast4}` : ''}。`,
            link: '/m/handover',
            payload: { studentId: child.id, substituteId: id },
          });
      });
      events.publish({ schoolId, day: req.body.day, kind: 'substitute' });
      return { id, day: req.body.day, name: req.body.name, relation: req.body.relation, phone: req.body.phone, idLast4: req.body.idLast4 };
    },
  );

  app.post(
    '/afternoon/children/:id/substitutes/:sid/cancel',
    {
      config: { policy: allow('family.write') },
      schema: { tags: ['afternoon'], summary: '取消临时接送人', params: idParams.extend({ sid: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      return db.transaction(async (tx) => {
        const [row] = await queryRows<{ id: string; day: string }>(
          tx,
          sql`UPDATE pickup_substitutes SET cancelled_at = now() WHERE school_id = ${schoolId} AND student_id = ${child.id} AND id = ${req.params.sid}
                AND cancelled_at IS NULL RETURNING id, day::text AS day`,
        );
        if (!row) throw notFound('临时接送人');
        await audit(tx, actor, schoolId, {
          action: 'substitute.cancel',
          entity: 'student',
          entityId: child.id,
          detail: { substituteId: row.id },
        });
        return { id: row.id, cancelled: true };
      });
    },
  );

  app.get(
    '/afternoon/children/:id/pickup-code',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['afternoon'], summary: '今天的接送码（二维码与 8 位数字，10 分钟内有效）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      const [g] = await queryRows<{ id: string }>(
        db,
        sql`SELECT g.id FROM student_guardians sg JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
             WHERE sg.school_id = ${schoolId} AND sg.student_id = ${child.id} AND g.account_id = ${actor.accountId} LIMIT 1`,
      );
      if (!g) throw notFound('孩子');
      const secret = await codeSecret(db, actor, schoolId);
      const t = now().getTime();
      const day = todayAt(now());
      const expires = Math.floor(t / 1000) + TOKEN_TTL_S;
      return {
        day,
        token: signPickupToken(secret, { schoolId, studentId: child.id, guardianId: g.id, day, expires }),
        code: shortCode(secret, schoolId, child.id, g.id, day, windowOf(t)),
        expiresAt: new Date(expires * 1000).toISOString(),
      };
    },
  );

  app.post(
    '/afternoon/children/:id/confirm-pickup',
    {
      config: { policy: allow('family.write') },
      schema: { tags: ['afternoon'], summary: '家长一键确认已接到孩子', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      const day = todayAt(now());
      return db.transaction(async (tx) => {
        const rows = await queryRows<{ group_id: string; released_alone: boolean }>(
          tx,
          sql`SELECT group_id, released_alone FROM attendance WHERE school_id = ${schoolId} AND day = ${day}::date AND student_id = ${child.id}
                AND handover = 'released' FOR UPDATE`,
        );
        if (rows.length === 0) throw new AppError(409, 'NOT_RELEASED', '老师还没有登记孩子被接走，请到校门口接孩子');
        for (const r of rows)
          await tx.execute(sql`INSERT INTO pickup_records (school_id, day, group_id, student_id, via, confirmed_at, confirmed_by)
                               VALUES (${schoolId}, ${day}::date, ${r.group_id}, ${child.id}, ${r.released_alone ? 'alone' : 'list'}, now(), ${actor.accountId})
                               ON CONFLICT (school_id, day, group_id, student_id) DO UPDATE
                                 SET confirmed_at = COALESCE(pickup_records.confirmed_at, now()), confirmed_by = COALESCE(pickup_records.confirmed_by, ${actor.accountId})`);
        await audit(tx, actor, schoolId, { action: 'pickup.confirm', entity: 'student', entityId: child.id, detail: { day } });
        const [c] = await queryRows<{ confirmed_at: string }>(
          tx,
          sql`SELECT min(confirmed_at) AS confirmed_at FROM pickup_records WHERE school_id = ${schoolId} AND day = ${day}::date AND student_id = ${child.id}`,
        );
        return { confirmedAt: c.confirmed_at };
      });
    },
  );
};
