/**
 * Guardians on the phone: this week's published menu, their child's lunch statements; members of
 * the parent committee also read the aggregate monthly lunch accounts, the caterer and the 陪餐 log.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema, weekStartOf } from '../../../shared/lunch';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { lunchMenus } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { ownChild, requireConsent } from '../enrollment/checks';
import { todayInChina } from '../enrollment/published';
import { contracts } from './meals';
import { presentMenu } from './office.routes';
import { statementRows } from './statements.routes';

export const lunchFamilyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/family/lunch/menu',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['lunch'], summary: '本周午餐菜单', querystring: z.object({ date: dateSchema.optional() }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const weekStart = weekStartOf(req.query.date ?? todayInChina());
      const [m] = await db
        .select()
        .from(lunchMenus)
        .where(and(eq(lunchMenus.schoolId, schoolId), eq(lunchMenus.weekStart, weekStart), eq(lunchMenus.published, true)));
      const [c] = await contracts(db, schoolId);
      return { ...presentMenu(weekStart, m), caterer: c ? { name: c.catererName, licenceNo: c.licenceNo, priceFen: c.priceFen } : null };
    },
  );

  app.get(
    '/family/lunch/children/:id',
    {
      config: { policy: allow('family.read') },
      schema: { tags: ['lunch'], summary: '孩子的午餐月账单', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const child = await ownChild(db, actor, req.params.id);
      const rows = await queryRows<{
        month: string;
        meals: number;
        priceFen: number;
        amountFen: string;
        days: string[];
        catererName: string;
        dueFen: string;
      }>(
        db,
        sql`SELECT l.month, x.meals, l.price_fen AS "priceFen", x.amount_fen::text AS "amountFen", x.days, c.caterer_name AS "catererName",
                   (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e WHERE e.school_id = x.school_id AND e.account = 'receivable.lunch'
                       AND e.source_type = 'lunch_statement' AND e.source_id = x.statement_id AND e.student_id = x.student_id)::text AS "dueFen"
              FROM lunch_statement_lines x
              JOIN lunch_statements l ON l.school_id = x.school_id AND l.id = x.statement_id
              JOIN lunch_contracts c ON c.school_id = l.school_id AND c.id = l.contract_id
             WHERE x.school_id = ${schoolId} AND x.student_id = ${child.id} ORDER BY l.month DESC`,
      );
      return {
        child: { id: child.id, name: child.name },
        statements: rows.map((r) => ({ ...r, amountFen: Number(r.amountFen), dueFen: Number(r.dueFen) })),
      };
    },
  );

  app.get(
    '/family/lunch/committee',
    { config: { policy: allow('family.read') }, schema: { tags: ['lunch'], summary: '家委会：午餐账目与陪餐记录' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [member] = await queryRows(
        db,
        sql`SELECT 1 FROM parent_committee p JOIN guardians g ON g.school_id = p.school_id AND g.id = p.guardian_id
             WHERE p.school_id = ${schoolId} AND g.account_id = ${actor.accountId}`,
      );
      if (!member) throw new AppError(403, 'NOT_COMMITTEE', '仅家委会成员可查看午餐账目');
      const statements = await statementRows(db, schoolId);
      const [c] = await contracts(db, schoolId);
      const accompaniments = await queryRows(
        db,
        sql`SELECT a.day::text AS day, s.name AS "staffName", a.rating, a.notes FROM lunch_accompaniments a
              JOIN staff s ON s.school_id = a.school_id AND s.id = a.staff_id
             WHERE a.school_id = ${schoolId} ORDER BY a.day DESC LIMIT 30`,
      );
      return {
        caterer: c
          ? { name: c.catererName, licenceNo: c.licenceNo, priceFen: c.priceFen, validFrom: c.validFrom, validTo: c.validTo }
          : null,
        // aggregate only: no pupil appears in the committee's view
        statements: statements.map(({ id: _id, termId: _t, ...s }) => s),
        accompaniments,
      };
    },
  );
};
