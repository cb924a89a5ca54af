/**
 * The family side of the afternoon (issue 4): leave (请假) asked by a guardian or recorded from a
 * phone call; a substitute adult announced for one day (临时接送人); the guardian's pick-up
 * confirmation; the homeroom teacher's hand-over notes (交接); the duty leader's line-up headcount;
 * and the school's settings for all of it (leave cut-off, who approves, the pick-up code secret).
 */
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { campuses, classes, students } from './core';
import { careGroups } from './daily';
import { schoolId, ts, hotSchoolId } from './columns';

/** Per school: leave cut-off and approval (shared/afternoon `afternoonSettingsSchema`), and the pick-up code's HMAC key. */
export const afternoonSettings = pgTable('afternoon_settings', {
  schoolId: schoolId().primaryKey(),
  settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
  /** random 32 bytes (base64url), created on first use; signs the guardians' pick-up codes */
  codeSecret: text('code_secret').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 请假: a date range and slots for a pupil; `source` app (the guardian, before the cut-off) or call (recorded by staff). */
export const leaveRequests = pgTable(
  'leave_requests',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    studentId: uuid('student_id').notNull(),
    fromDay: date('from_day', { mode: 'string' }).notNull(),
    toDay: date('to_day', { mode: 'string' }).notNull(),
    /** slots the leave covers: morning | noon | afternoon | late */
    slots: text('slots').array().notNull(),
    reason: text('reason').notNull().default(''),
    source: text('source').notNull(),
    /** pending | approved | refused | cancelled */
    status: text('status').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note').notNull().default(''),
    cancelledBy: uuid('cancelled_by'),
    cancelledAt: ts('cancelled_at'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('leave_requests_student_idx').on(t.schoolId, t.studentId, t.fromDay),
    index('leave_requests_day_idx').on(t.schoolId, t.status, t.fromDay, t.toDay),
    check('leave_requests_range_ck', sql`${t.fromDay} <= ${t.toDay}`),
    check('leave_requests_source_ck', sql`${t.source} IN ('app','call')`),
    check('leave_requests_status_ck', sql`${t.status} IN ('pending','approved','refused','cancelled')`),
  ],
);

/** 临时接送人: an adult the guardian announced for one day only (P1), with the last four digits of the ID card. */
export const pickupSubstitutes = pgTable(
  'pickup_substitutes',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    studentId: uuid('student_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    relation: text('relation').notNull(),
    photo: text('photo'),
    idLast4: text('id_last4'),
    announcedBy: uuid('announced_by').notNull(),
    announcedAt: ts('announced_at').notNull().defaultNow(),
    cancelledAt: ts('cancelled_at'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('pickup_substitutes_day_idx').on(t.schoolId, t.studentId, t.day),
    check('pickup_substitutes_id_ck', sql`${t.idLast4} IS NULL OR ${t.idLast4} ~ '^[0-9]{3}[0-9Xx]$'`),
  ],
);

/**
 * How a pupil's release happened beyond the attendance row (R7): via the list, a substitute, the
 * guardian's code, or the guardian's tap; and the guardian's one-tap confirmation afterwards.
 */
export const pickupRecords = pgTable(
  'pickup_records',
  {
    schoolId: hotSchoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    studentId: uuid('student_id').notNull(),
    /** list | substitute | code | alone */
    via: text('via').notNull(),
    substituteId: uuid('substitute_id'),
    guardianAccountId: uuid('guardian_account_id'),
    confirmedAt: ts('confirmed_at'),
    confirmedBy: uuid('confirmed_by'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.day, t.groupId, t.studentId] }),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    check('pickup_records_via_ck', sql`${t.via} IN ('list','substitute','code','alone')`),
  ],
);

/** 交接备注: what the homeroom teacher tells the care teacher about a pupil today. */
export const handoverNotes = pgTable(
  'handover_notes',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    studentId: uuid('student_id').notNull(),
    /** medicine | early_pickup | substitute | other */
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    writtenBy: uuid('written_by').notNull(),
    writtenAt: ts('written_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
    index('handover_notes_day_idx').on(t.schoolId, t.day, t.studentId),
    check('handover_notes_kind_ck', sql`${t.kind} IN ('medicine','early_pickup','substitute','other')`),
  ],
);

/** 已移交: the homeroom teacher handed the class's care pupils over today. */
export const classHandovers = pgTable(
  'class_handovers',
  {
    schoolId: schoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    classId: uuid('class_id').notNull(),
    pupils: integer('pupils').notNull(),
    handedBy: uuid('handed_by').notNull(),
    handedAt: ts('handed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.day, t.classId] }),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [classes.schoolId, classes.id] }),
  ],
);

/** 站队清点: the duty leader's line-up count per group (or a whole campus) against the expected number. */
export const headcounts = pgTable(
  'headcounts',
  {
    schoolId: schoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    /** `g:<group id>` or `c:<campus id>`: one count per group or campus and day, the latest kept */
    scope: text('scope').notNull(),
    groupId: uuid('group_id'),
    campusId: uuid('campus_id').notNull(),
    counted: integer('counted').notNull(),
    expected: integer('expected').notNull(),
    note: text('note').notNull().default(''),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.day, t.scope] }),
    foreignKey({ columns: [t.schoolId, t.groupId], foreignColumns: [careGroups.schoolId, careGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.campusId], foreignColumns: [campuses.schoolId, campuses.id] }),
    check('headcounts_counts_ck', sql`${t.counted} >= 0 AND ${t.expected} >= 0`),
  ],
);
