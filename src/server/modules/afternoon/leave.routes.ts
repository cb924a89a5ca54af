/** Leave routes: the guardian asks and cancels; the homeroom teacher or office records calls, approves, refuses. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterCutoff, leaveCallInput, leaveDecisionInput, leaveDeadline, leaveInput, LEAVE_STATUSES } from '../../../shared/afternoon';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { AppError, forbidden, notFound } from '../../lib/errors';
import { eventsFor } from '../daily/events';
import { clockOf, isOffice, ledClassIds, loadSettings, ownChild, staffPupil, todayAt } from './common';
import { cancelLeave, createLeave, decideLeave, leaveRows } from './leave.service';

const idParams = z.object({ id: z.uuid() });

const fmt = (ms: number) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(ms);

export const leaveRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const now = clockOf(app.deps);
  const events = eventsFor(app.deps);
  const publish = (schoolId: string, days: string[]) => {
    for (const day of days) events.publish({ schoolId, day, kind: 'leave' });
  };

  app.get(
    '/afternoon/children/:id/leave',
    { config: { policy: allow('family.read') }, schema: { tags: ['afternoon'], summary: '孩子的请假记录', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      const { settings } = await loadSettings(db, schoolId);
      return {
        items: await leaveRows(db, schoolId, sql`l.student_id = ${child.id}`),
        cutoff: { mode: settings.leaveCutoffMode, time: settings.leaveCutoffTime, hours: settings.leaveCutoffHours },
        approver: settings.leaveApprover,
      };
    },
  );

  app.post(
    '/afternoon/children/:id/leave',
    {
      config: { policy: allow('family.leave') },
      schema: { tags: ['afternoon'], summary: '家长请假（截止时间前）', params: idParams, body: leaveInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const child = await ownChild(db, actor, req.params.id);
      const { settings } = await loadSettings(db, schoolId);
      const t = now().getTime();
      if (req.body.fromDay < todayAt(now()) || afterCutoff(t, req.body.fromDay, req.body.slots, settings)) {
        const deadline = Math.min(...req.body.slots.map((s) => leaveDeadline(req.body.fromDay, s, settings)));
        throw new AppError(422, 'LEAVE_CUTOFF', `已过请假截止时间（${fmt(deadline)}），请直接打电话给班主任，由老师代为登记`, {
          deadline: new Date(deadline).toISOString(),
        });
      }
      const [h] = await queryRows<{ account_id: string | null }>(
        db,
        sql`SELECT st.account_id FROM classes c LEFT JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id
             WHERE c.school_id = ${schoolId} AND c.id = ${child.classId}`,
      );
      const out = await db.transaction((tx) =>
        createLeave(
          tx,
          actor,
          schoolId,
          { ...req.body, studentId: child.id, studentName: child.name, homeroomAccount: h?.account_id ?? null },
          { source: 'app', approver: settings.leaveApprover },
        ),
      );
      publish(schoolId, out.days);
      return out;
    },
  );

  app.get(
    '/afternoon/leave',
    {
      config: { policy: allow('leave.read') },
      schema: {
        tags: ['afternoon'],
        summary: '请假列表（班主任：本班；办公室：全校）',
        querystring: z.object({ status: z.enum(LEAVE_STATUSES).optional(), day: z.iso.date().optional() }).strict(),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { settings } = await loadSettings(db, schoolId);
      const status = req.query.status ? sql`AND l.status = ${req.query.status}` : sql``;
      const day = req.query.day ? sql`AND ${req.query.day}::date BETWEEN l.from_day AND l.to_day` : sql``;
      let scope = sql`true`;
      if (!isOffice(actor) && !actor.roles.includes('duty')) {
        const classes = await ledClassIds(db, schoolId, actor.accountId);
        scope = classes.length
          ? sql`s.class_id IN (SELECT id FROM classes WHERE school_id = ${schoolId} AND id = ANY (string_to_array(${classes.join(',')}, ',')::uuid[]))`
          : sql`false`;
      }
      const items = await leaveRows(db, schoolId, sql`${scope} ${status} ${day}`);
      const canApprove = settings.leaveApprover === 'homeroom' ? actor.permissions.has('leave.approve') : isOffice(actor);
      return { items, approver: settings.leaveApprover, canApprove };
    },
  );

  app.post(
    '/afternoon/leave/calls',
    {
      config: { policy: allow('leave.record') },
      schema: { tags: ['afternoon'], summary: '登记家长电话请假（截止后由班主任或办公室代登记，立即生效）', body: leaveCallInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const p = await staffPupil(db, actor, schoolId, req.body.studentId);
      const { settings } = await loadSettings(db, schoolId);
      const out = await db.transaction((tx) =>
        createLeave(
          tx,
          actor,
          schoolId,
          { ...req.body, studentName: p.name, homeroomAccount: p.homeroomAccount },
          { source: 'call', approver: settings.leaveApprover },
        ),
      );
      publish(schoolId, out.days);
      return out;
    },
  );

  /** The leave and whether the actor may act on it: the office always, the homeroom teacher for their class. */
  async function leaveInScope(schoolId: string, actor: Parameters<typeof staffPupil>[1], id: string) {
    const [l] = await queryRows<{ student_id: string }>(
      db,
      sql`SELECT student_id FROM leave_requests WHERE school_id = ${schoolId} AND id = ${id}`,
    );
    if (!l) throw notFound('请假');
    return staffPupil(db, actor, schoolId, l.student_id);
  }

  app.post(
    '/afternoon/leave/:id/decide',
    {
      config: { policy: allow('leave.approve') },
      schema: { tags: ['afternoon'], summary: '批准或不批准请假', params: idParams, body: leaveDecisionInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await leaveInScope(schoolId, actor, req.params.id);
      const { settings } = await loadSettings(db, schoolId);
      if (settings.leaveApprover === 'office' && !isOffice(actor)) throw forbidden('本校请假由学校办公室审批');
      const out = await db.transaction((tx) => decideLeave(tx, actor, schoolId, req.params.id, req.body.approve, req.body.note));
      publish(schoolId, out.days);
      return out;
    },
  );

  app.post(
    '/afternoon/leave/:id/cancel',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['afternoon'], summary: '家长撤销请假（未点名的日子恢复为应到）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [l] = await queryRows<{ student_id: string }>(
        db,
        sql`SELECT student_id FROM leave_requests WHERE school_id = ${schoolId} AND id = ${req.params.id}`,
      );
      if (!l) throw notFound('请假');
      await ownChild(db, actor, l.student_id);
      const out = await db.transaction((tx) => cancelLeave(tx, actor, schoolId, req.params.id));
      publish(schoolId, out.days);
      return out;
    },
  );

  app.post(
    '/afternoon/leave/:id/revoke',
    {
      config: { policy: allow('leave.record') },
      schema: { tags: ['afternoon'], summary: '老师撤销请假（如家长来电取消）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await leaveInScope(schoolId, actor, req.params.id);
      const out = await db.transaction((tx) => cancelLeave(tx, actor, schoolId, req.params.id));
      publish(schoolId, out.days);
      return out;
    },
  );
};
