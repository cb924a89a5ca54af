/** Office: the caterer's contract, the weekly menu, the parent committee and the 陪餐 log (N21). */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accompanimentSchema, contractSchema, dateSchema, menuSchema, monthRange, monthSchema } from '../../../shared/lunch';
import { isoWeekdayOf } from '../../../shared/calendar';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { lunchAccompaniments, lunchContracts, lunchMenus, parentCommittee } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { contracts } from './meals';

const weekParams = z.object({ weekStart: dateSchema });

export interface MenuDay {
  weekday: number;
  dishes: string[];
}

export const presentMenu = (weekStart: string, m: { days: unknown; published: boolean; updatedAt: Date } | undefined) => ({
  weekStart,
  days: (m?.days ?? []) as MenuDay[],
  published: m?.published ?? false,
  updatedAt: m?.updatedAt?.toISOString() ?? null,
});

function requireMonday(weekStart: string) {
  if (isoWeekdayOf(weekStart) !== 1) throw new AppError(422, 'NOT_MONDAY', '菜单按周登记，日期应为星期一');
}

export const lunchOfficeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/lunch/contracts',
    { config: { policy: allow('lunch.read') }, schema: { tags: ['lunch'], summary: '供餐合同' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return contracts(db, schoolId);
    },
  );

  app.post(
    '/lunch/contracts',
    {
      config: { policy: allow('lunch.write') },
      schema: { tags: ['lunch'], summary: '登记供餐合同（单价为整数分）', body: contractSchema },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const id = newId();
      await db.transaction(async (tx) => {
        await tx.insert(lunchContracts).values({ schoolId, id, ...req.body, createdBy: actor.accountId });
        await audit(tx, actor, schoolId, {
          action: 'lunch.contract.create',
          entity: 'lunch_contract',
          entityId: id,
          detail: { ...req.body },
        });
      });
      return { id, ...req.body };
    },
  );

  app.get(
    '/lunch/menus/:weekStart',
    { config: { policy: allow('lunch.read') }, schema: { tags: ['lunch'], summary: '一周菜单', params: weekParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      requireMonday(req.params.weekStart);
      const [m] = await db
        .select()
        .from(lunchMenus)
        .where(and(eq(lunchMenus.schoolId, schoolId), eq(lunchMenus.weekStart, req.params.weekStart)));
      return presentMenu(req.params.weekStart, m);
    },
  );

  app.put(
    '/lunch/menus/:weekStart',
    {
      config: { policy: allow('lunch.write') },
      schema: { tags: ['lunch'], summary: '编辑并发布一周菜单', params: weekParams, body: menuSchema },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      requireMonday(req.params.weekStart);
      const days = [...req.body.days].sort((a, b) => a.weekday - b.weekday);
      const now = new Date();
      await db.transaction(async (tx) => {
        await tx
          .insert(lunchMenus)
          .values({
            schoolId,
            weekStart: req.params.weekStart,
            days,
            published: req.body.published,
            updatedBy: actor.accountId,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [lunchMenus.schoolId, lunchMenus.weekStart],
            set: { days, published: req.body.published, updatedBy: actor.accountId, updatedAt: now },
          });
        await audit(tx, actor, schoolId, {
          action: 'lunch.menu.save',
          entity: 'lunch_menu',
          entityId: req.params.weekStart,
          detail: { days: days.length },
        });
      });
      return presentMenu(req.params.weekStart, { days, published: req.body.published, updatedAt: now });
    },
  );

  app.get(
    '/lunch/accompaniments',
    {
      config: { policy: allow('lunch.read') },
      schema: { tags: ['lunch'], summary: '陪餐记录（N21）', querystring: z.object({ month: monthSchema }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const { from, to } = monthRange(req.query.month);
      return queryRows(
        db,
        sql`SELECT a.id, a.day::text AS day, a.staff_id AS "staffId", s.name AS "staffName", a.notes, a.rating
              FROM lunch_accompaniments a JOIN staff s ON s.school_id = a.school_id AND s.id = a.staff_id
             WHERE a.school_id = ${schoolId} AND a.day BETWEEN ${from}::date AND ${to}::date ORDER BY a.day DESC, s.name`,
      );
    },
  );

  app.post(
    '/lunch/accompaniments',
    { config: { policy: allow('lunch.write') }, schema: { tags: ['lunch'], summary: '登记陪餐', body: accompanimentSchema } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [s] = await queryRows<{ name: string }>(
        db,
        sql`SELECT name FROM staff WHERE school_id = ${schoolId} AND id = ${req.body.staffId}`,
      );
      if (!s) throw notFound('陪餐人员');
      const id = newId();
      const [dup] = await queryRows(
        db,
        sql`SELECT 1 FROM lunch_accompaniments WHERE school_id = ${schoolId} AND day = ${req.body.day}::date AND staff_id = ${req.body.staffId}`,
      );
      if (dup) throw new AppError(409, 'ALREADY_LOGGED', `${s.name} 当天的陪餐已登记`);
      await db.transaction(async (tx) => {
        await tx.insert(lunchAccompaniments).values({ schoolId, id, ...req.body, createdBy: actor.accountId });
        await audit(tx, actor, schoolId, {
          action: 'lunch.accompany',
          entity: 'lunch_accompaniment',
          entityId: id,
          detail: { day: req.body.day },
        });
      });
      return { id, ...req.body, staffName: s.name };
    },
  );

  app.get(
    '/lunch/committee',
    { config: { policy: allow('lunch.read') }, schema: { tags: ['lunch'], summary: '家委会成员（可查看午餐账目）' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return queryRows(
        db,
        sql`SELECT g.id AS "guardianId", g.name, g.phone, p.added_at AS "addedAt" FROM parent_committee p
              JOIN guardians g ON g.school_id = p.school_id AND g.id = p.guardian_id
             WHERE p.school_id = ${schoolId} ORDER BY g.name`,
      );
    },
  );

  app.post(
    '/lunch/committee',
    {
      config: { policy: allow('lunch.write') },
      schema: { tags: ['lunch'], summary: '加入家委会', body: z.object({ guardianId: z.uuid() }).strict() },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [g] = await queryRows<{ name: string }>(
        db,
        sql`SELECT name FROM guardians WHERE school_id = ${schoolId} AND id = ${req.body.guardianId}`,
      );
      if (!g) throw notFound('家长');
      await db.transaction(async (tx) => {
        await tx
          .insert(parentCommittee)
          .values({ schoolId, guardianId: req.body.guardianId, addedBy: actor.accountId })
          .onConflictDoNothing();
        await audit(tx, actor, schoolId, { action: 'lunch.committee.add', entity: 'guardian', entityId: req.body.guardianId });
      });
      return { guardianId: req.body.guardianId, name: g.name };
    },
  );

  app.delete(
    '/lunch/committee/:guardianId',
    {
      config: { policy: allow('lunch.write') },
      schema: { tags: ['lunch'], summary: '移出家委会', params: z.object({ guardianId: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [g] = await queryRows(db, sql`SELECT 1 FROM guardians WHERE school_id = ${schoolId} AND id = ${req.params.guardianId}`);
      if (!g) throw notFound('家长');
      // removing someone who is not (or no longer) a member is a no-op, not an error
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(parentCommittee)
          .where(and(eq(parentCommittee.schoolId, schoolId), eq(parentCommittee.guardianId, req.params.guardianId)))
          .returning();
        if (gone.length)
          await audit(tx, actor, schoolId, { action: 'lunch.committee.remove', entity: 'guardian', entityId: req.params.guardianId });
        return { ok: true, removed: gone.length > 0 };
      });
    },
  );
};
