/** Test fixtures for money: a term's bill for a pupil as BILLING posts it (invoice row, lines, ledger). */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { invoiceLines, invoices } from '../../db/schema';
import { newId } from '../../lib/ids';
import { postTransaction } from '../ledger';

export async function billPupil(db: Db, o: { schoolId: string; termId: string; studentId: string; amountFen: number }) {
  return db.transaction(async (tx) => {
    const id = newId();
    await tx.insert(invoices).values({
      schoolId: o.schoolId,
      id,
      termId: o.termId,
      studentId: o.studentId,
      periodKey: 'term',
      number: `T-${id.slice(0, 8)}`,
      totalFen: o.amountFen,
    });
    await tx.insert(invoiceLines).values({
      schoolId: o.schoolId,
      invoiceId: id,
      idx: 0,
      kind: 'service',
      description: '课后服务费（按学期）',
      quantity: 1,
      unitFen: o.amountFen,
      amountFen: o.amountFen,
    });
    await postTransaction(tx, {
      schoolId: o.schoolId,
      termId: o.termId,
      kind: 'invoice',
      sourceType: 'invoice',
      sourceId: id,
      lines: [
        { account: 'receivable.guardian', amountFen: o.amountFen, studentId: o.studentId },
        { account: 'income.service_fee', amountFen: -o.amountFen, studentId: o.studentId },
      ],
    });
    return id;
  });
}

/** The school's current term (the plans demo makes one per school). */
export async function termOf(db: Db, schoolId: string): Promise<string> {
  const [t] = await queryRows<{ id: string }>(db, sql`SELECT id FROM terms WHERE school_id = ${schoolId} ORDER BY starts_on DESC LIMIT 1`);
  return t.id;
}

/** Count of rows a request might have written: payments, refunds, ledger lines, waivers. */
export async function moneyRows(db: Db, schoolId: string) {
  const [r] = await queryRows<{ p: number; r: number; l: number; w: number; s: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM payments WHERE school_id = ${schoolId}) AS p,
               (SELECT count(*)::int FROM refunds WHERE school_id = ${schoolId}) AS r,
               (SELECT count(*)::int FROM ledger_entries WHERE school_id = ${schoolId}) AS l,
               (SELECT count(*)::int FROM waivers WHERE school_id = ${schoolId}) AS w,
               (SELECT count(*)::int FROM statement_lines WHERE school_id = ${schoolId}) AS s`,
  );
  return r;
}
