/**
 * Payments and refunds: what a pupil owes and has paid in a term, recording a payment (offline at
 * once, online when the provider's notification arrives), refunds, receipt numbers. Every money
 * movement is one ledger transaction in the same database transaction as its row and audit record.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { auditLog, payments, type refunds } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { assertTermOpen, postTransaction, studentBalances } from '../ledger';

export const OFFLINE_METHODS = ['cash', 'transfer', 'campus_card'] as const;
export type OfflineMethod = (typeof OFFLINE_METHODS)[number];
export const METHOD_LABELS: Record<string, { zh: string; en: string }> = {
  cash: { zh: '现金', en: 'Cash' },
  transfer: { zh: '银行转账', en: 'Bank transfer' },
  campus_card: { zh: '校园卡', en: 'Campus card' },
  online: { zh: '线上支付', en: 'Online' },
};

export type PaymentRow = typeof payments.$inferSelect;

/** Serialises money writes for one pupil and term (two cashiers, a cashier and a callback). */
export async function lockPupilTerm(tx: Db, schoolId: string, studentId: string, termId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7251005, hashtext(${`${schoolId}:${studentId}:${termId}`}))`);
}

/** What the family still owes for the term (the ledger's receivable; negative = the school owes them). */
export async function dueOf(db: Db, schoolId: string, termId: string, studentId: string): Promise<number> {
  const b = await studentBalances(db, schoolId, termId, studentId);
  return b['receivable.guardian'] ?? 0;
}

export interface MoneyTotals {
  paidFen: number;
  refundedFen: number;
}

export async function totalsOf(db: Db, schoolId: string, termId: string, studentId: string): Promise<MoneyTotals> {
  const [r] = await queryRows<{ paid: string; refunded: string }>(
    db,
    sql`SELECT COALESCE((SELECT SUM(amount_fen) FROM payments WHERE school_id = ${schoolId} AND term_id = ${termId}
                           AND student_id = ${studentId} AND status = 'succeeded'), 0)::text AS paid,
               COALESCE((SELECT SUM(r.amount_fen) FROM refunds r JOIN payments p ON p.school_id = r.school_id AND p.id = r.payment_id
                          WHERE r.school_id = ${schoolId} AND p.term_id = ${termId} AND p.student_id = ${studentId}
                            AND r.status = 'succeeded'), 0)::text AS refunded`,
  );
  return { paidFen: Number(r.paid), refundedFen: Number(r.refunded) };
}

/** Receipt numbers per school and year without gaps: 2026-000001, 2026-000002, … */
export async function nextReceiptNo(tx: Db, schoolId: string, now = new Date()): Promise<string> {
  const year = Number(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));
  const [r] = await queryRows<{ last: number }>(
    tx,
    sql`INSERT INTO receipt_counters (school_id, year, last) VALUES (${schoolId}, ${year}, 1)
        ON CONFLICT (school_id, year) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last`,
  );
  return `${year}-${String(r.last).padStart(6, '0')}`;
}

/** The pupil must be the school's, and the invoice (if given) this pupil's, this term's and issued. */
export async function checkPupilTerm(db: Db, schoolId: string, studentId: string, termId: string, invoiceId?: string | null) {
  const [row] = await queryRows<{ name: string }>(
    db,
    sql`SELECT s.name FROM students s JOIN terms t ON t.school_id = s.school_id AND t.id = ${termId}
         WHERE s.school_id = ${schoolId} AND s.id = ${studentId}`,
  );
  if (!row) throw notFound('学生或学期');
  if (invoiceId) {
    const [inv] = await queryRows(
      db,
      sql`SELECT 1 FROM invoices WHERE school_id = ${schoolId} AND id = ${invoiceId} AND student_id = ${studentId}
            AND term_id = ${termId} AND status = 'issued'`,
    );
    if (!inv) throw notFound('账单');
  }
  return row;
}

export interface OfflineInput {
  studentId: string;
  termId: string;
  invoiceId?: string | null;
  method: OfflineMethod;
  amountFen: number;
  externalRef?: string | null;
  note?: string;
  idempotencyKey?: string | null;
}

/** A replayed key returns the first payment; the same key with other content is a conflict. */
async function replayOf(tx: Db, schoolId: string, key: string | null | undefined, same: (p: PaymentRow) => boolean) {
  if (!key) return null;
  const [p] = await tx.select().from(payments).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.idempotencyKey} = ${key}`);
  if (!p) return null;
  if (!same(p)) throw new AppError(409, 'IDEMPOTENCY_MISMATCH', '同一幂等键已用于另一笔不同的收款');
  return p;
}

