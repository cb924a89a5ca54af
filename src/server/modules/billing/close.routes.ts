/**
 * Term close (结账): the reconciliation that must add up to the fen (per account, per class, per
 * pupil, and the ledger's own sum, which is zero), its .xlsx, and closing the books, after which every
 * money write on the term answers 409 TERM_CLOSED (ledger/post.ts).
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatYuan, LEDGER_ACCOUNTS, type LedgerAccount } from '../../../shared/ledger';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { together } from '../../db/together';
import { audit } from '../audit/service';
import { closeTerm, termBalances, termImbalance } from '../ledger';
import { termOf } from './billing.routes';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const termParams = z.object({ termId: z.uuid() });

interface PupilRow {
  studentId: string;
  name: string;
  studentNo: string;
  className: string;
  chargedFen: number;
  waivedFen: number;
  creditedFen: number;
  paidFen: number;
  refundedFen: number;
  dueFen: number;
}

/** Every figure of the term from the ledger; `checks` hold the identities that must be true. */
export async function reconciliation(db: Db, schoolId: string, termId: string) {
  const term = await termOf(db, schoolId, termId);
  const [balances, imbalance, closed, pupilRows] = await together(db, [
    () => termBalances(db, schoolId, termId),
    () => termImbalance(db, schoolId, termId),
    () =>
      queryRows<{ closed_at: Date | string; summary: unknown }>(
        db,
        sql`SELECT closed_at, summary FROM term_closures WHERE school_id = ${schoolId} AND term_id = ${termId}`,
      ),
    () =>
      queryRows<{
        student_id: string;
        name: string;
        student_no: string;
        class_name: string;
        grade: number;
        charged: string;
        waived: string;
        credited: string;
        paid: string;
        refunded: string;
        due: string;
      }>(
        db,
        sql`SELECT e.student_id, s.name, s.student_no, c.name AS class_name, c.grade,
                 COALESCE(SUM(e.amount_fen) FILTER (WHERE e.kind = 'invoice'), 0)::text AS charged,
                 COALESCE(-SUM(e.amount_fen) FILTER (WHERE e.kind = 'waiver'), 0)::text AS waived,
                 COALESCE(-SUM(e.amount_fen) FILTER (WHERE e.kind = 'credit'), 0)::text AS credited,
                 COALESCE(-SUM(e.amount_fen) FILTER (WHERE e.kind = 'payment'), 0)::text AS paid,
                 COALESCE(SUM(e.amount_fen) FILTER (WHERE e.kind = 'refund'), 0)::text AS refunded,
                 SUM(e.amount_fen)::text AS due
            FROM ledger_entries e JOIN students s ON s.school_id = e.school_id AND s.id = e.student_id
            JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
           WHERE e.school_id = ${schoolId} AND e.term_id = ${termId} AND e.account = 'receivable.guardian'
           GROUP BY e.student_id, s.name, s.student_no, c.name, c.grade
           ORDER BY c.grade, c.name, s.student_no`,
      ),
  ]);
  const pupils: PupilRow[] = pupilRows.map((r) => ({
    studentId: r.student_id,
    name: r.name,
    studentNo: r.student_no,
    className: r.class_name,
    chargedFen: Number(r.charged),
    waivedFen: Number(r.waived),
    creditedFen: Number(r.credited),
    paidFen: Number(r.paid),
    refundedFen: Number(r.refunded),
    dueFen: Number(r.due),
  }));
  const classes = new Map<string, Omit<PupilRow, 'studentId' | 'name' | 'studentNo'> & { pupils: number }>();
  for (const p of pupils) {
    const c = classes.get(p.className) ?? {
      className: p.className,
      pupils: 0,
      chargedFen: 0,
      waivedFen: 0,
      creditedFen: 0,
      paidFen: 0,
      refundedFen: 0,
      dueFen: 0,
    };
    c.pupils++;
    for (const k of ['chargedFen', 'waivedFen', 'creditedFen', 'paidFen', 'refundedFen', 'dueFen'] as const) c[k] += p[k];
    classes.set(p.className, c);
  }
  const accounts = (Object.keys(balances) as LedgerAccount[]).sort().map((code) => ({
    code,
    zh: LEDGER_ACCOUNTS[code]?.zh ?? code,
    en: LEDGER_ACCOUNTS[code]?.en ?? code,
    balanceFen: balances[code] ?? 0,
  }));
  const pupilDue = pupils.reduce((a, p) => a + p.dueFen, 0);
  const receivable = balances['receivable.guardian'] ?? 0;
  return {
    term: { id: term.id, name: term.name },
    closed: closed[0] ? { closedAt: new Date(closed[0].closed_at).toISOString() } : null,
    accounts,
    classes: [...classes.values()],
    pupils,
    checks: {
      /** the sum of every line of the term: 0 */
      imbalanceFen: imbalance,
      /** receivable.guardian equals the sum of what each pupil still owes */
      receivableFen: receivable,
      pupilsDueFen: pupilDue,
      reconciled: imbalance === 0 && receivable === pupilDue,
    },
  };
}

