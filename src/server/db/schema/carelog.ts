/**
 * The care log of an afternoon (issue 4): patrols of the duty leaders (巡视), the care teacher's
 * activity record per group and day (活动记录), and incidents (injury, illness, conflict) with the
 * emergency flow: who was told, who acknowledged, escalation and the closing outcome. Grade heads
 * (年级组长) are a school-owned mapping grade → staff here, set by the office. No foreign key to
 * care_groups: a term's groups are regenerated (deleted and created again) and the log must outlive
 * them, so each row keeps the group's id and its name at the time (group_label).
 */
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { staff, students } from './core';
import { venues } from './plans';
import { schoolId, ts } from './columns';

/** 巡视: a duty leader's round of a group or a venue, with a note and a rating 1–5. */
export const patrols = pgTable(
  'patrols',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    at: ts('at').notNull().defaultNow(),
    groupId: uuid('group_id'),
    /** the group's name when recorded (groups are regenerated; the log outlives them) */
    groupLabel: text('group_label').notNull().default(''),
    venueId: uuid('venue_id'),
    rating: smallint('rating').notNull(),
    note: text('note').notNull().default(''),
    /** a small JPEG/PNG/WebP data URL (< 200 KB), as pick-up photos */
    photo: text('photo'),
    recordedBy: uuid('recorded_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.venueId], foreignColumns: [venues.schoolId, venues.id] }),
    index('patrols_day_idx').on(t.schoolId, t.day),
    check('patrols_rating_ck', sql`${t.rating} BETWEEN 1 AND 5`),
    check('patrols_target_ck', sql`${t.groupId} IS NOT NULL OR ${t.venueId} IS NOT NULL`),
  ],
);

/** 活动记录: what a group did in a day's session; one per group and day, edited in place. */
export const activities = pgTable(
  'activities',
  {
    schoolId: schoolId(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    /** the group's name when recorded (groups are regenerated; the log outlives them) */
    groupLabel: text('group_label').notNull().default(''),
    /** homework | reading | sports | art | science | club | other */
    category: text('category').notNull(),
    content: text('content').notNull(),
    /** up to three small data URLs */
    photos: jsonb('photos').notNull().default(sql`'[]'::jsonb`),
    recordedBy: uuid('recorded_by').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.day, t.groupId] })],
);

/** An incident in care (伤害、疾病、冲突…), open until closed with an outcome. */
export const incidents = pgTable(
  'incidents',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    groupId: uuid('group_id'),
    /** the group's name when recorded (groups are regenerated; the log outlives them) */
    groupLabel: text('group_label').notNull().default(''),
    /** injury | illness | conflict | other */
    kind: text('kind').notNull(),
    /** minor | serious | critical */
    severity: text('severity').notNull(),
    description: text('description').notNull(),
    actionTaken: text('action_taken').notNull().default(''),
    photo: text('photo'),
    /** open | closed */
    status: text('status').notNull().default('open'),
    outcome: text('outcome'),
    reportedBy: uuid('reported_by').notNull(),
    reportedAt: ts('reported_at').notNull().defaultNow(),
    /** 1 at report; 2 once escalated because nobody in charge acknowledged in time */
    level: smallint('level').notNull().default(1),
    escalatedAt: ts('escalated_at'),
    closedAt: ts('closed_at'),
    closedBy: uuid('closed_by'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('incidents_day_idx').on(t.schoolId, t.day),
    index('incidents_open_idx').on(t.status, t.severity, t.reportedAt),
    check('incidents_kind_ck', sql`${t.kind} IN ('injury','illness','conflict','other')`),
    check('incidents_severity_ck', sql`${t.severity} IN ('minor','serious','critical')`),
    check('incidents_status_ck', sql`${t.status} IN ('open','closed')`),
  ],
);

export const incidentPupils = pgTable(
  'incident_pupils',
  {
    schoolId: schoolId(),
    incidentId: uuid('incident_id').notNull(),
    studentId: uuid('student_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.incidentId, t.studentId] }),
    foreignKey({ columns: [t.schoolId, t.incidentId], foreignColumns: [incidents.schoolId, incidents.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }),
  ],
);

/**
 * Who was told of an incident and in which role (guardian | homeroom | grade_head | manager | leader),
 * at which level, and when they acknowledged. One row per account: the first role wins.
 */
export const incidentRecipients = pgTable(
  'incident_recipients',
  {
    schoolId: schoolId(),
    incidentId: uuid('incident_id').notNull(),
    accountId: uuid('account_id').notNull(),
    role: text('role').notNull(),
    level: smallint('level').notNull().default(1),
    notifiedAt: ts('notified_at').notNull().defaultNow(),
    acknowledgedAt: ts('acknowledged_at'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.incidentId, t.accountId] }),
    foreignKey({ columns: [t.schoolId, t.incidentId], foreignColumns: [incidents.schoolId, incidents.id] }).onDelete('cascade'),
    index('incident_recipients_account_idx').on(t.schoolId, t.accountId),
  ],
);

/** 年级组长: the staff member heading a grade, told of incidents of that grade's pupils. */
export const gradeHeads = pgTable(
  'grade_heads',
  {
    schoolId: schoolId(),
    grade: smallint('grade').notNull(),
    staffId: uuid('staff_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.grade] }),
    foreignKey({ columns: [t.schoolId, t.staffId], foreignColumns: [staff.schoolId, staff.id] }),
    check('grade_heads_grade_ck', sql`${t.grade} BETWEEN 1 AND 6`),
  ],
);
