/**
 * Queries of the needs survey: the survey itself, whose answers an actor may see (surveyScope),
 * the answers and the pupils without one, response rates per class, and the demand they add up to.
 */
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { computeDemand, type Demand } from '../../../shared/demand';
import { planSettingsSchema } from '../../../shared/plans';
import type { SurveyDays } from '../../../shared/survey';
import { type Actor, schoolOf } from '../../auth/actor';
import type { Db } from '../../db/client';
import { accounts, classes, guardians, plans, studentGuardians, students, surveyAnswers, surveys, terms } from '../../db/schema';
import { notFound } from '../../lib/errors';

export type SurveyRow = typeof surveys.$inferSelect;

/** Answers are taken while the survey is open and before its closing time. */
export const accepting = (s: SurveyRow, now = new Date()) => s.status === 'open' && (!s.closesAt || s.closesAt > now);

export async function loadSurvey(db: Db, schoolId: string, id: string): Promise<SurveyRow & { termName: string }> {
  const [row] = await db
    .select({ s: surveys, termName: terms.name })
    .from(surveys)
    .innerJoin(terms, and(eq(terms.schoolId, surveys.schoolId), eq(terms.id, surveys.termId)))
    .where(and(eq(surveys.schoolId, schoolId), eq(surveys.id, id)));
  if (!row) throw notFound('问卷');
  return { ...row.s, termName: row.termName };
}

/**
 * The pupils whose answers an actor may read: the whole school for the office (survey.write),
 * the classes they lead for a homeroom teacher — only those, even when the same account is also a
 * care teacher (studentScope would add the teacher's campus).
 */
export function surveyScope(actor: Actor): SQL {
  const schoolId = schoolOf(actor);
  if (actor.permissions.has('survey.write')) return eq(students.schoolId, schoolId);
  if (actor.roles.includes('homeroom')) {
    return and(
      eq(students.schoolId, schoolId),
      sql`${students.classId} IN (
        SELECT c.id FROM classes c JOIN staff s ON s.school_id = c.school_id AND s.id = c.homeroom_staff_id
         WHERE c.school_id = ${schoolId} AND s.account_id = ${actor.accountId})`,
    ) as SQL;
  }
  return sql`false`;
}

/** The class must be the school's and within the actor's scope (else 404, like a missing one). */
export async function checkClass(db: Db, actor: Actor, classId: string): Promise<void> {
  const [row] = await db
    .select({ id: students.classId })
    .from(students)
    .where(and(surveyScope(actor), eq(students.classId, classId)))
    .limit(1);
  if (row) return;
  // A class of the office's school without pupils is still a class.
  const [c] = actor.permissions.has('survey.write')
    ? await db
        .select({ id: classes.id })
        .from(classes)
        .where(and(eq(classes.schoolId, schoolOf(actor)), eq(classes.id, classId)))
    : [];
  if (!c) throw notFound('班级');
}

export interface PupilAnswer {
  studentId: string;
  name: string;
  studentNo: string;
  grade: number;
  classId: string;
  className: string;
  answer: {
    days: SurveyDays;
    interests: string[];
    pickupTime: string | null;
    lunch: boolean;
    note: string;
    answeredAt: Date;
    answeredBy: string;
  } | null;
}

/** Every active pupil in scope (optionally one class) with their answer or null. */
export async function pupilsWithAnswers(db: Db, actor: Actor, surveyId: string, classId?: string): Promise<PupilAnswer[]> {
  const schoolId = schoolOf(actor);
  const rows = await db
    .select({ s: students, className: classes.name, a: surveyAnswers, answeredBy: accounts.displayName })
    .from(students)
    .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)))
    .leftJoin(
      surveyAnswers,
      and(eq(surveyAnswers.schoolId, students.schoolId), eq(surveyAnswers.surveyId, surveyId), eq(surveyAnswers.studentId, students.id)),
    )
    .leftJoin(accounts, eq(accounts.id, surveyAnswers.accountId))
    .where(
      and(
        surveyScope(actor),
        eq(students.schoolId, schoolId),
        eq(students.active, true),
        classId ? eq(students.classId, classId) : undefined,
      ),
    )
    .orderBy(asc(students.grade), asc(classes.name), asc(students.studentNo));
  return rows.map((r) => ({
    studentId: r.s.id,
    name: r.s.name,
    studentNo: r.s.studentNo,
    grade: r.s.grade,
    classId: r.s.classId,
    className: r.className,
    answer: r.a
      ? {
          days: r.a.days as SurveyDays,
          interests: r.a.interests,
          pickupTime: r.a.pickupTime,
          lunch: r.a.lunch,
          note: r.a.note,
          answeredAt: r.a.answeredAt,
          answeredBy: r.answeredBy ?? '',
        }
      : null,
  }));
}

