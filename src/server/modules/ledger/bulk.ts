/**
 * Bulk posting for large runs (a term's invoices for a whole school): the same checks as
 * `postTransactions`, but each table gets one INSERT … SELECT FROM json_to_recordset($1) per
 * 5,000 rows — one parameter instead of a dozen per row, several times faster on PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { newId } from '../../lib/ids';
import { assertTermOpen, checkLines, type PostOptions } from './post';

const CHUNK = 5000;

export async function postTransactionsBulk(tx: Db, list: PostOptions[]): Promise<string[]> {
  const terms = new Set<string>();
  for (const o of list) {
    checkLines(o.lines);
    terms.add(`${o.schoolId}\u0000${o.termId}`);
  }
  for (const key of terms) {
    const [schoolId, termId] = key.split('\u0000');
    await assertTermOpen(tx, schoolId, termId);
  }
  const ids: string[] = [];
  const rows = list.flatMap((o) => {
    const txnId = newId();
    ids.push(txnId);
    return o.lines.map((l) => ({
      school_id: o.schoolId,
      id: newId(),
      txn_id: txnId,
      term_id: o.termId,
      account: l.account,
      student_id: l.studentId ?? null,
      amount_fen: l.amountFen,
      kind: o.kind,
      source_type: o.sourceType,
      source_id: o.sourceId ?? null,
      memo: o.memo ?? '',
      posted_by: o.postedBy ?? null,
    }));
  });
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.execute(sql`INSERT INTO ledger_entries (school_id, id, txn_id, term_id, account, student_id, amount_fen, kind, source_type, source_id, memo, posted_by)
      SELECT school_id, id, txn_id, term_id, account, student_id, amount_fen, kind, source_type, source_id, memo, posted_by
        FROM json_to_recordset(${JSON.stringify(rows.slice(i, i + CHUNK))}::json) AS r(school_id uuid, id uuid, txn_id uuid, term_id uuid,
             account text, student_id uuid, amount_fen bigint, kind text, source_type text, source_id uuid, memo text, posted_by uuid)`);
  }
  return ids;
}
