/**
 * Payments and refunds (issue 5): offline receipts (cash, bank transfer, campus card) and online
 * payments through a provider; each succeeded payment or refund is also a ledger transaction.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { schoolId, ts } from './columns';
import { students } from './core';
import { terms } from './plans';

const fen = (name: string) => bigint(name, { mode: 'number' });

export const payments = pgTable(
  'payments',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    studentId: uuid('student_id').notNull(),
    invoiceId: uuid('invoice_id'),
    /** cash | transfer | campus_card | online */
    method: text('method').notNull(),
    amountFen: fen('amount_fen').notNull(),
    /** pending | succeeded | failed | cancelled */
    status: text('status').notNull(),
    /** the provider's or bank's reference, for reconciliation */
    externalRef: text('external_ref'),
    idempotencyKey: text('idempotency_key'),
    receiptNo: text('receipt_no'),
    note: text('note').notNull().default(''),
    recordedBy: uuid('recorded_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    settledAt: ts('settled_at'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('payments_idem_uq').on(t.schoolId, t.idempotencyKey),
    unique('payments_receipt_uq').on(t.schoolId, t.receiptNo),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('payments_student_idx').on(t.schoolId, t.studentId, t.termId),
    check('payments_amount_ck', sql`${t.amountFen} > 0`),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    amountFen: fen('amount_fen').notNull(),
    reason: text('reason').notNull().default(''),
    /** pending | succeeded | failed */
    status: text('status').notNull(),
    externalRef: text('external_ref'),
    recordedBy: uuid('recorded_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.paymentId], foreignColumns: [payments.schoolId, payments.id] }),
    check('refunds_amount_ck', sql`${t.amountFen} > 0`),
  ],
);
