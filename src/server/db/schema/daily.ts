/**
 * Every afternoon (issue 4): care groups per term, weekday and slot with their members and duty
 * leaders; the day's attendance (a pupil's day as a state machine: expected → present | late |
 * leave | absent, then relay → released); missing cases; teachers' check-ins; the day's close;
 * idempotency keys of offline-replayable writes.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, jsonb, pgTable, primaryKey, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { staff, students } from './core';
import { offerings, terms } from './plans';
import { schoolId, ts, hotSchoolId } from './columns';

/** A care group on one weekday and slot (编班); `key` is the same on every weekday for the same group. */
export const careGroups = pgTable(
  'care_groups',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    termId: uuid('term_id').notNull(),
    key: text('key').notNull(),
    weekday: smallint('weekday').notNull(),
    slot: text('slot').notNull(),
    campusId: uuid('campus_id').notNull(),
    offeringId: uuid('offering_id').notNull(),
    band: text('band').notNull(),
    idx: smallint('idx').notNull(),
    teacherStaffId: uuid('teacher_staff_id'),
    providerName: text('provider_name').notNull().default(''),
    venueId: uuid('venue_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('care_groups_key_uq').on(t.schoolId, t.termId, t.key, t.weekday),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.offeringId], foreignColumns: [offerings.schoolId, offerings.id] }),
    foreignKey({ columns: [t.schoolId, t.teacherStaffId], foreignColumns: [staff.schoolId, staff.id] }),
    index('care_groups_day_idx').on(t.schoolId, t.termId, t.weekday),
    check('care_groups_weekday_ck', sql`${t.weekday} BETWEEN 1 AND 5`),
  ],
);

export const careGroupMembers = pgTable(
  'care_group_members',
  {
    schoolId: schoolId(),
    groupId: uuid('group_id').notNull(),
    studentId: uuid('student_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.groupId, t.studentId] }),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('care_group_members_student_idx').on(t.schoolId, t.studentId),
  ],
);

/** R5: the day's duty leaders (at least two, one per four groups). */
export const dutyAssignments = pgTable(
  'duty_assignments',
  {
    schoolId: schoolId(),
    termId: uuid('term_id').notNull(),
    weekday: smallint('weekday').notNull(),
    staffId: uuid('staff_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.termId, t.weekday, t.staffId] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
    foreignKey({ columns: [t.schoolId, t.staffId], foreignColumns: [staff.schoolId, staff.id] }),
  ],
);

/** The last generation of a term's groups: what the optimiser reported. */
export const groupingRuns = pgTable(
  'grouping_runs',
  {
    schoolId: schoolId(),
    termId: uuid('term_id').notNull(),
    violations: jsonb('violations').notNull().default(sql`'[]'::jsonb`),
    notes: jsonb('notes').notNull().default(sql`'[]'::jsonb`),
    solver: jsonb('solver').notNull().default(sql`'{}'::jsonb`),
    generatedBy: uuid('generated_by'),
    generatedAt: ts('generated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.termId] }),
    foreignKey({ columns: [t.schoolId, t.termId], foreignColumns: [terms.schoolId, terms.id] }),
  ],
);

/**
 * One row per pupil, group and school day, materialised on first access. `status` is the roll call
 * (expected | present | late | leave | absent); `handover` what became of the pupil (none | relay | released).
 */
export const attendance = pgTable(
  'attendance',
  {
    schoolId: hotSchoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    studentId: uuid('student_id').notNull(),
    status: text('status').notNull().default('expected'),
    markedAt: ts('marked_at'),
    markedBy: uuid('marked_by'),
    handover: text('handover').notNull().default('none'),
    relayAt: ts('relay_at'),
    releasedAt: ts('released_at'),
    /** R7: the authorised adult (pickup_persons.id), or none when the pupil went home alone */
    releasedToPickupId: uuid('released_to_pickup_id'),
    releasedToName: text('released_to_name'),
    releasedAlone: boolean('released_alone').notNull().default(false),
    releasedBy: uuid('released_by'),
    note: text('note').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.day, t.groupId, t.studentId] }),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    check('attendance_status_ck', sql`${t.status} IN ('expected','present','late','leave','absent')`),
    check('attendance_handover_ck', sql`${t.handover} IN ('none','relay','released')`),
    check('attendance_released_ck', sql`${t.handover} <> 'released' OR ${t.status} IN ('present','late')`),
  ],
);

/** R6: a pupil absent without approved leave (无故脱管), followed until someone records the outcome. */
export const missingCases = pgTable(
  'missing_cases',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    studentId: uuid('student_id').notNull(),
    openedAt: ts('opened_at').notNull().defaultNow(),
    openedBy: uuid('opened_by'),
    /** open | resolved */
    status: text('status').notNull().default('open'),
    /** found | guardian_confirmed | other */
    outcome: text('outcome'),
    note: text('note').notNull().default(''),
    resolvedAt: ts('resolved_at'),
    resolvedBy: uuid('resolved_by'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('missing_cases_pupil_uq').on(t.schoolId, t.day, t.groupId, t.studentId),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('missing_cases_open_idx').on(t.schoolId, t.day, t.status),
  ],
);

/** 我已到岗: the teacher is in place for a group today. */
export const teacherCheckins = pgTable(
  'teacher_checkins',
  {
    schoolId: hotSchoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    accountId: uuid('account_id').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.day, t.groupId] }),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
  ],
);

/** R7: the day is closed once every expected pupil is accounted for. */
export const dayClosures = pgTable(
  'day_closures',
  {
    schoolId: schoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    closedAt: ts('closed_at').notNull().defaultNow(),
    closedBy: uuid('closed_by'),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.day] })],
);

/** Writes a client may replay (offline roll call): the key makes the replay a no-op. */
export const dailyWrites = pgTable(
  'daily_writes',
  {
    schoolId: hotSchoolId(),
    key: text('key').notNull(),
    accountId: uuid('account_id').notNull(),
    result: jsonb('result').notNull().default(sql`'{}'::jsonb`),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.key] })],
);
