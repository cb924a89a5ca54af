/**
 * Office: rates per role within the district's range, the month's statements per person from the
 * rota confirmed by check-ins, approval (expense / payable.staff), payment (payable.staff /
 * cash.offline), and the .xlsx export.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatYuan } from '../../../shared/ledger';
import { monthSchema } from '../../../shared/lunch';
import { inRange, personStatements, ROLE_LABELS, rateInputSchema, type StatementLine } from '../../../shared/subsidies';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { subsidyRates } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { audit } from '../audit/service';
import { newWorkbook, sendWorkbook, styleHeader } from '../imports/xlsx';
import { termOf } from '../lunch/calendar';
import { schoolRates } from './rates';
import { monthSessions } from './hours';
import { generateMonth, moveStatement } from './statements.service';

const monthQuery = z.object({ termId: z.uuid(), month: monthSchema }).strict();
const idParams = z.object({ id: z.uuid() });

interface Row {
  id: string;
  staffId: string;
  staffName: string;
  staffKind: string;
  kind: 'subsidy' | 'labour';
  month: string;
  termId: string;
  lines: StatementLine[];
  confirmedMinutes: number;
  unconfirmedSessions: number;
  amountFen: number;
  status: 'pending' | 'approved' | 'paid';
  approvedAt: string | null;
  paidAt: string | null;
}

async function rows(db: Db, schoolId: string, where: ReturnType<typeof sql>): Promise<Row[]> {
  const list = await queryRows<Row & { amountFen: string }>(
    db,
    sql`SELECT x.id, x.staff_id AS "staffId", s.name AS "staffName", s.kind AS "staffKind", x.kind, x.month, x.term_id AS "termId",
               x.lines, x.confirmed_minutes AS "confirmedMinutes", x.unconfirmed_sessions AS "unconfirmedSessions",
               x.amount_fen::text AS "amountFen", x.status, x.approved_at AS "approvedAt", x.paid_at AS "paidAt"
          FROM subsidy_statements x JOIN staff s ON s.school_id = x.school_id AND s.id = x.staff_id
         WHERE x.school_id = ${schoolId} ${where} ORDER BY x.kind DESC, s.name`,
  );
  return list.map((r) => ({ ...r, amountFen: Number(r.amountFen) }));
}

export const subsidyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/subsidies/rates',
    { config: { policy: allow('subsidy.read') }, schema: { tags: ['subsidies'], summary: '补贴标准与区定范围' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return schoolRates(db, schoolId);
    },
  );

  app.put(
    '/subsidies/rates',
    {
      config: { policy: allow('subsidy.write') },
      schema: { tags: ['subsidies'], summary: '设置某类人员的补贴标准（须在区定范围内）', body: rateInputSchema },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { role, unit, rateFen } = req.body;
      const { ranges } = await schoolRates(db, schoolId);
      const r = ranges[role];
      if (!inRange(rateFen, r))
        throw new AppError(
          422,
          'RATE_OUT_OF_RANGE',
          `${ROLE_LABELS[role].zh}标准须在区定范围 ${formatYuan(r.minFen)}–${formatYuan(r.maxFen)} 元之间`,
        );
      const now = new Date();
      await db.transaction(async (tx) => {
        await tx
          .insert(subsidyRates)
          .values({ schoolId, role, unit, rateFen, updatedBy: actor.accountId, updatedAt: now })
          .onConflictDoUpdate({
            target: [subsidyRates.schoolId, subsidyRates.role],
            set: { unit, rateFen, updatedBy: actor.accountId, updatedAt: now },
          });
        await audit(tx, actor, schoolId, { action: 'subsidy.rate.set', entity: 'subsidy_rate', entityId: role, detail: { unit, rateFen } });
      });
      return schoolRates(db, schoolId);
    },
  );

  app.get(
    '/subsidies/preview',
    {
      config: { policy: allow('subsidy.read') },
      schema: { tags: ['subsidies'], summary: '按排班与到岗预览某月课时', querystring: monthQuery },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.query.termId);
      const { sessions, external, days } = await monthSessions(db, schoolId, term, req.query.month);
      const { rates } = await schoolRates(db, schoolId);
      const names = new Map(
        (await queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM staff WHERE school_id = ${schoolId}`)).map((s) => [
          s.id,
          s.name,
        ]),
      );
      return { days, people: personStatements(sessions, external, rates).map((p) => ({ ...p, staffName: names.get(p.staffId) ?? '' })) };
    },
  );

  app.post(
    '/subsidies/statements',
    {
      config: { policy: allow('subsidy.write') },
      schema: { tags: ['subsidies'], summary: '生成某月每人的补贴/劳务费明细（待审批）', body: monthQuery },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { termId, month } = req.body;
      await termOf(db, schoolId, termId);
      await db.transaction(async (tx) => {
        const n = await generateMonth(tx, schoolId, termId, month);
        await audit(tx, actor, schoolId, {
          action: 'subsidy.statements.generate',
          entity: 'term',
          entityId: termId,
          detail: { month, people: n },
        });
      });
      return rows(db, schoolId, sql`AND x.term_id = ${termId} AND x.month = ${month}`);
    },
  );

  app.get(
    '/subsidies/statements',
    {
      config: { policy: allow('subsidy.read') },
      schema: { tags: ['subsidies'], summary: '某月每人的补贴/劳务费明细', querystring: monthQuery },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      await termOf(db, schoolId, req.query.termId);
      return rows(db, schoolId, sql`AND x.term_id = ${req.query.termId} AND x.month = ${req.query.month}`);
    },
  );

  const transition = (action: 'approve' | 'pay') =>
    app.post(
      `/subsidies/statements/:id/${action}`,
      {
        config: { policy: allow('subsidy.write') },
        schema: { tags: ['subsidies'], summary: action === 'approve' ? '审批（记入支出与应付）' : '登记已发放', params: idParams },
      },
      async (req) => {
        const { actor, schoolId } = schoolActor(req);
        await db.transaction(async (tx) => {
          const amountFen = await moveStatement(tx, schoolId, req.params.id, action, actor.accountId);
          await audit(tx, actor, schoolId, {
            action: `subsidy.statement.${action}`,
            entity: 'subsidy_statement',
            entityId: req.params.id,
            detail: { amountFen },
          });
        });
        const [row] = await rows(db, schoolId, sql`AND x.id = ${req.params.id}`);
        return row;
      },
    );
  transition('approve');
  transition('pay');

  app.get(
    '/subsidies/statements.xlsx',
    {
      config: { policy: allow('subsidy.read') },
      schema: { tags: ['subsidies'], summary: '导出某月补贴/劳务费明细（.xlsx）', querystring: monthQuery },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.query.termId);
      const list = await rows(db, schoolId, sql`AND x.term_id = ${term.id} AND x.month = ${req.query.month}`);
      const wb = newWorkbook();
      const ws = wb.addWorksheet(`${req.query.month} 补贴`);
      ws.addRow(['姓名', '类别', '类型', '已确认课时（小时）', '未确认次数', '明细', '金额（元）', '状态']);
      styleHeader(ws, [14, 14, 12, 18, 12, 50, 14, 10]);
      const STATUS = { pending: '待审批', approved: '已审批', paid: '已发放' } as const;
      for (const r of list)
        ws.addRow([
          r.staffName,
          r.kind === 'labour' ? '劳务费' : '教师补贴',
          r.staffKind === 'external' ? '校外' : '本校',
          Math.round((r.confirmedMinutes / 60) * 100) / 100,
          r.unconfirmedSessions,
          r.lines
            .map(
              (l) =>
                `${ROLE_LABELS[l.role].zh} ${l.unit === 'hour' ? `${(l.minutes / 60).toFixed(2)}小时` : `${l.sessions}次`} × ${formatYuan(l.rateFen)} = ${formatYuan(l.amountFen)}`,
            )
            .join('；'),
          Number(formatYuan(r.amountFen)),
          STATUS[r.status],
        ]);
      const total = list.reduce((n, r) => n + r.amountFen, 0);
      ws.addRow(['合计', '', '', '', '', '', Number(formatYuan(total)), '']).font = { bold: true };
      ws.getColumn(7).numFmt = '0.00';
      await audit(db, actor, schoolId, {
        action: 'subsidy.export',
        entity: 'term',
        entityId: term.id,
        detail: { month: req.query.month, rows: list.length },
      });
      return sendWorkbook(reply, wb, `课后服务补贴_${req.query.month}.xlsx`, `subsidies-${req.query.month}.xlsx`);
    },
  );
};
