/**
 * Demo data of the needs survey: school 1's survey for the autumn term is open, and most families
 * of grades 1–3 have answered (deterministic), so the office's demand view is in use on day one.
 * The demo parent (13900000001) has not answered yet: her home shows the survey card.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { CATEGORIES, WEEKDAYS } from '../../../shared/plans';
import { normalizeDays, type SurveyDays } from '../../../shared/survey';
import type { Db } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { type Rng, rng, uuidFrom } from '../../db/demo/random';
import { queryRows } from '../../db/client';
import { surveyAnswers, surveys, terms } from '../../db/schema';

export const DEMO_TERM_NAME = '2026—2027学年第一学期';
export const DEMO_SURVEY_TITLE = '2026—2027学年第一学期课后服务需求调查';
const INTRO =
  '尊敬的家长：为解决孩子放学后无人看管的实际困难，学校将在本学期继续开展课后服务，坚持家长自愿原则。' +
  '请根据家庭实际，为每个孩子选择需要托管的时段和日子（周一至周五可任选一天、多天或全周），并告诉我们孩子的兴趣和平时接孩子的时间。' +
  '本调查只用于学校安排班组和教师，不代表报名。';

const NOTES = ['孩子对花生过敏', '周三由爷爷接', '希望多安排体育活动', '孩子作业较慢，请老师多提醒', '下学期可能转学'];

/** The term the plan's demo creates; made here only when that demo is not there to make it. */
async function demoTerm(tx: Db, schoolId: string, r: Rng): Promise<string> {
  const [t] = await tx
    .select({ id: terms.id })
    .from(terms)
    .where(and(eq(terms.schoolId, schoolId), eq(terms.name, DEMO_TERM_NAME)));
  if (t) return t.id;
  const id = uuidFrom(r);
  await tx
    .insert(terms)
    .values({ schoolId, id, name: DEMO_TERM_NAME, startsOn: '2026-09-01', endsOn: '2027-01-22', winterFrom: '2026-11-01' });
  return id;
}

const subset = (r: Rng, min: number, max: number) => {
  const k = r.int(min, max);
  const pool = [...WEEKDAYS] as number[];
  const out: number[] = [];
  while (out.length < k) out.push(...pool.splice(r.int(0, pool.length - 1), 1));
  return out;
};

/** One family's answer: most want the afternoon, some every day; fewer the noon, late and morning slots. */
export function demoAnswer(r: Rng, grade: number) {
  const days: SurveyDays = {};
  if (r.chance(0.85)) days.afternoon = r.chance(0.55) ? [...WEEKDAYS] : subset(r, 2, 4);
  if (days.afternoon && r.chance(0.22)) days.late = days.afternoon.filter(() => r.chance(0.6));
  if (r.chance(grade <= 2 ? 0.4 : 0.3)) days.noon = r.chance(0.6) ? [...WEEKDAYS] : subset(r, 1, 4);
  if (r.chance(0.08)) days.morning = subset(r, 1, 3);
  const favourites = ['sport', 'arts', 'reading', 'homework', 'science', 'sport', 'arts', 'programming', 'heritage', 'labour'];
  const interests = [...new Set(Array.from({ length: r.int(1, 3) }, () => r.pick(favourites)))].filter((c) =>
    (CATEGORIES as readonly string[]).includes(c),
  );
  const late = (days.late?.length ?? 0) > 0;
  const pickupTime = r.chance(0.9)
    ? late
      ? r.pick(['18:00', '18:10', '18:30'])
      : r.pick(['16:30', '17:00', '17:10', '17:30', '17:40'])
    : null;
  return {
    days: normalizeDays(days),
    interests,
    pickupTime,
    lunch: (days.noon?.length ?? 0) > 0 && r.chance(0.9),
    note: r.chance(0.08) ? r.pick(NOTES) : '',
  };
}

export const surveyDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const r = rng(20260902);
  const schoolId = ctx.schoolIds[0];
  const termId = await demoTerm(tx, schoolId, r);
  const surveyId = uuidFrom(r);
  // Closes on the Friday at least a week ahead, at 18:00 Beijing time.
  const day = new Date(ctx.today.getTime() + 8 * 3_600_000 + 7 * 86_400_000);
  day.setUTCDate(day.getUTCDate() + ((5 - day.getUTCDay() + 7) % 7));
  const closesAt = new Date(`${day.toISOString().slice(0, 10)}T18:00:00+08:00`);
  await tx.insert(surveys).values({ schoolId, id: surveyId, termId, title: DEMO_SURVEY_TITLE, intro: INTRO, status: 'open', closesAt });

  // Each pupil of grades 1–3 with the account of their primary guardian (else any guardian).
  const pupils = await queryRows<{ id: string; grade: number; account_id: string; demo_parent: boolean }>(
    tx,
    sql`SELECT DISTINCT ON (s.student_no) s.id, s.grade, g.account_id,
               EXISTS (SELECT 1 FROM student_guardians x JOIN guardians y ON y.school_id = x.school_id AND y.id = x.guardian_id
                        WHERE x.school_id = s.school_id AND x.student_id = s.id AND y.account_id = ${ctx.accounts.parent}) AS demo_parent
          FROM students s
          JOIN student_guardians sg ON sg.school_id = s.school_id AND sg.student_id = s.id
          JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
         WHERE s.school_id = ${schoolId} AND s.active AND s.grade <= 3 AND g.account_id IS NOT NULL
         ORDER BY s.student_no, sg.is_primary DESC, g.phone`,
  );
  const rows: (typeof surveyAnswers.$inferInsert)[] = [];
  for (const p of pupils) {
    const answers = r.chance(0.85);
    const a = demoAnswer(r, p.grade);
    const hoursAgo = r.int(1, 120);
    if (!answers || p.demo_parent) continue;
    rows.push({
      schoolId,
      surveyId,
      studentId: p.id,
      accountId: p.account_id,
      ...a,
      answeredAt: new Date(ctx.today.getTime() - hoursAgo * 3_600_000),
    });
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insert(surveyAnswers).values(rows.slice(i, i + 500));
};

/** For tests: the demo survey of school 1. */
export async function demoSurveyId(db: Db, schoolId: string): Promise<string | undefined> {
  const [s] = await db
    .select({ id: surveys.id })
    .from(surveys)
    .where(and(eq(surveys.schoolId, schoolId), eq(surveys.title, DEMO_SURVEY_TITLE)))
    .orderBy(asc(surveys.createdAt));
  return s?.id;
}