/** The primary (else any) guardian of each pupil, to call those who have not answered. */
export async function guardianContacts(db: Db, schoolId: string, studentIds: string[]) {
  const out = new Map<string, { name: string; relation: string; phone: string }>();
  if (studentIds.length === 0) return out;
  const rows = await db
    .select({ studentId: studentGuardians.studentId, name: guardians.name, phone: guardians.phone, relation: studentGuardians.relation })
    .from(studentGuardians)
    .innerJoin(guardians, and(eq(guardians.schoolId, studentGuardians.schoolId), eq(guardians.id, studentGuardians.guardianId)))
    .where(and(eq(studentGuardians.schoolId, schoolId), inArray(studentGuardians.studentId, studentIds)))
    .orderBy(sql`${studentGuardians.isPrimary} DESC`, asc(guardians.phone));
  for (const r of rows) if (!out.has(r.studentId)) out.set(r.studentId, { name: r.name, relation: r.relation, phone: r.phone });
  return out;
}

export interface ClassRate {
  classId: string;
  className: string;
  grade: number;
  pupils: number;
  answered: number;
  rate: number;
}

/** Response rate per class, in grade and name order (一(2)班 before 一(11)班). */
export function ratesOf(pupils: PupilAnswer[]): ClassRate[] {
  const byClass = new Map<string, ClassRate>();
  for (const p of pupils) {
    const c = byClass.get(p.classId) ?? { classId: p.classId, className: p.className, grade: p.grade, pupils: 0, answered: 0, rate: 0 };
    c.pupils++;
    if (p.answer) c.answered++;
    byClass.set(p.classId, c);
  }
  const list = [...byClass.values()].sort(
    (a, b) => a.grade - b.grade || a.className.localeCompare(b.className, 'zh-CN', { numeric: true }),
  );
  for (const c of list) c.rate = c.pupils === 0 ? 0 : Math.round((c.answered / c.pupils) * 1000) / 1000;
  return list;
}

/** R5 group size from the term's plan settings (the seed's 35 when there is no plan yet). */
export async function maxGroupSizeFor(db: Db, schoolId: string, termId: string): Promise<number> {
  const [p] = await db
    .select({ settings: plans.settings })
    .from(plans)
    .where(and(eq(plans.schoolId, schoolId), eq(plans.termId, termId)));
  const parsed = planSettingsSchema.safeParse(p?.settings ?? {});
  return parsed.success ? parsed.data.maxGroupSize : 35;
}

export interface DemandView {
  demand: Demand;
  classes: ClassRate[];
  pupils: number;
  answered: number;
}

export async function demandOf(db: Db, actor: Actor, survey: SurveyRow, classId?: string): Promise<DemandView & { rows: PupilAnswer[] }> {
  const rows = await pupilsWithAnswers(db, actor, survey.id, classId);
  const maxGroupSize = await maxGroupSizeFor(db, survey.schoolId, survey.termId);
  const answered = rows.filter((r) => r.answer);
  const demand = computeDemand(
    answered.map((r) => ({
      grade: r.grade,
      days: r.answer?.days ?? {},
      lunch: r.answer?.lunch ?? false,
      interests: r.answer?.interests ?? [],
      pickupTime: r.answer?.pickupTime ?? null,
    })),
    { maxGroupSize },
  );
  return { demand, classes: ratesOf(rows), pupils: rows.length, answered: answered.length, rows };
}
