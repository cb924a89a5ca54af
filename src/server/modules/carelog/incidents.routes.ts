/** Incidents: reported by the care teacher (own group today) or a duty leader, acknowledged by each person told, closed with an outcome. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { incidentClose, incidentInput } from '../../../shared/carelog';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { todayOf } from '../daily/days';
import { eventsFor } from '../daily/events';
import { groupToday } from '../daily/today';
import { notifyAccounts } from '../enrollment/notify';
import { reportIncident } from './incidents';

const isLeader = (a: Actor) => a.roles.includes('duty') || a.roles.includes('school_admin');
const idParams = z.object({ id: z.uuid() });

/** The incidents of a day the actor may see: leaders all of the school's, others those they reported or were told of. */
export async function incidentsOf(db: Db, actor: Actor, schoolId: string, day: string, id?: string) {
  const scope = isLeader(actor)
    ? sql``
    : sql`AND (i.reported_by = ${actor.accountId} OR EXISTS (SELECT 1 FROM incident_recipients x WHERE x.school_id = i.school_id AND x.incident_id = i.id AND x.account_id = ${actor.accountId}))`;
  return queryRows<Record<string, unknown>>(
    db,
    sql`SELECT i.id, i.day::text, i.kind, i.severity, i.description, i.action_taken AS "actionTaken", i.photo, i.status, i.outcome, i.level,
               i.reported_at AS "reportedAt", i.escalated_at AS "escalatedAt", i.closed_at AS "closedAt", i.group_id AS "groupId",
               i.group_label AS "groupLabel", rb.display_name AS "reportedBy", cb.display_name AS "closedBy",
               COALESCE((SELECT json_agg(json_build_object('studentId', s.id, 'name', s.name, 'className', c.name) ORDER BY s.name)
                 FROM incident_pupils p JOIN students s ON s.school_id = p.school_id AND s.id = p.student_id
                 JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
                WHERE p.school_id = i.school_id AND p.incident_id = i.id), '[]'::json) AS pupils,
               COALESCE((SELECT json_agg(json_build_object('name', a.display_name, 'role', r.role, 'level', r.level, 'acknowledgedAt', r.acknowledged_at,
                                                           'me', r.account_id = ${actor.accountId}) ORDER BY r.level, r.role, a.display_name)
                 FROM incident_recipients r JOIN accounts a ON a.id = r.account_id
                WHERE r.school_id = i.school_id AND r.incident_id = i.id), '[]'::json) AS recipients
          FROM incidents i
          LEFT JOIN accounts rb ON rb.id = i.reported_by LEFT JOIN accounts cb ON cb.id = i.closed_by
         WHERE i.school_id = ${schoolId} ${id ? sql`AND i.id = ${id}` : sql`AND i.day = ${day}::date`} ${scope}
         ORDER BY i.status = 'open' DESC, i.reported_at DESC`,
  );
}

