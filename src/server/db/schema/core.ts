/**
 * The database schema. Tenancy rule (docs/ARCHITECTURE.md): every school-owned table has
 * `school_id`, and its primary key and every unique key include it, so the table can be
 * distributed on `school_id` (Citus) without changing the application. `src/server/db/catalog.test.ts`
 * reads the catalog and fails on a table that breaks this.
 *
 * Reference (not school-owned) tables: districts, schools (the tenant root), accounts, sessions,
 * district_roles, platform_audit_log.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { schoolId, ts, hotSchoolId } from './columns';

const createdAt = () => ts('created_at').notNull().defaultNow();

// ---------- reference tables ----------

export const districts = pgTable('districts', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    phone: text('phone').notNull().default(''),
    remote: boolean('remote').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('schools_district_idx').on(t.districtId)],
);

export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey(),
  username: text('username').unique(),
  phone: text('phone').unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ts('locked_until'),
  locale: text('locale').notNull().default('zh-CN'),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a database leak does not hand out live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    activeSchoolId: uuid('active_school_id'),
    activeDistrictId: uuid('active_district_id'),
    ip: text('ip').notNull().default(''),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

export const districtRoles = pgTable(
  'district_roles',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('district'),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.accountId, t.role] })],
);

/** Logins, district-level actions: events that belong to no single school. */
export const platformAuditLog = pgTable(
  'platform_audit_log',
  {
    id: uuid('id').primaryKey(),
    at: ts('at').notNull().defaultNow(),
    accountId: uuid('account_id'),
    districtId: uuid('district_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull().default(''),
    entityId: text('entity_id').notNull().default(''),
    ip: text('ip').notNull().default(''),
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [index('platform_audit_at_idx').on(t.at)],
);

// ---------- school-owned tables (school_id first in every key) ----------

export const schoolRoles = pgTable(
  'school_roles',
  {
    schoolId: schoolId(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.accountId, t.role] }), index('school_roles_account_idx').on(t.accountId)],
);

export const campuses = pgTable(
  'campuses',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.id] }), unique('campuses_name_uq').on(t.schoolId, t.name)],
);

export const staff = pgTable(
  'staff',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    campusId: uuid('campus_id'),
    name: text('name').notNull(),
    phone: text('phone').notNull().default(''),
    /** own teacher / external (third-party, labour fee) / volunteer (POLICY N15) */
    kind: text('kind').notNull().default('own'),
    /** POLICY N16: clear | pending | barred; a barred or unchecked person never serves */
    vettingStatus: text('vetting_status').notNull().default('pending'),
    vettingCheckedOn: date('vetting_checked_on', { mode: 'string' }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.campusId], foreignColumns: [campuses.schoolId, campuses.id] }),
    index('staff_account_idx').on(t.accountId),
  ],
);

export const classes = pgTable(
  'classes',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    campusId: uuid('campus_id').notNull(),
    grade: smallint('grade').notNull(),
    /** e.g. "三(2)班" */
    name: text('name').notNull(),
    homeroomStaffId: uuid('homeroom_staff_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('classes_name_uq').on(t.schoolId, t.campusId, t.name),
    foreignKey({ columns: [t.schoolId, t.campusId], foreignColumns: [campuses.schoolId, campuses.id] }),
    foreignKey({ columns: [t.schoolId, t.homeroomStaffId], foreignColumns: [staff.schoolId, staff.id] }),
  ],
);

export const students = pgTable(
  'students',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    studentNo: text('student_no').notNull(),
    name: text('name').notNull(),
    gender: text('gender').notNull(),
    grade: smallint('grade').notNull(),
    classId: uuid('class_id').notNull(),
    campusId: uuid('campus_id').notNull(),
    /** R13: the pupil's file has the home address */
    address: text('address').notNull().default(''),
    /** leaving the school keeps the file (retention), hides the pupil from lists */
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('students_no_uq').on(t.schoolId, t.studentNo),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [classes.schoolId, classes.id] }),
    foreignKey({ columns: [t.schoolId, t.campusId], foreignColumns: [campuses.schoolId, campuses.id] }),
    index('students_class_idx').on(t.schoolId, t.classId),
    index('students_name_idx').on(t.schoolId, t.name),
  ],
);

export const guardians = pgTable(
  'guardians',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    unique('guardians_phone_uq').on(t.schoolId, t.phone),
    index('guardians_account_idx').on(t.accountId),
  ],
);

export const studentGuardians = pgTable(
  'student_guardians',
  {
    schoolId: schoolId(),
    studentId: uuid('student_id').notNull(),
    guardianId: uuid('guardian_id').notNull(),
    /** 父亲 | 母亲 | 祖父 … (see shared/roster RELATIONS) */
    relation: text('relation').notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.studentId, t.guardianId] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.schoolId, t.guardianId], foreignColumns: [guardians.schoolId, guardians.id] }).onDelete('cascade'),
    index('student_guardians_guardian_idx').on(t.schoolId, t.guardianId),
  ],
);

export const pickupPersons = pgTable(
  'pickup_persons',
  {
    schoolId: schoolId(),
    id: uuid('id').notNull(),
    studentId: uuid('student_id').notNull(),
    name: text('name').notNull(),
    relation: text('relation').notNull(),
    phone: text('phone').notNull(),
    /** small JPEG/PNG as a data URL; the teacher compares it with the face at the gate (P1) */
    photo: text('photo'),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.studentId], foreignColumns: [students.schoolId, students.id] }).onDelete('cascade'),
    index('pickup_student_idx').on(t.schoolId, t.studentId),
  ],
);

/** POLICY N22: a guardian's separate consent to the data-protection notice, per school and version. */
export const consents = pgTable(
  'consents',
  {
    schoolId: hotSchoolId(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    noticeVersion: text('notice_version').notNull(),
    acceptedAt: ts('accepted_at').notNull().defaultNow(),
    ip: text('ip').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.accountId, t.noticeVersion] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    at: ts('at').notNull().defaultNow(),
    accountId: uuid('account_id'),
    actorName: text('actor_name').notNull().default(''),
    role: text('role').notNull().default(''),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull().default(''),
    ip: text('ip').notNull().default(''),
    detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.id] }), index('audit_school_at_idx').on(t.schoolId, t.at)],
);
