/**
 * Guardians' applications and agreements, seats per offering and weekday, enrolments with their
 * waitlist, lottery records, and the in-app notifications written in the same transaction as the
 * event they report.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
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
import { accounts, students } from './core';
import { offerings, terms } from './plans';
import { schoolId, ts, hotSchoolId } from './columns';

/** Versioned agreement texts (服务协议, 安全协议); a signature keeps the hash of the text signed. */
export const agreementTexts = pgTable(
  'agreement_texts',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    /** service | safety */
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.id] }), unique('agreement_texts_version_uq').on(t.schoolId, t.kind, t.version)],
);

export const agreementSignatures = pgTable(
  'agreement_signatures',
  {
    schoolId: hotSchoolId(),
    termId: uuid('term_id').notNull(),
    studentId: uuid('student_id').notNull(),
    textId: uuid('text_id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    textHash: text('text_hash').notNull(),
    signedAt: ts('signed_at').notNull().defaultNow(),
    ip: text('ip').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.termId, t.studentId, t.textId] }),
    foreignKey({ columns: [t.schoolId, t.textId], foreignColumns: [agreementTexts.schoolId, agreementTexts.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
  ],
);

/** One application per pupil and term (R1: voluntary, by the guardian). */
export const applications = pgTable(
  'applications',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    studentId: uuid('student_id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** submitted | approved | rejected | withdrawn */
    status: text('status').notNull().default('submitted'),
    /** R14/N3: pickup_hardship | single_parent | migrant | left_behind | hardship (null: none) */
    priorityCategory: text('priority_category'),
    priorityNote: text('priority_note').notNull().default(''),
    lunch: boolean('lunch').notNull().default(false),
    /** P2: the guardian's written permission for an older pupil to leave alone */
    goHomeAlone: boolean('go_home_alone').notNull().default(false),
    reviewComment: text('review_comment').notNull().default(''),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: ts('reviewed_at'),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('applications_student_uq').on(t.schoolId, t.termId, t.studentId),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
  ],
);

/** What the guardian asked for: an offering on a weekday, with a rank where the offering ranks. */
export const applicationChoices = pgTable(
  'application_choices',
  {
    schoolId: hotSchoolId(),
    applicationId: uuid('application_id').notNull(),
    offeringId: uuid('offering_id').notNull(),
    weekday: smallint('weekday').notNull(),
    rank: smallint('rank').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.applicationId, t.offeringId, t.weekday] }),
    foreignKey({ columns: [t.schoolId, t.applicationId], foreignColumns: [applications.schoolId, applications.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }),
    index('application_choices_offering_idx').on(t.schoolId, t.offeringId, t.weekday),
    check('application_choices_weekday_ck', sql`${t.weekday} BETWEEN 1 AND 5`),
  ],
);

/** The seat counter per offering and weekday. The CHECK is the backstop: a seat is never oversold. */
export const offeringSeats = pgTable(
  'offering_seats',
  {
    schoolId: schoolId(),
    offeringId: uuid('offering_id').notNull(),
    weekday: smallint('weekday').notNull(),
    capacity: integer('capacity').notNull(),
    taken: integer('taken').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.offeringId, t.weekday] }),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }).onDelete('cascade'),
    check('offering_seats_taken_ck', sql`${t.taken} >= 0 AND ${t.taken} <= ${t.capacity}`),
  ],
);

/**
 * A pupil's place in an offering on a weekday: enrolled, on the waitlist (ordered by queueKey), offered
 * a freed seat until offerExpiresAt, or withdrawn. Later parts (groups, roll call, fees) read `enrolled`.
 */
export const enrollments = pgTable(
  'enrollments',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    studentId: uuid('student_id').notNull(),
    offeringId: uuid('offering_id').notNull(),
    weekday: smallint('weekday').notNull(),
    /** enrolled | waitlisted | offered | withdrawn | rejected */
    status: text('status').notNull(),
    /** waitlist order: lower first (request time for FCFS, draw order for a lottery) */
    queueKey: doublePrecision('queue_key').notNull(),
    offerExpiresAt: ts('offer_expires_at'),
    effectiveFrom: date('effective_from', { mode: 'string' }),
    effectiveTo: date('effective_to', { mode: 'string' }),
    /** fcfs | ranked | lottery | approval | office */
    source: text('source').notNull(),
    idempotencyKey: text('idempotency_key'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('enrollments_seat_uq').on(t.schoolId, t.offeringId, t.weekday, t.studentId),
    unique('enrollments_idem_uq').on(t.schoolId, t.idempotencyKey),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }),
    index('enrollments_student_idx').on(t.schoolId, t.studentId),
    // with id last, a waitlist position (count of those ahead by (queue_key, id)) is an index-only range scan
    index('enrollments_queue_idx').on(t.schoolId, t.offeringId, t.weekday, t.status, t.queueKey, t.id),
    index('enrollments_offer_idx').on(t.offerExpiresAt).where(sql`status = 'offered'`),
    check('enrollments_weekday_ck', sql`${t.weekday} BETWEEN 1 AND 5`),
  ],
);

/** A lottery's seed, weights and draw, published as an audit record anyone can re-run. */
export const lotteryRuns = pgTable(
  'lottery_runs',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    offeringId: uuid('offering_id').notNull(),
    seed: text('seed').notNull(),
    weights: jsonb('weights').notNull(),
    entrants: integer('entrants').notNull(),
    result: jsonb('result').notNull(),
    runBy: uuid('run_by'),
    runAt: ts('run_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }),
  ],
);

/** In-app notifications, written in the same transaction as the event (never lost). */
export const notifications = pgTable(
  'notifications',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    link: text('link').notNull().default(''),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
    /** delivery through external channels (SMS, WeChat) is tracked here; the app inbox is immediate */
    deliveredAt: ts('delivered_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.id] }), index('notifications_account_idx').on(t.accountId, t.createdAt)],
);

/** The school's enrolment settings (offer deadline, lottery weights, going home alone); defaults in shared/enrollment. */
export const enrollmentSettings = pgTable('enrollment_settings', {
  schoolId: schoolId().primaryKey(),
  settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
