/** The checks every application and seat request passes (bad input → 4xx {code, message}). */
import { and, eq, sql } from 'drizzle-orm';
import type { ChoiceInput, EnrollmentSettings } from '../../../shared/enrollment';
import { WEEKDAY_LABELS } from '../../../shared/plans';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { offerings, students } from '../../db/schema';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { consentRequired } from '../auth/service';
import { familyScope } from '../roster/scope';
import type { PublishedOffering, PublishedPlan, TermRow } from './published';
import { windowState } from './published';

export async function requireConsent(db: Db, actor: Actor) {
  if (await consentRequired(db, actor)) throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
}

export interface Child {
  id: string;
  name: string;
  grade: number;
  classId: string;
}

/** The guardian's own child (another's, or another school's, answers 404). */
export async function ownChild(db: Db, actor: Actor, studentId: string): Promise<Child> {
  const [c] = await db
    .select({ id: students.id, name: students.name, grade: students.grade, classId: students.classId })
    .from(students)
    .where(and(familyScope(actor), eq(students.id, studentId), eq(students.active, true)));
  if (!c) throw notFound('孩子');
  return c;
}

export function requirePublished(plan: PublishedPlan | null): PublishedPlan {
  if (!plan) throw new AppError(409, 'PLAN_NOT_PUBLISHED', '本学期的课后服务方案尚未公示，暂不能报名');
  return plan;
}

export function requireWindow(term: TermRow, now = new Date()) {
  const w = windowState(term, now);
  if (w === 'not_yet') throw new AppError(409, 'WINDOW_CLOSED', '报名尚未开始');
  if (w === 'closed') throw new AppError(409, 'WINDOW_CLOSED', '报名时间已结束，如需变更请联系学校课后服务办公室');
}

/** Which agreement kinds are signed for the pupil and term. */
export async function signedKinds(db: Db, schoolId: string, termId: string, studentId: string): Promise<Set<string>> {
  const rows = await queryRows<{ kind: string }>(
    db,
    sql`SELECT DISTINCT t.kind FROM agreement_signatures s
          JOIN agreement_texts t ON t.school_id = s.school_id AND t.id = s.text_id
         WHERE s.school_id = ${schoolId} AND s.term_id = ${termId} AND s.student_id = ${studentId}`,
  );
  return new Set(rows.map((r) => r.kind));
}

/** R1: both agreements signed for this pupil and term. */
export async function requireAgreements(db: Db, schoolId: string, termId: string, studentId: string) {
  const kinds = await signedKinds(db, schoolId, termId, studentId);
  if (!kinds.has('service') || !kinds.has('safety')) {
    throw new AppError(409, 'AGREEMENT_REQUIRED', '请先阅读并签署《课后服务协议》和《安全责任协议》');
  }
}

/** An offering of the published plan; another school's answers 404, one of this school not published 409. */
export async function publishedOffering(db: Db, schoolId: string, plan: PublishedPlan, offeringId: string): Promise<PublishedOffering> {
  const o = plan.offerings.find((x) => x.id === offeringId);
  if (o) return o;
  const [own] = await db
    .select({ id: offerings.id })
    .from(offerings)
    .where(and(eq(offerings.schoolId, schoolId), eq(offerings.id, offeringId)));
  if (!own) throw notFound('服务项目');
  throw new AppError(409, 'OFFERING_NOT_PUBLISHED', '这个项目不在已公示的方案中，不能报名');
}

export function checkEligible(o: PublishedOffering, grade: number, weekday: number) {
  if (!o.weekdays.includes(weekday)) {
    throw badRequest('WEEKDAY_NOT_OFFERED', `「${o.name}」${WEEKDAY_LABELS[weekday] ?? ''}不开设`);
  }
  if (grade < o.gradeMin || grade > o.gradeMax) {
    throw badRequest('GRADE_NOT_ELIGIBLE', `「${o.name}」只面向${o.gradeMin}至${o.gradeMax}年级`);
  }
}

/** Validates the choices of an application against the published plan and normalises ranks. */
export async function checkChoices(db: Db, schoolId: string, plan: PublishedPlan, child: Child, choices: ChoiceInput[]) {
  const seen = new Set<string>();
  const out: (ChoiceInput & { offering: PublishedOffering })[] = [];
  for (const c of choices) {
    const key = `${c.offeringId}:${c.weekday}`;
    if (seen.has(key)) throw badRequest('DUPLICATE_CHOICE', '同一项目同一天只能选择一次');
    seen.add(key);
    const o = await publishedOffering(db, schoolId, plan, c.offeringId);
    checkEligible(o, child.grade, c.weekday);
    out.push({ ...c, rank: o.allocation === 'ranked' ? c.rank : 1, offering: o });
  }
  // Ranked choice: one rank per offering, and no two offerings with the same rank on a day.
  const rankOf = new Map<string, number>();
  const dayRanks = new Set<string>();
  for (const c of out.filter((x) => x.offering.allocation === 'ranked')) {
    const r = rankOf.get(c.offeringId);
    if (r !== undefined && r !== c.rank) throw badRequest('RANK_INVALID', `「${c.offering.name}」的志愿顺序在各天应相同`);
    rankOf.set(c.offeringId, c.rank);
    const dk = `${c.weekday}:${c.rank}`;
    if (dayRanks.has(dk)) throw badRequest('RANK_INVALID', '同一天的两个志愿不能排在同一位次');
    dayRanks.add(dk);
  }
  return out;
}

export function checkFamilyFields(
  input: { goHomeAlone: boolean; priorityCategory: string | null; priorityNote: string },
  child: Child,
  settings: EnrollmentSettings,
) {
  if (input.goHomeAlone && child.grade < settings.goHomeAloneMinGrade) {
    throw badRequest('GO_HOME_ALONE_NOT_ALLOWED', `${settings.goHomeAloneMinGrade}年级以下的学生不能独自离校，须由授权接送人接走`);
  }
  if (input.priorityCategory && input.priorityNote.trim().length < 2) {
    throw badRequest('PRIORITY_NOTE_REQUIRED', '申请优先录取时请简要说明情况，学校将核实');
  }
}
