/**
 * Lunch (issue 5): who eats on which school day, the month's statement (meals × price, to the fen)
 * and the menu's shape. Pure functions shared by the server, the pages and the tests.
 *
 * A pupil takes the school lunch on a school day when their approved application for the term asked
 * for lunch and they hold an enrolled place on that day's timetable weekday (they stay at school
 * for the service that day). The day's roll call can take the meal away: approved leave always does;
 * an absence without leave does unless the caterer's contract charges late cancellations.
 */
import { z } from 'zod';

export type RollStatus = 'expected' | 'present' | 'late' | 'leave' | 'absent';

export interface LunchDayInput {
  date: string;
  /** timetable weekday 1–5 (make-up days follow another weekday) */
  weekday: number;
}

/** The dates a pupil ate in a set of school days. `roll` holds the day's statuses (one per group). */
export function mealDays(
  days: readonly LunchDayInput[],
  lunchWeekdays: ReadonlySet<number>,
  roll: ReadonlyMap<string, readonly RollStatus[]>,
  chargeAbsent: boolean,
): string[] {
  const out: string[] = [];
  for (const d of days) {
    if (!lunchWeekdays.has(d.weekday)) continue;
    const statuses = roll.get(d.date) ?? [];
    // seen at school in any group that day: the pupil was there for lunch
    const here = statuses.some((s) => s === 'present' || s === 'late');
    if (!here && statuses.includes('leave')) continue;
    if (!here && statuses.includes('absent') && !chargeAbsent) continue;
    out.push(d.date);
  }
  return out;
}

export interface LunchLine {
  studentId: string;
  meals: number;
  amountFen: number;
  days: string[];
}

/** Lines (pupils with at least one meal) and totals; the total is exactly the sum of the lines. */
export function lunchStatement(pupils: readonly { studentId: string; days: readonly string[] }[], priceFen: number) {
  if (!Number.isSafeInteger(priceFen) || priceFen <= 0) throw new Error('price must be whole fen');
  const lines: LunchLine[] = pupils
    .filter((p) => p.days.length > 0)
    .map((p) => ({ studentId: p.studentId, meals: p.days.length, amountFen: p.days.length * priceFen, days: [...p.days] }));
  const meals = lines.reduce((n, l) => n + l.meals, 0);
  return { lines, meals, amountFen: meals * priceFen, pupils: lines.length };
}

/** "2026-10" → first and last date of the month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The Monday of the week a date falls in. */
export function weekStartOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const iso = ((d.getUTCDay() + 6) % 7) + 1;
  return new Date(d.getTime() - (iso - 1) * 86_400_000).toISOString().slice(0, 10);
}

/** Months and dates of this century only: a year like 0000 would reach the database as an invalid date. */
export const monthSchema = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM（2000–2099 年）');
export const dateSchema = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2099-12-31', '日期应在 2000–2099 年之间');

export const menuDaySchema = z
  .object({
    weekday: z.number().int().min(1).max(5),
    dishes: z.array(z.string().trim().min(1).max(40)).min(1).max(12),
  })
  .strict();

export const menuSchema = z
  .object({
    days: z
      .array(menuDaySchema)
      .max(5)
      .refine((ds) => new Set(ds.map((d) => d.weekday)).size === ds.length, '每个星期几只能有一份菜单'),
    published: z.boolean().default(true),
  })
  .strict();
export type MenuInput = z.infer<typeof menuSchema>;

export const contractSchema = z
  .object({
    catererName: z.string().trim().min(1).max(80),
    licenceNo: z.string().trim().min(1).max(60),
    /** whole fen: fractions of a fen are refused */
    priceFen: z.number().int().min(1).max(100_000),
    validFrom: dateSchema,
    validTo: dateSchema,
    fileRef: z.string().trim().max(200).default(''),
    chargeAbsent: z.boolean().default(false),
  })
  .strict()
  .refine((c) => c.validFrom <= c.validTo, { message: '合同结束日期不能早于开始日期', path: ['validTo'] });
export type ContractInput = z.infer<typeof contractSchema>;

export const accompanimentSchema = z
  .object({
    day: dateSchema,
    staffId: z.uuid(),
    notes: z.string().trim().max(500).default(''),
    rating: z.number().int().min(1).max(5),
  })
  .strict();
