/**
 * Lunch (issue 5, POLICY R9/N21): the caterer's contract, the published weekly menu, monthly lunch
 * statements per pupil (meals × price, posted as receivable.lunch / payable.caterer and settled apart
 * from service fees), the parent committee that may read the lunch accounts, and the log of school
 * leaders eating with pupils (陪餐).
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { fen, schoolId, ts } from './columns';
import { guardians, staff, students } from './core';
import { terms } from './plans';

/** The caterer's contract; the one whose dates cover a day prices that day's meals. */
export const lunchContracts = pgTable(
  'lunch_contracts',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    catererName: text('caterer_name').notNull(),
    licenceNo: text('licence_no').notNull(),
    priceFen: integer('price_fen').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    /** where the signed contract is kept (file number or document reference) */
    fileRef: text('file_ref').notNull().default(''),
    /** the contract's late-cancellation term: an absence without leave still pays the meal */
    chargeAbsent: boolean('charge_absent').notNull().default(false),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    check('lunch_contracts_price_ck', sql`${t.priceFen} > 0`),
    check('lunch_contracts_dates_ck', sql`${t.validFrom} <= ${t.validTo}`),
  ],
);

/** The menu of one week (Monday's date): days [{ weekday, dishes[] }]; guardians see published weeks. */
export const lunchMenus = pgTable(
  'lunch_menus',
  {
    schoolId: schoolId(),
    weekStart: date('week_start', { mode: 'string' }).notNull(),
    days: jsonb('days').notNull().default(sql`'[]'::jsonb`),
    published: boolean('published').notNull().default(false),
    updatedBy: uuid('updated_by'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.weekStart] })],
);

/** A month's lunch statement of one term (the caterer's bill): posted once, then read-only. */
export const lunchStatements = pgTable(
  'lunch_statements',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    /** YYYY-MM */
    month: text('month').notNull(),
    contractId: uuid('contract_id').notNull(),
    priceFen: integer('price_fen').notNull(),
    meals: integer('meals').notNull(),
    amountFen: fen('amount_fen').notNull(),
    pupils: integer('pupils').notNull(),
    txnId: uuid('txn_id'),
    /** the caterer was paid (payable.caterer / cash.offline) */
    paidTxnId: uuid('paid_txn_id'),
    paidAt: ts('paid_at'),
    postedBy: uuid('posted_by'),
    postedAt: ts('posted_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('lunch_statements_month_uq').on(t.schoolId, t.termId, t.month),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.contractId], foreignColumns: [lunchContracts.schoolId, lunchContracts.id] }),
    check('lunch_statements_month_ck', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);

/** One pupil's meals in a statement; `days` are the dates eaten (for the family's view). */
export const lunchStatementLines = pgTable(
  'lunch_statement_lines',
  {
    schoolId: schoolId(),
    statementId: uuid('statement_id').notNull(),
    studentId: uuid('student_id').notNull(),
    meals: integer('meals').notNull(),
    amountFen: fen('amount_fen').notNull(),
    days: jsonb('days').notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.statementId, t.studentId] }),
    foreignKey({ columns: [t.schoolId, t.statementId], foreignColumns: [lunchStatements.schoolId, lunchStatements.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('lunch_statement_lines_student_idx').on(t.schoolId, t.studentId),
  ],
);

/** Guardians on the parent committee (家委会): they read the aggregate lunch accounts and the menu. */
export const parentCommittee = pgTable(
  'parent_committee',
  {
    schoolId: schoolId(),
    guardianId: uuid('guardian_id').notNull(),
    addedBy: uuid('added_by'),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.guardianId] }),
    foreignKey({ columns: [t.schoolId, t.guardianId], foreignColumns: [guardians.schoolId, guardians.id] }).onDelete('cascade'),
  ],
);

/** N21: a school leader ate with the pupils (陪餐) and noted how it was. */
export const lunchAccompaniments = pgTable(
  'lunch_accompaniments',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    staffId: uuid('staff_id').notNull(),
    notes: text('notes').notNull().default(''),
    /** 1 (poor) … 5 (very good) */
    rating: smallint('rating').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('lunch_accompaniments_day_uq').on(t.schoolId, t.day, t.staffId),
    foreignKey({ columns: [t.schoolId, t.staffId], foreignColumns: [staff.schoolId, staff.id] }),
    check('lunch_accompaniments_rating_ck', sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);