export const incidentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const events = eventsFor(app.deps);

  app.post(
    '/carelog/incidents',
    {
      config: { policy: allow('incident.write') },
      schema: { tags: ['carelog'], summary: '报告托管事件（通知家长并逐级告知）', body: incidentInput },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const { sd } = await groupToday(db, actor, schoolId, req.body.groupId, true, todayOf(app.deps));
      const out = await db.transaction((tx) => reportIncident(tx, actor, schoolId, sd, req.body));
      events.publish({ schoolId, day: sd.day, kind: 'incident', groupId: req.body.groupId });
      return reply.code(201).send(out);
    },
  );

  app.get(
    '/carelog/incidents',
    { config: { policy: allow('incident.read') }, schema: { tags: ['carelog'], summary: '今日托管事件' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const day = todayOf(app.deps);
      return { day, incidents: await incidentsOf(db, actor, schoolId, day) };
    },
  );

  app.get(
    '/carelog/incidents/pending-ack',
    { config: { policy: allow('notification.read') }, schema: { tags: ['carelog'], summary: '待我确认的托管事件' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const rows = await queryRows<{ id: string }>(
        db,
        sql`SELECT r.incident_id AS id FROM incident_recipients r JOIN incidents i ON i.school_id = r.school_id AND i.id = r.incident_id
             WHERE r.school_id = ${schoolId} AND r.account_id = ${actor.accountId} AND r.acknowledged_at IS NULL AND i.status = 'open' ORDER BY r.notified_at DESC LIMIT 50`,
      );
      const incidents = [];
      for (const r of rows) incidents.push(...(await incidentsOf(db, actor, schoolId, '', r.id)));
      return { incidents };
    },
  );

  app.post(
    '/carelog/incidents/:id/ack',
    { config: { policy: allow('notification.read') }, schema: { tags: ['carelog'], summary: '确认已知悉托管事件', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const out = await db.transaction(async (tx) => {
        const [inc] = await queryRows<{ id: string; day: string }>(
          tx,
          sql`SELECT id, day::text FROM incidents WHERE school_id = ${schoolId} AND id = ${req.params.id}`,
        );
        if (!inc) throw notFound('托管事件');
        const [r] = await queryRows<{ acknowledged_at: string | null }>(
          tx,
          sql`SELECT acknowledged_at FROM incident_recipients WHERE school_id = ${schoolId} AND incident_id = ${inc.id} AND account_id = ${actor.accountId} FOR UPDATE`,
        );
        // someone who was not told answers like a stranger: nobody acknowledges on another's behalf
        if (!r) throw new AppError(404, 'NOT_A_RECIPIENT', '此事件没有通知您，不能代他人确认');
        if (r.acknowledged_at) return { id: inc.id, day: inc.day, acknowledgedAt: r.acknowledged_at, changed: false };
        const [done] = await queryRows<{ acknowledged_at: string }>(
          tx,
          sql`UPDATE incident_recipients SET acknowledged_at = now() WHERE school_id = ${schoolId} AND incident_id = ${inc.id} AND account_id = ${actor.accountId}
              RETURNING acknowledged_at`,
        );
        await audit(tx, actor, schoolId, { action: 'incident.acknowledge', entity: 'incident', entityId: inc.id });
        return { id: inc.id, day: inc.day, acknowledgedAt: done.acknowledged_at, changed: true };
      });
      if (out.changed) events.publish({ schoolId, day: out.day, kind: 'incident' });
      return { id: out.id, acknowledgedAt: out.acknowledgedAt };
    },
  );

  app.post(
    '/carelog/incidents/:id/close',
    {
      config: { policy: allow('incident.close') },
      schema: { tags: ['carelog'], summary: '结案（填写处理结果）', params: idParams, body: incidentClose },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const out = await db.transaction(async (tx) => {
        const [inc] = await queryRows<{ id: string; day: string; status: string }>(
          tx,
          sql`SELECT id, day::text, status FROM incidents WHERE school_id = ${schoolId} AND id = ${req.params.id} FOR UPDATE`,
        );
        if (!inc) throw notFound('托管事件');
        if (inc.status === 'closed') throw new AppError(409, 'ALREADY_CLOSED', '此事件已结案');
        await tx.execute(sql`UPDATE incidents SET status = 'closed', outcome = ${req.body.outcome}, closed_at = now(), closed_by = ${actor.accountId}
                              WHERE school_id = ${schoolId} AND id = ${inc.id}`);
        const told = await queryRows<{ account_id: string }>(
          tx,
          sql`SELECT account_id FROM incident_recipients WHERE school_id = ${schoolId} AND incident_id = ${inc.id} AND role = 'guardian'`,
        );
        await notifyAccounts(
          tx,
          schoolId,
          told.map((t) => t.account_id),
          {
            kind: 'incident.closed',
            title: '托管事件已处理完毕',
            body: req.body.outcome,
            link: '/m/notifications',
            payload: { incidentId: inc.id },
          },
        );
        await audit(tx, actor, schoolId, {
          action: 'incident.close',
          entity: 'incident',
          entityId: inc.id,
          detail: { outcome: req.body.outcome },
        });
        return inc;
      });
      events.publish({ schoolId, day: out.day, kind: 'incident' });
      return { id: out.id, status: 'closed' };
    },
  );
};