function workbook(r: Awaited<ReturnType<typeof reconciliation>>): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kehou 课后';
  const money = (fen: number) => Number(formatYuan(fen));
  const sheet = (name: string, titles: string[], rows: (string | number)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(titles).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    ws.columns.forEach((c) => {
      c.width = 16;
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  sheet(
    '科目余额',
    ['科目', '名称', '余额（元）'],
    [...r.accounts.map((a) => [a.code, a.zh, money(a.balanceFen)]), ['合计', '借贷相抵（应为 0）', money(r.checks.imbalanceFen)]],
  );
  const cols = ['应收', '减免', '退费', '已缴', '已退款', '欠费'];
  sheet(
    '按班级',
    ['班级', '人数', ...cols.map((c) => `${c}（元）`)],
    r.classes.map((c) => [
      c.className,
      c.pupils,
      money(c.chargedFen),
      money(c.waivedFen),
      money(c.creditedFen),
      money(c.paidFen),
      money(c.refundedFen),
      money(c.dueFen),
    ]),
  );
  sheet(
    '按学生',
    ['学号', '姓名', '班级', ...cols.map((c) => `${c}（元）`)],
    r.pupils.map((p) => [
      p.studentNo,
      p.name,
      p.className,
      money(p.chargedFen),
      money(p.waivedFen),
      money(p.creditedFen),
      money(p.paidFen),
      money(p.refundedFen),
      money(p.dueFen),
    ]),
  );
  return wb;
}

export const closeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/billing/terms/:termId/reconciliation',
    {
      config: { policy: allow('billing.read') },
      schema: { tags: ['billing'], summary: '对账（按科目、班级、学生，精确到分）', params: termParams },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return reconciliation(db, schoolId, req.params.termId);
    },
  );

  app.get(
    '/billing/terms/:termId/reconciliation.xlsx',
    {
      config: { policy: allow('billing.read') },
      schema: { tags: ['billing'], summary: '导出对账表 (.xlsx)', params: termParams, produces: [XLSX_MIME] },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const r = await reconciliation(db, schoolId, req.params.termId);
      const buf = Buffer.from(await workbook(r).xlsx.writeBuffer());
      await audit(db, actor, schoolId, {
        action: 'billing.export',
        entity: 'term',
        entityId: r.term.id,
        detail: { pupils: r.pupils.length },
      });
      return reply
        .header('content-type', XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename="reconciliation.xlsx"; filename*=UTF-8''${encodeURIComponent(`${r.term.name}对账表.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(buf);
    },
  );

  app.post(
    '/billing/terms/:termId/close',
    {
      config: { policy: allow('billing.close') },
      schema: {
        tags: ['billing'],
        summary: '学期结账（此后本学期账目只读）',
        params: termParams,
        body: z.object({ confirm: z.literal(true, '请确认结账') }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const term = await termOf(db, schoolId, req.params.termId);
      const summary = await db.transaction(async (tx) => {
        const s = await closeTerm(tx, { schoolId, termId: term.id, closedBy: actor.accountId });
        await audit(tx, actor, schoolId, { action: 'billing.close', entity: 'term', entityId: term.id, detail: { balances: s } });
        return s;
      });
      return { termId: term.id, closed: true, balances: summary };
    },
  );
};
