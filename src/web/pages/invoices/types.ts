import type { Payment } from '../payments/money';

export interface MoneyChild {
  id: string;
  name: string;
  className: string;
  terms: { termId: string; termName: string; dueFen: number; invoices: number }[];
}

export interface Waiver {
  id: string;
  source: string;
  category: string;
  basisPoints: number;
  status: string;
  reason: string;
  decisionNote: string;
  decidedAt: string | null;
  createdAt: string;
}

export interface Bill {
  student: { id: string; name: string };
  term: { id: string; name: string; closed: boolean };
  invoices: {
    id: string;
    number: string;
    periodKey: string;
    status: string;
    totalFen: number;
    dueDate: string | null;
    issuedAt: string;
    lines: { kind: string; description: string; quantity: number; unitFen: number; amountFen: number }[];
  }[];
  dueFen: number;
  paidFen: number;
  refundedFen: number;
  payments: Payment[];
  waivers: Waiver[];
  onlineEnabled: boolean;
}
