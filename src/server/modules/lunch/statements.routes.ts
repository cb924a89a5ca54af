/**
 * Monthly lunch statements: preview, post (receivable.lunch per pupil / payable.caterer, once per
 * term and month), families' payments of their line (cash.offline / receivable.lunch), the caterer's
 * statement and its payment (payable.caterer / cash.offline).
 * Lunch money never touches the service-fee accounts (R9: paid separately to the caterer).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatYuan } from '../../../shared/ledger';
import { monthSchema } from '../../../shared/lunch';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { lunchStatementLines, lunchStatements } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { notifyGuardians } from '../enrollment/notify';
import { postTransaction } from '../ledger';
import { termOf } from './calendar';
import { computeMonth } from './meals';

type Computed = Awaited<ReturnType<typeof computeMonth>>;

const METHOD_LABELS = { cash: '现金', transfer: '转账', campus_card: '校园卡' } as const;

const monthBody = z.object({ termId: z.uuid(), month: monthSchema }).strict();
const idParams = z.object({ id: z.uuid() });

export interface StatementRow {
  id: string;
  termId: string;
  termName: string;
  month: string;
  catererName: string;
  priceFen: number;
  meals: number;
  amountFen: number;
  pupils: number;
  postedAt: string;
  paidAt: string | null;
}

export async function statementRows(db: Db, schoolId: string, where = sql``): Promise<StatementRow[]> {
  const rows = await queryRows<StatementRow & { amountFen: string }>(
    db,
    sql`SELECT l.id, l.term_id AS "termId", t.name AS "termName", l.month, c.caterer_name AS "catererName", l.price_fen AS "priceFen",
               l.meals, l.amount_fen::text AS "amountFen", l.pupils, l.posted_at AS "postedAt", l.paid_at AS "paidAt"
          FROM lunch_statements l
          JOIN terms t ON t.school_id = l.school_id AND t.id = l.term_id
          JOIN lunch_contracts c ON c.school_id = l.school_id AND c.id = l.contract_id
         WHERE l.school_id = ${schoolId} ${where} ORDER BY l.month DESC`,
  );
  return rows.map((r) => ({ ...r, amountFen: Number(r.amountFen) }));
}

/** Posts a computed month once (409 when it exists, 422 with no meals); returns the statement id. */
export async function postMonth(tx: Db, schoolId: string, termId: string, month: string, m: Computed, postedBy: string | null) {
  if (m.meals === 0) throw new AppError(422, 'NO_MEALS', '该月没有用餐记录，无需出账');
  const [dup] = await queryRows(
    tx,
    sql`SELECT 1 FROM lunch_statements WHERE school_id = ${schoolId} AND term_id = ${termId} AND month = ${month} FOR UPDATE`,
  );
  if (dup) throw new AppError(409, 'STATEMENT_EXISTS', `${month} 的午餐对账单已生成`);
  const id = newId();
  const txnId = await postTransaction(tx, {
    schoolId,
    termId,
    kind: 'lunch',
    sourceType: 'lunch_statement',
    sourceId: id,
    memo: `${month} 午餐 ${m.meals} 份 × ${m.contract.priceFen} 分`,
    postedBy,
    lines: [
      ...m.lines.map((l) => ({ account: 'receivable.lunch' as const, amountFen: l.amountFen, studentId: l.studentId })),
      { account: 'payable.caterer' as const, amountFen: -m.amountFen },
    ],
  });
  await tx.insert(lunchStatements).values({
    schoolId,
    id,
    termId,
    month,
    contractId: m.contract.id,
    priceFen: m.contract.priceFen,
    meals: m.meals,
    amountFen: m.amountFen,
    pupils: m.pupils,
    txnId,
    postedBy,
  });
  for (let i = 0; i < m.lines.length; i += 1000)
    await tx.insert(lunchStatementLines).values(m.lines.slice(i, i + 1000).map((l) => ({ schoolId, statementId: id, ...l })));
  return id;
}

