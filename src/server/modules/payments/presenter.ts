/** Output shapes of payments, refunds and receipts: fields named one by one. */
import { formatYuan } from '../../../shared/ledger';
import { capitalAmount } from './capital';
import { METHOD_LABELS, type PaymentRow, type RefundRow } from './service';

export function presentPayment(p: PaymentRow, extra: { studentName?: string; className?: string; termName?: string } = {}) {
  return {
    id: p.id,
    termId: p.termId,
    studentId: p.studentId,
    invoiceId: p.invoiceId,
    method: p.method,
    methodLabel: METHOD_LABELS[p.method]?.zh ?? p.method,
    amountFen: p.amountFen,
    status: p.status,
    externalRef: p.externalRef,
    receiptNo: p.receiptNo,
    note: p.note,
    createdAt: p.createdAt.toISOString(),
    settledAt: p.settledAt?.toISOString() ?? null,
    studentName: extra.studentName ?? null,
    className: extra.className ?? null,
    termName: extra.termName ?? null,
  };
}

export function presentRefund(r: RefundRow) {
  return {
    id: r.id,
    paymentId: r.paymentId,
    amountFen: r.amountFen,
    reason: r.reason,
    status: r.status,
    externalRef: r.externalRef,
    createdAt: r.createdAt.toISOString(),
  };
}

export interface ReceiptFacts {
  school: { name: string; code: string; address: string; phone: string };
  student: { name: string; studentNo: string; className: string };
  termName: string;
  recordedByName: string;
}

/** A receipt (收据): only for a succeeded payment; refunds listed under it. */
export function presentReceipt(p: PaymentRow, f: ReceiptFacts, refunds: RefundRow[]) {
  const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amountFen, 0);
  return {
    receiptNo: p.receiptNo as string,
    paymentId: p.id,
    school: f.school,
    student: f.student,
    termName: f.termName,
    item: '课后服务费',
    method: p.method,
    methodLabel: METHOD_LABELS[p.method]?.zh ?? p.method,
    amountFen: p.amountFen,
    amountYuan: formatYuan(p.amountFen),
    amountCapital: capitalAmount(p.amountFen),
    paidAt: (p.settledAt ?? p.createdAt).toISOString(),
    externalRef: p.externalRef,
    recordedByName: f.recordedByName,
    refunds: refunds.filter((r) => r.status === 'succeeded').map(presentRefund),
    refundedFen: refunded,
  };
}
