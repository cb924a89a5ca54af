/** Money on screen: ¥1,234.50 from integer fen (never floats). */
import { formatYuan } from '../../../shared/ledger';

export function yuan(fen: number): string {
  const [int, dec] = formatYuan(Math.abs(fen)).split('.');
  return `${fen < 0 ? '-' : ''}¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** A fresh idempotency key for one form: a retried submit of the same form sends the same key. */
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

export interface Payment {
  id: string;
  termId: string;
  studentId: string;
  invoiceId: string | null;
  method: string;
  methodLabel: string;
  amountFen: number;
  status: string;
  externalRef: string | null;
  receiptNo: string | null;
  note: string;
  createdAt: string;
  settledAt: string | null;
  studentName: string | null;
  className: string | null;
  termName: string | null;
}

export interface Refund {
  id: string;
  paymentId: string;
  amountFen: number;
  reason: string;
  status: string;
  externalRef: string | null;
  createdAt: string;
}

export interface ReceiptData {
  receiptNo: string;
  paymentId: string;
  school: { name: string; code: string; address: string; phone: string };
  student: { name: string; studentNo: string; className: string };
  termName: string;
  item: string;
  method: string;
  methodLabel: string;
  amountFen: number;
  amountYuan: string;
  amountCapital: string;
  paidAt: string;
  externalRef: string | null;
  recordedByName: string;
  refunds: Refund[];
  refundedFen: number;
}
