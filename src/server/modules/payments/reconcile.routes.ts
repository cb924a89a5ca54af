/**
 * Reconciliation: the office imports a bank or campus-card statement (.xlsx, or lines typed in),
 * each line is matched to a recorded payment (reconcile.ts), and the page lists what is unmatched
 * on both sides: money on the statement with no payment recorded, payments the statement lacks.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseYuan } from '../../../shared/ledger';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { statementLines } from '../../db/schema';
import { badRequest } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { cellText, loadWorkbook, MAX_UPLOAD_BYTES, sendWorkbook, styleHeader, XLSX_MIME } from '../imports/xlsx';
import ExcelJS from 'exceljs';
import { type LineToMatch, matchStatement, SOURCE_METHOD, type StatementSource } from './reconcile';

const SOURCES = ['bank', 'campus_card'] as const;
const day = z.iso.date();
const lineInput = z.object({
  occurredOn: day,
  amountFen: z.number().int('金额必须是整数分').positive().max(100_000_000),
  reference: z.string().trim().max(100).default(''),
  payer: z.string().trim().max(100).default(''),
});
type LineInput = z.infer<typeof lineInput>;
const HEADERS = ['日期', '金额（元）', '流水号/参考号', '付款人/摘要'];

/** Rows of an uploaded statement: date, amount in yuan (two decimals at most), reference, payer. */
async function readStatement(buf: Buffer): Promise<LineInput[]> {
  const wb = await loadWorkbook(buf);
  const ws = wb.worksheets[0];
  const out: LineInput[] = [];
  const errors: { row: number; message: string }[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const [d, a, ref, payer] = [1, 2, 3, 4].map((i) => cellText(row.getCell(i).value));
    if (!d && !a && !ref && !payer) return;
    const fen = parseYuan(a.replace(/[,，¥￥\s]/g, ''));
    const date = /^\d{4}-\d{2}-\d{2}$/.test(d)
      ? d
      : /^\d{4}[/.]\d{1,2}[/.]\d{1,2}$/.test(d)
        ? d
            .split(/[/.]/)
            .map((x, i) => (i ? x.padStart(2, '0') : x))
            .join('-')
        : '';
    if (!date || !day.safeParse(date).success) errors.push({ row: n, message: `第 ${n} 行：日期有误（应为 2026-09-01）` });
    else if (fen === null || fen <= 0) errors.push({ row: n, message: `第 ${n} 行：金额有误（元，最多两位小数）` });
    else out.push({ occurredOn: date, amountFen: fen, reference: ref.slice(0, 100), payer: payer.slice(0, 100) });
  });
  if (errors.length) throw badRequest('STATEMENT_INVALID', errors[0].message, { errors: errors.slice(0, 50) });
  if (out.length === 0) throw badRequest('STATEMENT_EMPTY', '对账单没有数据行');
  if (out.length > 5000) throw badRequest('STATEMENT_TOO_LARGE', '一次最多导入 5000 行');
  return out;
}

/** Unmatched succeeded payments of the channel between two days, for matching and listing. */
async function openPayments(db: Db, schoolId: string, source: StatementSource, from: string, to: string) {
  return queryRows<{ id: string; method: string; amount_fen: string; external_ref: string | null; day: string }>(
    db,
    sql`SELECT p.id, p.method, p.amount_fen::text, p.external_ref, to_char(p.settled_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
          FROM payments p
         WHERE p.school_id = ${schoolId} AND p.method = ${SOURCE_METHOD[source]} AND p.status = 'succeeded'
           AND (p.settled_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date
           AND NOT EXISTS (SELECT 1 FROM statement_lines s WHERE s.school_id = p.school_id AND s.matched_payment_id = p.id)`,
  );
}

