/**
 * Which pupils an actor may see: scoped list conditions and bulk id checks (the Immich
 * access-repository pattern: give a set of ids, get back the permitted subset).
 *   school_admin, duty  → every pupil of the school (duty needs them for relay care)
 *   homeroom            → pupils of the classes they lead
 *   teacher             → pupils of their campus (the daily module narrows this to their groups)
 *   guardian            → their own children (family routes)
 * Another school's pupil is never in any scope, so it answers 404 like a missing one.
 */
import { type SQL, and, eq, inArray, or, sql } from 'drizzle-orm';
import { type Actor, schoolOf } from '../../auth/actor';
import type { Db } from '../../db/client';
import { students } from '../../db/schema';

export function studentScope(actor: Actor): SQL {
  const schoolId = schoolOf(actor);
  const ofSchool = eq(students.schoolId, schoolId);
  if (actor.roles.includes('school_admin') || actor.roles.includes('duty')) return ofSchool;
  const parts: SQL[] = [];
  if (actor.roles.includes('homeroom')) {
    parts.push(sql`${students.classId} IN (
      SELECT c.id FROM classes c JOIN staff s ON s.school_id = c.school_id AND s.id = c.homeroom_staff_id
       WHERE c.school_id = ${schoolId} AND s.account_id = ${actor.accountId})`);
  }
  if (actor.roles.includes('teacher')) {
    parts.push(sql`EXISTS (SELECT 1 FROM staff s WHERE s.school_id = ${schoolId} AND s.account_id = ${actor.accountId}
       AND s.active AND (s.campus_id IS NULL OR s.campus_id = ${students.campusId}))`);
  }
  if (actor.roles.includes('guardian')) parts.push(guardianChildren(actor));
  if (parts.length === 0) return sql`false`;
  return and(ofSchool, or(...parts)) as SQL;
}

function guardianChildren(actor: Actor): SQL {
  return sql`${students.id} IN (
    SELECT sg.student_id FROM student_guardians sg JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
     WHERE sg.school_id = ${schoolOf(actor)} AND g.account_id = ${actor.accountId})`;
}

/** Only the guardian's own children, whatever other roles the account has in the school. */
export const familyScope = (actor: Actor): SQL => and(eq(students.schoolId, schoolOf(actor)), guardianChildren(actor)) as SQL;

/** The subset of `ids` the actor may see. */
export async function permittedStudentIds(db: Db, actor: Actor, ids: string[], scope = studentScope): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: students.id })
    .from(students)
    .where(and(scope(actor), inArray(students.id, ids)));
  return new Set(rows.map((r) => r.id));
}

/** Editing a pupil's contacts is for the office, and for homeroom teachers in their own class. */
export const canEditContacts = (actor: Actor) => actor.permissions.has('guardian.write');
