/** Balances derived from the ledger: nothing about money is stored anywhere else. */
import { sql } from 'drizzle-orm';
import type { LedgerAccount } from '../../../shared/ledger';
import { type Db, queryRows } from '../../db/client';

export type Balances = Partial<Record<LedgerAccount, number>>;

/** Sum per account for a term (debit positive). */
export async function termBalances(db: Db, schoolId: string, termId: string): Promise<Balances> {
  const rows = await queryRows<{ account: LedgerAccount; total: string }>(
    db,
    sql`SELECT account, SUM(amount_fen)::text AS total FROM ledger_entries
         WHERE school_id = ${schoolId} AND term_id = ${termId} GROUP BY account`,
  );
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.total)]));
}

/** Sum per account for one pupil in a term; `receivable.guardian` is what the family still owes. */
export async function studentBalances(db: Db, schoolId: string, termId: string, studentId: string): Promise<Balances> {
  const rows = await queryRows<{ account: LedgerAccount; total: string }>(
    db,
    sql`SELECT account, SUM(amount_fen)::text AS total FROM ledger_entries
         WHERE school_id = ${schoolId} AND term_id = ${termId} AND student_id = ${studentId} GROUP BY account`,
  );
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.total)]));
}

/** The sum of every line of a term: always 0 when the books are whole. */
export async function termImbalance(db: Db, schoolId: string, termId: string): Promise<number> {
  const [row] = await queryRows<{ total: string | null }>(
    db,
    sql`SELECT SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${schoolId} AND term_id = ${termId}`,
  );
  return Number(row?.total ?? 0);
}
