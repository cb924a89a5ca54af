/**
 * Shared by the afternoon routes: the school's settings and code secret, the clock, and the
 * relationship checks (a guardian's own child; a pupil of the homeroom teacher's class or, for the
 * office, of the school). Another school's pupil is never found: 404 like a missing one.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type AfternoonSettings, afternoonSettingsSchema } from '../../../shared/afternoon';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { afternoonSettings, students } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { consentRequired } from '../auth/service';
import { todayInChina } from '../daily/days';
import { familyScope } from '../roster/scope';

export const clockOf = (deps: { clock?: () => Date }) => () => (deps.clock ? deps.clock() : new Date());
export const todayAt = (now: Date) => todayInChina(now);

/** The school's leave settings (defaults until the office saves some). Reads only. */
export async function loadSettings(db: Db, schoolId: string): Promise<{ settings: AfternoonSettings; secret: string | null }> {
  const [row] = await db.select().from(afternoonSettings).where(eq(afternoonSettings.schoolId, schoolId));
  const parsed = afternoonSettingsSchema.safeParse(row?.settings ?? {});
  return { settings: parsed.success ? parsed.data : afternoonSettingsSchema.parse({}), secret: row?.codeSecret ?? null };
}

/**
 * The school's pick-up code secret, created on first use (32 random bytes) in one transaction with its
 * audit row; concurrent first uses agree on one secret (ON CONFLICT DO NOTHING, then read).
 */
export async function codeSecret(db: Db, actor: Actor, schoolId: string): Promise<string> {
  const { secret } = await loadSettings(db, schoolId);
  if (secret) return secret;
  await db.transaction(async (tx) => {
    const made = await tx
      .insert(afternoonSettings)
      .values({ schoolId, codeSecret: randomBytes(32).toString('base64url') })
      .onConflictDoNothing()
      .returning({ schoolId: afternoonSettings.schoolId });
    if (made.length) await audit(tx, actor, schoolId, { action: 'pickup_code.secret_created', entity: 'school', entityId: schoolId });
  });
  return (await loadSettings(db, schoolId)).secret as string;
}

export async function requireConsent(db: Db, actor: Actor) {
  if (await consentRequired(db, actor)) throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
}

/** The guardian's own child in the active school (404 otherwise). */
export async function ownChild(db: Db, actor: Actor, studentId: string) {
  await requireConsent(db, actor);
  const [s] = await db
    .select({ id: students.id, name: students.name, classId: students.classId })
    .from(students)
    .where(and(familyScope(actor), eq(students.id, studentId)));
  if (!s) throw notFound('孩子');
  return s;
}

export const isOffice = (actor: Actor) => actor.roles.includes('school_admin');

/** The classes the actor leads as homeroom teacher. */
export async function ledClassIds(db: Db, schoolId: string, accountId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT c.id FROM classes c JOIN staff s ON s.school_id = c.school_id AND s.id = c.homeroom_staff_id
         WHERE c.school_id = ${schoolId} AND s.account_id = ${accountId}`,
  );
  return rows.map((r) => r.id);
}

export interface StaffPupil {
  id: string;
  name: string;
  classId: string;
  homeroomAccount: string | null;
}

/** A pupil the staff member answers for: the office any pupil of the school, a homeroom teacher their class's. */
export async function staffPupil(db: Db, actor: Actor, schoolId: string, studentId: string): Promise<StaffPupil> {
  const [s] = await queryRows<StaffPupil>(
    db,
    sql`SELECT s.id, s.name, s.class_id AS "classId", h.account_id AS "homeroomAccount"
          FROM students s JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          LEFT JOIN staff h ON h.school_id = c.school_id AND h.id = c.homeroom_staff_id
         WHERE s.school_id = ${schoolId} AND s.id = ${studentId}`,
  );
  if (!s) throw notFound('学生');
  if (isOffice(actor) || s.homeroomAccount === actor.accountId) return s;
  // a pupil outside the teacher's class is not theirs to see: the same answer as a missing one
  throw notFound('学生');
}

/** The school's office accounts (leave approval by the office). */
export async function officeAccounts(db: Db, schoolId: string): Promise<string[]> {
  const rows = await queryRows<{ account_id: string }>(
    db,
    sql`SELECT account_id FROM school_roles WHERE school_id = ${schoolId} AND role = 'school_admin'`,
  );
  return rows.map((r) => r.account_id);
}
