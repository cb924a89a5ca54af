/**
 * The term, its calendar, the school's service plan (服务方案) with slots, venues and offerings,
 * the plan's review by the district (审核备案) and its published versions (公示), and the needs survey.
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
  time,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { campuses, staff } from './core';
import { schoolId, ts, hotSchoolId } from './columns';

export const terms = pgTable(
  'terms',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    /** e.g. 2026—2027学年第一学期 */
    name: text('name').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** first day of the winter schedule (冬令时); days before it follow the summer one */
    winterFrom: date('winter_from', { mode: 'string' }),
    /** first day of the summer schedule in a spring term (null: none) */
    summerFrom: date('summer_from', { mode: 'string' }),
    /** the guardians' application window */
    applyOpensAt: ts('apply_opens_at'),
    applyClosesAt: ts('apply_closes_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('terms_name_uq').on(t.schoolId, t.name),
    check('terms_dates_ck', sql`${t.startsOn} <= ${t.endsOn}`),
  ],
);

/** Exceptions to the Monday–Friday rhythm: holidays, and make-up school days (调休) on a weekend. */
export const termDays = pgTable(
  'term_days',
  {
    schoolId: schoolId(),
    termId: uuid('term_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** holiday: no school, no service · makeup: a school day that follows `asWeekday`'s timetable */
    kind: text('kind').notNull(),
    asWeekday: smallint('as_weekday'),
    note: text('note').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.termId, t.day] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }).onDelete('cascade'),
  ],
);

export const venues = pgTable(
  'venues',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    campusId: uuid('campus_id').notNull(),
    name: text('name').notNull(),
    /** classroom | function | library | playground | multimedia | gym | other */
    kind: text('kind').notNull().default('classroom'),
    capacity: integer('capacity').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('venues_name_uq').on(t.schoolId, t.campusId, t.name),
    foreignKey({ columns: [t.schoolId, t.campusId], foreignColumns: [campuses.schoolId, campuses.id] }),
    check('venues_capacity_ck', sql`${t.capacity} > 0`),
  ],
);

/**
 * One plan per school and term (一校一案). The tables below hold its working state; every
 * submission, filing and publication stores an immutable snapshot in plan_versions.
 */
export const plans = pgTable(
  'plans',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    /** draft → submitted → returned | filed → published; an edit after publication starts version+1 as a draft */
    status: text('status').notNull().default('draft'),
    version: integer('version').notNull().default(1),
    /** 安全措施 */
    safetyMeasures: text('safety_measures').notNull().default(''),
    /** 投诉/举报电话 and channel */
    complaintPhone: text('complaint_phone').notNull().default(''),
    complaintChannel: text('complaint_channel').notNull().default(''),
    /** the legal basis of the fee standard (收费依据), required before any fee (N13) */
    feeBasis: text('fee_basis').notNull().default(''),
    /** rule limits for this plan (latest end, group size…), defaults from the seed and POLICY */
    settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('plans_term_uq').on(t.schoolId, t.termId),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
  ],
);

/** Slot times per season and grade band; the grade 1–2 stagger (错峰) is the `low` band ending earlier. */
export const planSlots = pgTable(
  'plan_slots',
  {
    schoolId: schoolId(),
    planId: uuid('plan_id').notNull(),
    /** morning | noon | afternoon | late */
    slot: text('slot').notNull(),
    /** summer | winter */
    season: text('season').notNull(),
    /** low (grades 1–2) | high (3–6) | all */
    gradeBand: text('grade_band').notNull().default('all'),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.planId, t.slot, t.season, t.gradeBand] }),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [plans.schoolId, plans.id] }).onDelete('cascade'),
    check('plan_slots_time_ck', sql`${t.startTime} < ${t.endTime}`),
  ],
);

export const offerings = pgTable(
  'offerings',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    /** care (普通托管) | club (特长/社团) */
    kind: text('kind').notNull(),
    /** homework | reading | sport | arts | science | labour | heritage | programming | other */
    category: text('category').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    slot: text('slot').notNull(),
    gradeMin: smallint('grade_min').notNull(),
    gradeMax: smallint('grade_max').notNull(),
    /** ISO weekdays 1–5 it runs on */
    weekdays: smallint('weekdays').array().notNull(),
    /** seats per weekday */
    capacity: integer('capacity').notNull(),
    venueId: uuid('venue_id'),
    teacherStaffId: uuid('teacher_staff_id'),
    providerName: text('provider_name').notNull().default(''),
    /** free | per_session | per_month | per_term; amounts in integer fen */
    feeMode: text('fee_mode').notNull().default('free'),
    feeFen: integer('fee_fen').notNull().default(0),
    /** fcfs | ranked | lottery | approval */
    allocation: text('allocation').notNull().default('approval'),
    /** first come first served opens at this moment */
    opensAt: ts('opens_at'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [plans.schoolId, plans.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.venueId], foreignColumns: [venues.schoolId, venues.id] }),
    foreignKey({ columns: [t.schoolId, t.teacherStaffId], foreignColumns: [staff.schoolId, staff.id] }),
    index('offerings_plan_idx').on(t.schoolId, t.planId),
    check('offerings_grades_ck', sql`${t.gradeMin} BETWEEN 1 AND 6 AND ${t.gradeMax} BETWEEN ${t.gradeMin} AND 6`),
    check('offerings_capacity_ck', sql`${t.capacity} > 0`),
    check('offerings_fee_ck', sql`${t.feeFen} >= 0`),
  ],
);

/** An immutable copy of the plan at each step of its review, with the reviewer's words. */
export const planVersions = pgTable(
  'plan_versions',
  {
    schoolId: schoolId(),
    planId: uuid('plan_id').notNull(),
    version: integer('version').notNull(),
    /** submitted | returned | filed | published */
    status: text('status').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    findings: jsonb('findings').notNull().default(sql`'[]'::jsonb`),
    submittedAt: ts('submitted_at'),
    reviewedAt: ts('reviewed_at'),
    reviewerAccountId: uuid('reviewer_account_id'),
    reviewComment: text('review_comment').notNull().default(''),
    publishedAt: ts('published_at'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.planId, t.version] }),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [plans.schoolId, plans.id] }).onDelete('cascade'),
  ],
);

/** The needs survey (调查摸底) for a term: standard questions, one answer per pupil. */
export const surveys = pgTable(
  'surveys',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    title: text('title').notNull(),
    intro: text('intro').notNull().default(''),
    /** draft | open | closed */
    status: text('status').notNull().default('draft'),
    closesAt: ts('closes_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
  ],
);

export const surveyAnswers = pgTable(
  'survey_answers',
  {
    schoolId: hotSchoolId(),
    surveyId: uuid('survey_id').notNull(),
    studentId: uuid('student_id').notNull(),
    accountId: uuid('account_id').notNull(),
    /** { morning: [1,3], afternoon: [1,2,3,4,5], late: [5] } */
    days: jsonb('days').notNull(),
    interests: text('interests').array().notNull().default(sql`'{}'::text[]`),
    /** usual pick-up time, HH:MM */
    pickupTime: text('pickup_time'),
    lunch: boolean('lunch').notNull().default(false),
    note: text('note').notNull().default(''),
    answeredAt: ts('answered_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.surveyId, t.studentId] }),
    foreignKey({ columns: [t.schoolId, t.surveyId], foreignColumns: [surveys.schoolId, surveys.id] }).onDelete('cascade'),
  ],
);
