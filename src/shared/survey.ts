/**
 * The needs survey (调查摸底): the office's questionnaire for a term and a guardian's answer per
 * child. The questions are standard (seed 一: 《致家长的一封信》): for each slot which weekdays
 * (R2: any subset of Monday–Friday), interests among the offering categories, the usual pick-up
 * time, lunch, and a note.
 */
import { z } from 'zod';
import { CATEGORIES, SLOTS, type Slot, timeString, WEEKDAYS } from './plans';
import { patchOf } from './roster';

export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export const SURVEY_STATUS_LABELS: Record<SurveyStatus, string> = { draft: '草稿', open: '收集中', closed: '已截止' };

const weekday = z.number().int().min(1, '星期只能是周一至周五（1–5）').max(5, '星期只能是周一至周五（1–5）');
const weekdayList = z.array(weekday).max(5, '每个时段最多选 5 天');

/** { afternoon: [1, 2, 3, 4, 5], late: [5] } — unknown slots are refused. */
export const surveyDays = z.strictObject({
  morning: weekdayList.optional(),
  noon: weekdayList.optional(),
  afternoon: weekdayList.optional(),
  late: weekdayList.optional(),
});
export type SurveyDays = Partial<Record<Slot, number[]>>;

export const surveyAnswerInput = z.object({
  days: surveyDays,
  interests: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).default([]),
  /** usual pick-up time (HH:MM, 24 h); null = not said */
  pickupTime: timeString.nullable().default(null),
  /** the child eats the school lunch on the days of noon care */
  lunch: z.boolean().default(false),
  note: z.string().trim().max(500, '备注最多 500 字').default(''),
});
export type SurveyAnswerInput = z.infer<typeof surveyAnswerInput>;

export const surveyInput = z.object({
  termId: z.uuid(),
  title: z.string().trim().min(1, '请填写问卷标题').max(100),
  intro: z.string().trim().max(2000).default(''),
  /** answers are accepted until this moment (null: until the office closes the survey) */
  closesAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export const surveyPatch = patchOf(surveyInput.omit({ termId: true }));

/** Days in slot order, each list sorted, deduplicated, empty slots dropped. */
export function normalizeDays(days: SurveyDays): SurveyDays {
  const out: SurveyDays = {};
  for (const slot of SLOTS) {
    const list = [...new Set(days[slot] ?? [])].filter((d) => (WEEKDAYS as readonly number[]).includes(d)).sort((a, b) => a - b);
    if (list.length > 0) out[slot] = list;
  }
  return out;
}

/** How many weekday × slot choices an answer makes (0: the family needs no service). */
export const choicesOf = (days: SurveyDays) => SLOTS.reduce((n, s) => n + (days[s]?.length ?? 0), 0);
