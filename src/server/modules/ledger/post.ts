/**
 * Posting to the ledger: the one way money enters the books. A transaction's lines must be whole
 * fen, known accounts and sum to zero; nothing is posted to a closed term. The database backs both
 * rules (migration 0005: append-only rows, a deferred balance check at commit).
 */
import { sql } from 'drizzle-orm';
import { isFen, isLedgerAccount, type LedgerAccount } from '../../../shared/ledger';
import { type Db, queryRows } from '../../db/client';
import { ledgerEntries } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';

export interface LedgerLine {
  account: LedgerAccount;
  /** debit positive, credit negative, whole fen */
  amountFen: number;
  studentId?: string | null;
}

export interface PostOptions {
  schoolId: string;
  termId: string;
  /** invoice | waiver | credit | payment | refund | subsidy | labour | lunch | district | adjustment */
  kind: string;
  sourceType: string;
  sourceId?: string | null;
  memo?: string;
  postedBy?: string | null;
  lines: LedgerLine[];
}

/** Checks lines without touching the database; throws the error a user would see. */
export function checkLines(lines: LedgerLine[]): void {
  if (lines.length < 2) throw new AppError(400, 'LEDGER_UNBALANCED', '记账分录至少需要借贷两行');
  let total = 0;
  for (const l of lines) {
    if (!isLedgerAccount(l.account)) throw new AppError(400, 'LEDGER_ACCOUNT', `未知科目：${String(l.account)}`);
    if (!isFen(l.amountFen) || l.amountFen === 0) throw new AppError(400, 'AMOUNT_NOT_FEN', '金额必须是不为零的整数分');
    total += l.amountFen;
  }
  if (total !== 0) throw new AppError(400, 'LEDGER_UNBALANCED', `借贷不平（差 ${total} 分）`);
}

/**
 * Refuses when the term is closed. Takes a share lock on the term row so that a concurrent
 * `closeTerm` (which locks it for update) waits for this posting, or this posting sees the closure.
 */
export async function assertTermOpen(tx: Db, schoolId: string, termId: string): Promise<void> {
  const rows = await queryRows<{ closed: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM term_closures c WHERE c.school_id = t.school_id AND c.term_id = t.id) AS closed
          FROM terms t WHERE t.school_id = ${schoolId} AND t.id = ${termId} FOR SHARE OF t`,
  );
  if (rows.length === 0) throw new AppError(404, 'NOT_FOUND', '学期不存在或无权访问');
  if (rows[0].closed) throw new AppError(409, 'TERM_CLOSED', '该学期已结账，账目只读，不能再记账');
}

/** Checks every posting's lines, and that each term they post to is open (once per term). */
export async function checkPostings(tx: Db, list: PostOptions[]): Promise<void> {
  const terms = new Map<string, { schoolId: string; termId: string }>();
  for (const o of list) {
    checkLines(o.lines);
    terms.set(`${o.schoolId}/${o.termId}`, o);
  }
  for (const { schoolId, termId } of terms.values()) await assertTermOpen(tx, schoolId, termId);
}

/** The ledger rows of the postings: one per line, a new transaction id per posting. */
export function entryRows(list: PostOptions[]): { ids: string[]; rows: (typeof ledgerEntries.$inferInsert)[] } {
  const ids: string[] = [];
  const rows = list.flatMap((o) => {
    const txnId = newId();
    ids.push(txnId);
    return o.lines.map((l) => ({
      schoolId: o.schoolId,
      id: newId(),
      txnId,
      termId: o.termId,
      account: l.account,
      studentId: l.studentId ?? null,
      amountFen: l.amountFen,
      kind: o.kind,
      sourceType: o.sourceType,
      sourceId: o.sourceId ?? null,
      memo: o.memo ?? '',
      postedBy: o.postedBy ?? null,
    }));
  });
  return { ids, rows };
}

/** Posts one balanced transaction inside the caller's database transaction; returns its id. */
export async function postTransaction(tx: Db, o: PostOptions): Promise<string> {
  await checkPostings(tx, [o]);
  const { ids, rows } = entryRows([o]);
  await tx.insert(ledgerEntries).values(rows);
  return ids[0];
}
