/** The month's statements per person (generate, approve, pay), inside the caller's transaction. */
import { and, eq, sql } from 'drizzle-orm';
import { personStatements } from '../../../shared/subsidies';
import { type Db, queryRows } from '../../db/client';
import { subsidyStatements } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { postTransaction } from '../ledger';
import { termOf } from '../lunch/calendar';
import { monthSessions } from './hours';
import { schoolRates } from './rates';

/** (Re)computes the pending statements of a month; approved and paid ones are never touched again. Returns how many were written. */
export async function generateMonth(tx: Db, schoolId: string, termId: string, month: string, today?: string): Promise<number> {
  const term = await termOf(tx, schoolId, termId);
  const { sessions, external } = await monthSessions(tx, schoolId, term, month, today);
  const { rates } = await schoolRates(tx, schoolId);
  if (!rates.care && !rates.duty && !rates.external) throw new AppError(409, 'NO_RATES', '请先设置补贴标准');
  const people = personStatements(sessions, external, rates);
  const done = await queryRows<{ staffId: string }>(
    tx,
    sql`SELECT staff_id AS "staffId" FROM subsidy_statements
         WHERE school_id = ${schoolId} AND term_id = ${termId} AND month = ${month} AND status <> 'pending' FOR UPDATE`,
  );
  const fixed = new Set(done.map((d) => d.staffId));
  await tx
    .delete(subsidyStatements)
    .where(
      and(
        eq(subsidyStatements.schoolId, schoolId),
        eq(subsidyStatements.termId, termId),
        eq(subsidyStatements.month, month),
        eq(subsidyStatements.status, 'pending'),
      ),
    );
  const fresh = people.filter((p) => !fixed.has(p.staffId));
  if (fresh.length)
    await tx.insert(subsidyStatements).values(
      fresh.map((p) => ({
        schoolId,
        id: newId(),
        termId,
        month,
        staffId: p.staffId,
        kind: p.kind,
        lines: p.lines,
        confirmedMinutes: p.confirmedMinutes,
        unconfirmedSessions: p.unconfirmedSessions,
        amountFen: p.amountFen,
      })),
    );
  return fresh.length;
}

/**
 * approve: pending → approved, posts expense.teacher_subsidy (or expense.labour_fee) / payable.staff.
 * pay: approved → paid, posts payable.staff / cash.offline. Returns the amount.
 */
export async function moveStatement(tx: Db, schoolId: string, id: string, action: 'approve' | 'pay', by: string | null): Promise<number> {
  const [st] = await tx
    .select()
    .from(subsidyStatements)
    .where(and(eq(subsidyStatements.schoolId, schoolId), eq(subsidyStatements.id, id)))
    .for('update');
  if (!st) throw notFound('明细');
  const from = action === 'approve' ? 'pending' : 'approved';
  if (st.status !== from) throw new AppError(409, 'BAD_STATUS', action === 'approve' ? '该明细已审批' : '该明细尚未审批或已发放');
  if (st.amountFen <= 0) throw new AppError(422, 'NOTHING_TO_PAY', '没有已确认的课时，金额为零');
  const expense = st.kind === 'labour' ? ('expense.labour_fee' as const) : ('expense.teacher_subsidy' as const);
  const txnId = await postTransaction(tx, {
    schoolId,
    termId: st.termId,
    kind: st.kind,
    sourceType: 'subsidy_statement',
    sourceId: st.id,
    memo: `${st.month} ${st.kind === 'labour' ? '劳务费' : '课后服务补贴'}${action === 'pay' ? '发放' : ''}`,
    postedBy: by,
    lines:
      action === 'approve'
        ? [
            { account: expense, amountFen: st.amountFen },
            { account: 'payable.staff', amountFen: -st.amountFen },
          ]
        : [
            { account: 'payable.staff', amountFen: st.amountFen },
            { account: 'cash.offline', amountFen: -st.amountFen },
          ],
  });
  const now = new Date();
  await tx
    .update(subsidyStatements)
    .set(
      action === 'approve'
        ? { status: 'approved', approvedBy: by, approvedAt: now, approveTxnId: txnId }
        : { status: 'paid', paidAt: now, paidTxnId: txnId },
    )
    .where(and(eq(subsidyStatements.schoolId, schoolId), eq(subsidyStatements.id, st.id)));
  return st.amountFen;
}
