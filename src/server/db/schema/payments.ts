/**
 * Payments and refunds (issue 5): offline receipts (cash, bank transfer, campus card) and online
 * payments through a provider; each succeeded payment or refund is also a ledger transaction.
 */
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { fen, schoolId, ts, hotSchoolId } from './columns';
import { students } from './core';
import { terms } from './plans';

export const payments = pgTable(
  'payments',
  {
    schoolId: hotSchoolId(),
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
    /** online: the provider's checkout page for this order (the guardian may come back to it) */
    checkoutUrl: text('checkout_url'),
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
    idempotencyKey: text('idempotency_key'),
    recordedBy: uuid('recorded_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('refunds_idem_uq').on(t.schoolId, t.idempotencyKey),
    index('refunds_payment_idx').on(t.schoolId, t.paymentId),
    foreignKey({ columns: [t.schoolId, t.paymentId], foreignColumns: [payments.schoolId, payments.id] }),
    check('refunds_amount_ck', sql`${t.amountFen} > 0`),
  ],
);

/** The last receipt number issued per school and year: receipts are numbered 2026-000001, … without gaps. */
export const receiptCounters = pgTable(
  'receipt_counters',
  {
    schoolId: schoolId(),
    year: smallint('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.year] })],
);

/** One line of a bank or campus-card statement, imported for reconciliation and matched to a payment. */
export const statementLines = pgTable(
  'statement_lines',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    /** one import (a file or a typed list) */
    batchId: uuid('batch_id').notNull(),
    /** bank | campus_card */
    source: text('source').notNull(),
    lineNo: integer('line_no').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    amountFen: fen('amount_fen').notNull(),
    reference: text('reference').notNull().default(''),
    payer: text('payer').notNull().default(''),
    matchedPaymentId: uuid('matched_payment_id'),
    importedBy: uuid('imported_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    // a payment is matched by one statement line at most
    unique('statement_lines_payment_uq').on(t.schoolId, t.matchedPaymentId),
    foreignKey({ columns: [t.schoolId, t.matchedPaymentId], foreignColumns: [payments.schoolId, payments.id] }),
    index('statement_lines_batch_idx').on(t.schoolId, t.batchId),
    check('statement_lines_amount_ck', sql`${t.amountFen} > 0`),
  ],
);

/** Other spending of service money (materials, …), recorded by the office; each posts expense.* against cash. */
export const expenses = pgTable(
  'expenses',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    /** expense.materials | expense.other */
    account: text('account').notNull(),
    amountFen: fen('amount_fen').notNull(),
    description: text('description').notNull(),
    spentOn: date('spent_on', { mode: 'string' }).notNull(),
    recordedBy: uuid('recorded_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    index('expenses_term_idx').on(t.schoolId, t.termId),
    check('expenses_amount_ck', sql`${t.amountFen} > 0`),
    check('expenses_account_ck', sql`${t.account} IN ('expense.materials', 'expense.other')`),
  ],
);

/** The term's public accounts (收支公示, L3): each publication is a new immutable version. */
export const termAccountReports = pgTable(
  'term_account_reports',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    note: text('note').notNull().default(''),
    publishedBy: uuid('published_by'),
    publishedAt: ts('published_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('term_account_reports_version_uq').on(t.schoolId, t.termId, t.version),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
  ],
);
