/** Closing a term's books: after this the term is read-only for money (L1, N18 term accounts). */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { termClosures } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { termBalances, termImbalance } from './balances';

export async function closeTerm(tx: Db, o: { schoolId: string; termId: string; closedBy: string | null }) {
  // Lock the term row: postings hold a share lock on it (post.ts), so none is half-way while we close.
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM terms WHERE school_id = ${o.schoolId} AND id = ${o.termId} FOR UPDATE`,
  );
  if (rows.length === 0) throw new AppError(404, 'NOT_FOUND', '学期不存在或无权访问');
  const done = await queryRows(tx, sql`SELECT 1 FROM term_closures WHERE school_id = ${o.schoolId} AND term_id = ${o.termId}`);
  if (done.length > 0) throw new AppError(409, 'TERM_CLOSED', '该学期已结账');
  const imbalance = await termImbalance(tx, o.schoolId, o.termId);
  if (imbalance !== 0) throw new AppError(409, 'LEDGER_UNBALANCED', `账目不平（差 ${imbalance} 分），不能结账`);
  const summary = await termBalances(tx, o.schoolId, o.termId);
  await tx.insert(termClosures).values({ schoolId: o.schoolId, termId: o.termId, closedBy: o.closedBy, summary });
  return summary;
}

export async function isTermClosed(db: Db, schoolId: string, termId: string): Promise<boolean> {
  const rows = await queryRows(db, sql`SELECT 1 FROM term_closures WHERE school_id = ${schoolId} AND term_id = ${termId}`);
  return rows.length > 0;
}