export const lunchStatementRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/lunch/preview',
    {
      config: { policy: allow('lunch.read') },
      schema: { tags: ['lunch'], summary: '按报名与考勤预览某月用餐', querystring: monthBody },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.query.termId);
      const m = await computeMonth(db, schoolId, term, req.query.month);
      return {
        month: req.query.month,
        catererName: m.contract.catererName,
        priceFen: m.contract.priceFen,
        schoolDays: m.schoolDays,
        meals: m.meals,
        amountFen: m.amountFen,
        pupils: m.pupils,
      };
    },
  );

  app.post(
    '/lunch/statements',
    { config: { policy: allow('lunch.write') }, schema: { tags: ['lunch'], summary: '生成并记账某月午餐对账单', body: monthBody } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.body.termId);
      const m = await computeMonth(db, schoolId, term, req.body.month);
      const id = await db.transaction(async (tx) => {
        const sid = await postMonth(tx, schoolId, term.id, req.body.month, m, actor.accountId);
        await audit(tx, actor, schoolId, {
          action: 'lunch.statement.post',
          entity: 'lunch_statement',
          entityId: sid,
          detail: { month: req.body.month, meals: m.meals, amountFen: m.amountFen },
        });
        return sid;
      });
      const [row] = await statementRows(db, schoolId, sql`AND l.id = ${id}`);
      return row;
    },
  );

  app.get(
    '/lunch/statements',
    {
      config: { policy: allow('lunch.read') },
      schema: { tags: ['lunch'], summary: '午餐月对账单（供餐单位）', querystring: z.object({ termId: z.uuid().optional() }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return statementRows(db, schoolId, req.query.termId ? sql`AND l.term_id = ${req.query.termId}` : sql``);
    },
  );

  app.get(
    '/lunch/statements/:id',
    { config: { policy: allow('lunch.read') }, schema: { tags: ['lunch'], summary: '对账单明细（每个学生）', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const [st] = await statementRows(db, schoolId, sql`AND l.id = ${req.params.id}`);
      if (!st) throw notFound('对账单');
      const lines = await queryRows<{
        studentId: string;
        name: string;
        className: string;
        meals: number;
        amountFen: string;
        dueFen: string;
      }>(
        db,
        sql`SELECT x.student_id AS "studentId", s.name, c.name AS "className", x.meals, x.amount_fen::text AS "amountFen",
                   (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e WHERE e.school_id = x.school_id AND e.account = 'receivable.lunch'
                       AND e.source_type = 'lunch_statement' AND e.source_id = x.statement_id AND e.student_id = x.student_id)::text AS "dueFen"
              FROM lunch_statement_lines x
              JOIN students s ON s.school_id = x.school_id AND s.id = x.student_id
              JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
             WHERE x.school_id = ${schoolId} AND x.statement_id = ${st.id} ORDER BY s.grade, c.name, s.student_no`,
      );
      return { ...st, lines: lines.map((l) => ({ ...l, amountFen: Number(l.amountFen), dueFen: Number(l.dueFen) })) };
    },
  );

  app.post(
    '/lunch/statements/:id/pay',
    { config: { policy: allow('lunch.write') }, schema: { tags: ['lunch'], summary: '登记已付供餐单位', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await db.transaction(async (tx) => {
        const [st] = await tx
          .select()
          .from(lunchStatements)
          .where(and(eq(lunchStatements.schoolId, schoolId), eq(lunchStatements.id, req.params.id)))
          .for('update');
        if (!st) throw notFound('对账单');
        if (st.paidAt) throw new AppError(409, 'ALREADY_PAID', '该对账单已付款');
        const paidTxnId = await postTransaction(tx, {
          schoolId,
          termId: st.termId,
          kind: 'lunch',
          sourceType: 'lunch_statement',
          sourceId: st.id,
          memo: `${st.month} 付供餐单位`,
          postedBy: actor.accountId,
          lines: [
            { account: 'payable.caterer', amountFen: st.amountFen },
            { account: 'cash.offline', amountFen: -st.amountFen },
          ],
        });
        await tx
          .update(lunchStatements)
          .set({ paidAt: new Date(), paidTxnId })
          .where(and(eq(lunchStatements.schoolId, schoolId), eq(lunchStatements.id, st.id)));
        await audit(tx, actor, schoolId, {
          action: 'lunch.statement.pay',
          entity: 'lunch_statement',
          entityId: st.id,
          detail: { amountFen: st.amountFen },
        });
      });
      const [row] = await statementRows(db, schoolId, sql`AND l.id = ${req.params.id}`);
      return row;
    },
  );
  app.post(
    '/lunch/statements/:id/payments',
    {
      config: { policy: allow('lunch.write') },
      schema: {
        tags: ['lunch'],
        summary: '登记家长缴纳的午餐费（该生本月应缴全额；与课后服务费分开）',
        params: idParams,
        body: z
          .object({
            studentId: z.uuid(),
            method: z.enum(['cash', 'transfer', 'campus_card']),
            note: z.string().trim().max(200).default(''),
          })
          .strict(),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { studentId, method, note } = req.body;
      return db.transaction(async (tx) => {
        // the statement row lock serialises two desks recording the same family's payment
        const [st] = await tx
          .select()
          .from(lunchStatements)
          .where(and(eq(lunchStatements.schoolId, schoolId), eq(lunchStatements.id, req.params.id)))
          .for('update');
        if (!st) throw notFound('对账单');
        const [line] = await tx
          .select()
          .from(lunchStatementLines)
          .where(
            and(
              eq(lunchStatementLines.schoolId, schoolId),
              eq(lunchStatementLines.statementId, st.id),
              eq(lunchStatementLines.studentId, studentId),
            ),
          );
        if (!line) throw notFound('该学生本月的午餐账单');
        const [due] = await queryRows<{ fen: string }>(
          tx,
          sql`SELECT COALESCE(SUM(amount_fen), 0)::text AS fen FROM ledger_entries WHERE school_id = ${schoolId} AND account = 'receivable.lunch'
                AND source_type = 'lunch_statement' AND source_id = ${st.id} AND student_id = ${studentId}`,
        );
        const dueFen = Number(due.fen);
        if (dueFen <= 0) throw new AppError(409, 'ALREADY_PAID', '该学生本月午餐费已缴清');
        await postTransaction(tx, {
          schoolId,
          termId: st.termId,
          kind: 'lunch_payment',
          sourceType: 'lunch_statement',
          sourceId: st.id,
          memo: `${st.month} 午餐费（${METHOD_LABELS[method]}）${note ? `：${note}` : ''}`,
          postedBy: actor.accountId,
          lines: [
            { account: 'cash.offline', amountFen: dueFen },
            { account: 'receivable.lunch', amountFen: -dueFen, studentId },
          ],
        });
        await audit(tx, actor, schoolId, {
          action: 'lunch.payment',
          entity: 'student',
          entityId: studentId,
          detail: { statementId: st.id, month: st.month, amountFen: dueFen, method },
        });
        await notifyGuardians(tx, schoolId, studentId, {
          kind: 'lunch.paid',
          title: `${st.month} 午餐费已收`,
          body: `已收到午餐费 ${formatYuan(dueFen)} 元（${METHOD_LABELS[method]}）。`,
          link: `/m/family/lunch/${studentId}`,
        });
        return { statementId: st.id, studentId, paidFen: dueFen, dueFen: 0 };
      });
    },
  );
};
