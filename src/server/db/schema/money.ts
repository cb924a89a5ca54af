/**
 * Money (issue 5): the append-only double-entry ledger in integer fen, term closures, invoices
 * (documents derived from enrolment; what is owed is read from the ledger) and waivers.
 *
 * Two database triggers (migration 0004) back the application: ledger rows can never be updated or
 * deleted, and a transaction's lines must sum to zero when the database transaction commits.
 */
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { fen, schoolId, ts, hotSchoolId } from './columns';
import { districts, students } from './core';
import { offerings, terms } from './plans';

/** One line of a ledger transaction: debit positive, credit negative (shared/ledger.ts for accounts). */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    txnId: uuid('txn_id').notNull(),
    termId: uuid('term_id').notNull(),
    account: text('account').notNull(),
    /** the pupil this line concerns (receivables, credits, waivers); null for school-level lines */
    studentId: uuid('student_id'),
    amountFen: fen('amount_fen').notNull(),
    /** invoice | waiver | credit | payment | refund | subsidy | labour | lunch | district | adjustment */
    kind: text('kind').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id'),
    memo: text('memo').notNull().default(''),
    postedBy: uuid('posted_by'),
    postedAt: ts('posted_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('ledger_entries_txn_idx').on(t.schoolId, t.txnId),
    index('ledger_entries_term_account_idx').on(t.schoolId, t.termId, t.account),
    index('ledger_entries_student_idx').on(t.schoolId, t.studentId, t.termId),
    index('ledger_entries_source_idx').on(t.schoolId, t.sourceType, t.sourceId),
    check('ledger_entries_nonzero_ck', sql`${t.amountFen} <> 0`),
  ],
);

/** A closed term is read-only for money: nothing more is posted to it (checked in ledger/post.ts). */
export const termClosures = pgTable(
  'term_closures',
  {
    schoolId: schoolId(),
    termId: uuid('term_id').notNull(),
    closedBy: uuid('closed_by'),
    closedAt: ts('closed_at').notNull().defaultNow(),
    /** balances per account at closing, for the record */
    summary: jsonb('summary').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.termId] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
  ],
);

/** A pupil's bill for a term (periodKey 'term') or a month ('YYYY-MM'); lines below, money in the ledger. */
export const invoices = pgTable(
  'invoices',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    studentId: uuid('student_id').notNull(),
    periodKey: text('period_key').notNull(),
    /** invoice (first bill of the period) | supplement (more is owed) | credit_note (less is owed) */
    docType: text('doc_type').notNull().default('invoice'),
    /** human number printed on the bill, unique per school */
    number: text('number').notNull(),
    /** issued | void */
    status: text('status').notNull().default('issued'),
    totalFen: fen('total_fen').notNull(),
    dueDate: text('due_date'),
    issuedBy: uuid('issued_by'),
    issuedAt: ts('issued_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('invoices_number_uq').on(t.schoolId, t.number),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('invoices_student_idx').on(t.schoolId, t.studentId, t.termId),
    index('invoices_term_idx').on(t.schoolId, t.termId, t.periodKey),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    schoolId: hotSchoolId(),
    invoiceId: uuid('invoice_id').notNull(),
    idx: smallint('idx').notNull(),
    /** service | club | provider | waiver | credit */
    kind: text('kind').notNull(),
    offeringId: uuid('offering_id'),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitFen: fen('unit_fen').notNull(),
    amountFen: fen('amount_fen').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.invoiceId, t.idx] }),
    foreignKey({ columns: [t.schoolId, t.invoiceId], foreignColumns: [invoices.schoolId, invoices.id] }),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }),
  ],
);

/** N14: a fee waiver, automatic for a registered hardship category or applied for by a guardian. */
export const waivers = pgTable(
  'waivers',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    studentId: uuid('student_id').notNull(),
    /** automatic | application */
    source: text('source').notNull(),
    /** dibao (最低生活保障) | poor_household (建档立卡) | disability | orphan | other */
    category: text('category').notNull(),
    /** share waived in basis points: 10000 = 100 % */
    basisPoints: integer('basis_points').notNull(),
    /** pending | approved | rejected | withdrawn */
    status: text('status').notNull(),
    reason: text('reason').notNull().default(''),
    decisionNote: text('decision_note').notNull().default(''),
    requestedBy: uuid('requested_by'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('waivers_student_idx').on(t.schoolId, t.studentId, t.termId),
    check('waivers_bp_ck', sql`${t.basisPoints} BETWEEN 1 AND 10000`),
  ],
);

/** A school's billing rules (L1): per term or per month, the refund preset, days until due. */
export const billingSettings = pgTable(
  'billing_settings',
  {
    schoolId: schoolId(),
    /** term | month */
    mode: text('mode').notNull().default('term'),
    /** by_day | half_month | none */
    refundPreset: text('refund_preset').notNull().default('by_day'),
    dueDays: integer('due_days').notNull().default(14),
    updatedBy: uuid('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId] }),
    check('billing_settings_mode_ck', sql`${t.mode} IN ('term','month')`),
    check('billing_settings_preset_ck', sql`${t.refundPreset} IN ('by_day','half_month','none')`),
    check('billing_settings_due_ck', sql`${t.dueDays} BETWEEN 0 AND 90`),
  ],
);

/** One invoicing run of a term: progress polled by the office page (done of total pupils). */
export const billingRuns = pgTable(
  'billing_runs',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    /** running | done | failed */
    status: text('status').notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    documents: integer('documents').notNull().default(0),
    /** what was left out and why (offerings not in the published plan …) */
    notes: jsonb('notes').notNull().default(sql`'[]'::jsonb`),
    error: text('error'),
    startedBy: uuid('started_by'),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    index('billing_runs_term_idx').on(t.schoolId, t.termId),
  ],
);

/** Days a service did not run (weather, an exam…): credited per the refund preset. No offering = all. */
export const serviceCancellations = pgTable(
  'service_cancellations',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    offeringId: uuid('offering_id'),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }),
    index('service_cancellations_term_idx').on(t.schoolId, t.termId, t.day),
  ],
);

/** N14: a family's registered hardship (低保, 建档立卡…), verified by the office; waives fees automatically. */
export const hardshipRegistrations = pgTable(
  'hardship_registrations',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    studentId: uuid('student_id').notNull(),
    /** dibao | poor_household | disability | orphan | other */
    category: text('category').notNull(),
    basisPoints: integer('basis_points').notNull().default(10000),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    /** the certificate's number or where it was seen */
    evidence: text('evidence').notNull().default(''),
    /** active | revoked */
    status: text('status').notNull().default('active'),
    verifiedBy: uuid('verified_by'),
    verifiedAt: ts('verified_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('hardship_student_idx').on(t.schoolId, t.studentId),
    check('hardship_bp_ck', sql`${t.basisPoints} BETWEEN 1 AND 10000`),
  ],
);

/** N17 / L2: third-party providers the district approved; 代收费 only for these. A district reference table. */
export const approvedProviders = pgTable(
  'approved_providers',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** 统一社会信用代码 */
    creditCode: text('credit_code').notNull().default(''),
    /** active | removed */
    status: text('status').notNull().default('active'),
    note: text('note').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    removedAt: ts('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.id] }), unique('approved_providers_name_uq').on(t.districtId, t.name)],
);