async function importLines(db: Db, actor: Actor, schoolId: string, source: StatementSource, lines: LineInput[]) {
  const days = lines.map((l) => l.occurredOn).sort();
  const [from, to] = [days[0], days[days.length - 1]];
  return db.transaction(async (tx) => {
    // one reconciliation at a time per school: two imports cannot match the same payment
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7251006, hashtext(${schoolId}))`);
    const batchId = newId();
    const rows = lines.map((l, i) => ({ ...l, id: newId(), lineNo: i + 1 }));
    const candidates = await openPayments(tx, schoolId, source, from, to);
    const matches = matchStatement(
      rows.map((r): LineToMatch => ({ id: r.id, source, occurredOn: r.occurredOn, amountFen: r.amountFen, reference: r.reference })),
      candidates.map((c) => ({ id: c.id, method: c.method, amountFen: Number(c.amount_fen), externalRef: c.external_ref, day: c.day })),
    );
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(statementLines).values(
        rows.slice(i, i + 500).map((r) => ({
          schoolId,
          id: r.id,
          batchId,
          source,
          lineNo: r.lineNo,
          occurredOn: r.occurredOn,
          amountFen: r.amountFen,
          reference: r.reference,
          payer: r.payer,
          matchedPaymentId: matches.get(r.id) ?? null,
          importedBy: actor.accountId,
        })),
      );
    }
    await audit(tx, actor, schoolId, {
      action: 'statement.import',
      entity: 'statement',
      entityId: batchId,
      detail: { source, lines: rows.length, matched: matches.size, from, to },
    });
    return { batchId, source, from, to, lines: rows.length, matched: matches.size };
  });
}

export const reconcileRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.addContentTypeParser(
    [XLSX_MIME, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/payments/statements/template.xlsx',
    { config: { policy: allow('payment.read') }, schema: { tags: ['payments'], summary: '对账单导入模板 (.xlsx)', produces: [XLSX_MIME] } },
    async (_req, reply) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('对账单');
      ws.addRow(HEADERS);
      ws.addRow(['2026-09-10', '360.00', 'B202609100001', '张三家长']);
      styleHeader(ws, [14, 14, 24, 20]);
      return sendWorkbook(reply, wb, '对账单模板.xlsx', 'statement-template.xlsx');
    },
  );

  app.post(
    '/payments/statements',
    {
      config: { policy: allow('payment.write') },
      schema: {
        tags: ['payments'],
        summary: '录入对账单行并与已登记的收款匹配',
        body: z.object({ source: z.enum(SOURCES), lines: z.array(lineInput).min(1).max(5000) }).strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      reply.code(201);
      return importLines(db, actor, schoolId, req.body.source, req.body.lines);
    },
  );

  app.post(
    '/payments/statements/import',
    {
      config: { policy: allow('payment.write') },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['payments'],
        summary: '导入银行或校园卡对账单 (.xlsx：日期、金额（元）、流水号、付款人) 并匹配',
        consumes: [XLSX_MIME, 'application/octet-stream'],
        querystring: z.object({ source: z.enum(SOURCES) }),
        body: z.instanceof(Buffer, { message: '请求体应为 .xlsx 文件内容' }),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const lines = await readStatement(req.body);
      reply.code(201);
      return importLines(db, actor, schoolId, req.query.source, lines);
    },
  );

  app.get(
    '/payments/reconciliation',
    {
      config: { policy: allow('payment.read') },
      schema: {
        tags: ['payments'],
        summary: '对账结果：对账单行（已匹配/未匹配）与对账单中没有的收款',
        querystring: z.object({ source: z.enum(SOURCES), from: day, to: day }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const { source, from, to } = req.query;
      if (from > to) throw badRequest('VALIDATION', '开始日期不能晚于结束日期');
      const lines = await queryRows<{
        id: string;
        occurred_on: string;
        amount_fen: string;
        reference: string;
        payer: string;
        matched_payment_id: string | null;
        receipt_no: string | null;
        student_name: string | null;
      }>(
        db,
        sql`SELECT l.id, l.occurred_on::text, l.amount_fen::text, l.reference, l.payer, l.matched_payment_id, p.receipt_no, s.name AS student_name
              FROM statement_lines l
              LEFT JOIN payments p ON p.school_id = l.school_id AND p.id = l.matched_payment_id
              LEFT JOIN students s ON s.school_id = p.school_id AND s.id = p.student_id
             WHERE l.school_id = ${schoolId} AND l.source = ${source} AND l.occurred_on BETWEEN ${from}::date AND ${to}::date
             ORDER BY l.occurred_on, l.created_at, l.line_no`,
      );
      const open = await queryRows<{
        id: string;
        receipt_no: string;
        amount_fen: string;
        external_ref: string | null;
        day: string;
        student_name: string;
      }>(
        db,
        sql`SELECT p.id, p.receipt_no, p.amount_fen::text, p.external_ref, to_char(p.settled_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, s.name AS student_name
              FROM payments p JOIN students s ON s.school_id = p.school_id AND s.id = p.student_id
             WHERE p.school_id = ${schoolId} AND p.method = ${SOURCE_METHOD[source]} AND p.status = 'succeeded'
               AND (p.settled_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date
               AND NOT EXISTS (SELECT 1 FROM statement_lines l WHERE l.school_id = p.school_id AND l.matched_payment_id = p.id)
             ORDER BY p.settled_at`,
      );
      const toLine = (l: (typeof lines)[number]) => ({
        id: l.id,
        occurredOn: l.occurred_on,
        amountFen: Number(l.amount_fen),
        reference: l.reference,
        payer: l.payer,
        matchedPaymentId: l.matched_payment_id,
        receiptNo: l.receipt_no,
        studentName: l.student_name,
      });
      return {
        source,
        from,
        to,
        matched: lines.filter((l) => l.matched_payment_id).map(toLine),
        unmatchedLines: lines.filter((l) => !l.matched_payment_id).map(toLine),
        unmatchedPayments: open.map((p) => ({
          id: p.id,
          receiptNo: p.receipt_no,
          amountFen: Number(p.amount_fen),
          externalRef: p.external_ref,
          day: p.day,
          studentName: p.student_name,
        })),
      };
    },
  );
};
