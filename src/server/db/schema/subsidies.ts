/**
 * Teachers' subsidies and labour fees (POLICY N15) and the district's subsidy per pupil (R10).
 *
 * The district's decisions for a school (its subsidy rate per pupil per year, the range of hourly
 * rates its schools may pay) are stored on the school's own row in `school_funding`, so the table
 * stays school-owned (tenancy rule); the district writes it for each of its schools.
 */
import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { fen, schoolId, ts } from './columns';
import { staff } from './core';
import { terms } from './plans';

/** Set by the district: subsidy per pupil per year (R10 cap checked in the route) and the rate ranges. */
export const schoolFunding = pgTable(
  'school_funding',
  {
    schoolId: schoolId(),
    /** yuan per pupil per year, in fen */
    ratePerPupilFen: integer('rate_per_pupil_fen').notNull().default(0),
    /** { care: {minFen, maxFen}, duty: {...}, external: {...} } per hour or session (shared/subsidies.ts) */
    rateRanges: jsonb('rate_ranges').notNull().default(sql`'{}'::jsonb`),
    updatedBy: uuid('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schoolId] }), check('school_funding_rate_ck', sql`${t.ratePerPupilFen} >= 0`)],
);

/** The school's rate per role: care (per hour), duty (per hour), external (per hour or per session). */
export const subsidyRates = pgTable(
  'subsidy_rates',
  {
    schoolId: schoolId(),
    role: text('role').notNull(),
    /** hour | session */
    unit: text('unit').notNull().default('hour'),
    rateFen: integer('rate_fen').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.role] }),
    check('subsidy_rates_role_ck', sql`${t.role} IN ('care','duty','external')`),
    check('subsidy_rates_unit_ck', sql`${t.unit} IN ('hour','session')`),
    check('subsidy_rates_rate_ck', sql`${t.rateFen} > 0`),
  ],
);

/**
 * One person's month: the confirmed sessions priced at the school's rates (lines), pending until the
 * office approves it (posts expense / payable.staff), then paid (payable.staff / cash.offline).
 */
export const subsidyStatements = pgTable(
  'subsidy_statements',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    month: text('month').notNull(),
    staffId: uuid('staff_id').notNull(),
    /** subsidy (own teachers) | labour (external staff) */
    kind: text('kind').notNull(),
    lines: jsonb('lines').notNull().default(sql`'[]'::jsonb`),
    confirmedMinutes: integer('confirmed_minutes').notNull(),
    unconfirmedSessions: integer('unconfirmed_sessions').notNull(),
    amountFen: fen('amount_fen').notNull(),
    /** pending | approved | paid */
    status: text('status').notNull().default('pending'),
    approvedBy: uuid('approved_by'),
    approvedAt: ts('approved_at'),
    approveTxnId: uuid('approve_txn_id'),
    paidAt: ts('paid_at'),
    paidTxnId: uuid('paid_txn_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('subsidy_statements_person_uq').on(t.schoolId, t.termId, t.month, t.staffId),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.staffId], foreignColumns: [staff.schoolId, staff.id] }),
    check('subsidy_statements_status_ck', sql`${t.status} IN ('pending','approved','paid')`),
    check('subsidy_statements_kind_ck', sql`${t.kind} IN ('subsidy','labour')`),
    check('subsidy_statements_month_ck', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);

/** The district allocated a term's subsidy to the school (income.district_subsidy / receivable.district). */
export const districtAllocations = pgTable(
  'district_allocations',
  {
    schoolId: schoolId(),
    termId: uuid('term_id').notNull(),
    pupils: integer('pupils').notNull(),
    amountFen: fen('amount_fen').notNull(),
    txnId: uuid('txn_id').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.termId] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    check('district_allocations_amount_ck', sql`${t.amountFen} > 0`),
  ],
);