export async function recordOfflinePayment(tx: Db, actor: Actor, schoolId: string, i: OfflineInput) {
  await lockPupilTerm(tx, schoolId, i.studentId, i.termId);
  const replay = await replayOf(
    tx,
    schoolId,
    i.idempotencyKey,
    (p) => p.studentId === i.studentId && p.termId === i.termId && p.amountFen === i.amountFen && p.method === i.method,
  );
  if (replay) return { payment: replay, replayed: true };
  await checkPupilTerm(tx, schoolId, i.studentId, i.termId, i.invoiceId);
  await assertTermOpen(tx, schoolId, i.termId);
  const due = await dueOf(tx, schoolId, i.termId, i.studentId);
  // L1: money is taken only for what is billed in this term; nothing paid ahead
  if (i.amountFen > due)
    throw new AppError(422, 'PAYMENT_EXCEEDS_DUE', `收款金额超过本学期应缴（应缴 ${(Math.max(due, 0) / 100).toFixed(2)} 元）`);
  const id = newId();
  const receiptNo = await nextReceiptNo(tx, schoolId);
  const now = new Date();
  const [payment] = await tx
    .insert(payments)
    .values({
      schoolId,
      id,
      termId: i.termId,
      studentId: i.studentId,
      invoiceId: i.invoiceId ?? null,
      method: i.method,
      amountFen: i.amountFen,
      status: 'succeeded',
      externalRef: i.externalRef || null,
      idempotencyKey: i.idempotencyKey ?? null,
      receiptNo,
      note: i.note ?? '',
      recordedBy: actor.accountId,
      settledAt: now,
    })
    .returning();
  await postTransaction(tx, {
    schoolId,
    termId: i.termId,
    kind: 'payment',
    sourceType: 'payment',
    sourceId: id,
    memo: `${METHOD_LABELS[i.method].zh}收款 ${receiptNo}`,
    postedBy: actor.accountId,
    lines: [
      { account: 'cash.offline', amountFen: i.amountFen, studentId: i.studentId },
      { account: 'receivable.guardian', amountFen: -i.amountFen, studentId: i.studentId },
    ],
  });
  await audit(tx, actor, schoolId, {
    action: 'payment.record',
    entity: 'payment',
    entityId: id,
    detail: { studentId: i.studentId, termId: i.termId, method: i.method, amountFen: i.amountFen, receiptNo },
  });
  return { payment, replayed: false };
}

/** Settles an online payment from the provider's (verified) notification; a repeat changes nothing. */
export async function settleOnline(
  tx: Db,
  schoolId: string,
  n: { orderId: string; outTradeNo: string; amountFen: number },
): Promise<{ payment: PaymentRow; replayed: boolean }> {
  const [found] = await tx
    .select()
    .from(payments)
    .where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id}::text = ${n.outTradeNo}`);
  if (found?.method !== 'online') throw notFound('支付订单');
  await lockPupilTerm(tx, schoolId, found.studentId, found.termId);
  const [p] = await tx.select().from(payments).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${found.id} FOR UPDATE`);
  if (p.externalRef && p.externalRef !== n.orderId) throw new AppError(400, 'ORDER_MISMATCH', '通知的平台订单号与本校记录不符');
  if (n.amountFen !== p.amountFen) throw new AppError(400, 'AMOUNT_MISMATCH', '通知金额与订单金额不符');
  if (p.status === 'succeeded') return { payment: p, replayed: true };
  if (p.status !== 'pending') throw new AppError(409, 'PAYMENT_NOT_PENDING', '该订单已取消或失败');
  const receiptNo = await nextReceiptNo(tx, schoolId);
  const [payment] = await tx
    .update(payments)
    .set({ status: 'succeeded', settledAt: new Date(), receiptNo, externalRef: n.orderId })
    .where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${p.id}`)
    .returning();
  await postTransaction(tx, {
    schoolId,
    termId: p.termId,
    kind: 'payment',
    sourceType: 'payment',
    sourceId: p.id,
    memo: `线上支付 ${receiptNo}`,
    postedBy: p.recordedBy,
    lines: [
      { account: 'cash.online', amountFen: p.amountFen, studentId: p.studentId },
      { account: 'receivable.guardian', amountFen: -p.amountFen, studentId: p.studentId },
    ],
  });
  await tx.insert(auditLog).values({
    schoolId,
    id: newId(),
    accountId: null,
    actorName: '支付平台通知',
    role: 'system',
    action: 'payment.settle',
    entity: 'payment',
    entityId: p.id,
    detail: { orderId: n.orderId, amountFen: p.amountFen, receiptNo },
  });
  return { payment, replayed: false };
}

/** What may still be refunded of a payment: paid minus refunds that succeeded or are under way. */
export async function refundableOf(tx: Db, schoolId: string, p: PaymentRow): Promise<number> {
  const [r] = await queryRows<{ total: string }>(
    tx,
    sql`SELECT COALESCE(SUM(amount_fen), 0)::text AS total FROM refunds
         WHERE school_id = ${schoolId} AND payment_id = ${p.id} AND status IN ('succeeded', 'pending')`,
  );
  return p.amountFen - Number(r.total);
}

export type RefundRow = typeof refunds.$inferSelect;

/** Posts a succeeded refund: the family's balance goes back up by what leaves the cash account. */
export async function postRefund(tx: Db, postedBy: string | null, p: PaymentRow, refund: RefundRow) {
  await postTransaction(tx, {
    schoolId: p.schoolId,
    termId: p.termId,
    kind: 'refund',
    sourceType: 'refund',
    sourceId: refund.id,
    memo: `退款（收据 ${p.receiptNo ?? ''}）${refund.reason}`,
    postedBy,
    lines: [
      { account: 'receivable.guardian', amountFen: refund.amountFen, studentId: p.studentId },
      { account: p.method === 'online' ? 'cash.online' : 'cash.offline', amountFen: -refund.amountFen, studentId: p.studentId },
    ],
  });
}
