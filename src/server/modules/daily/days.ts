/**
 * Which school day a date is: the term it falls in, the timetable weekday it follows (make-up days
 * follow `as_weekday`), or none (weekend, holiday, outside every term). Dates are Asia/Shanghai.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { AppError } from '../../lib/errors';

import { todayInChina } from '../enrollment/published';

export { todayInChina };

/** Today (Asia/Shanghai) by the app's clock: real time unless a test injected one (AppDeps.clock). */
export const todayOf = (deps: { clock?: () => Date }) => todayInChina(deps.clock ? deps.clock() : new Date());

export interface SchoolDay {
  day: string;
  termId: string | null;
  /** the timetable weekday (1–5), or null when there is no service that day */
  weekday: number | null;
  /** why there is no service */
  reason: 'weekend' | 'holiday' | 'no_term' | null;
  /** the season of the slot times */
  season: 'summer' | 'winter';
}

export const isoWeekday = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

export async function schoolDay(db: Db, schoolId: string, day: string): Promise<SchoolDay> {
  const [t] = await queryRows<{
    id: string;
    winter_from: string | null;
    summer_from: string | null;
    kind: string | null;
    as_weekday: number | null;
  }>(
    db,
    sql`SELECT t.id, t.winter_from::text, t.summer_from::text, d.kind, d.as_weekday
          FROM terms t LEFT JOIN term_days d ON d.school_id = t.school_id AND d.term_id = t.id AND d.day = ${day}::date
         WHERE t.school_id = ${schoolId} AND t.starts_on <= ${day}::date AND t.ends_on >= ${day}::date
         ORDER BY t.starts_on DESC LIMIT 1`,
  );
  const winter = !!t?.winter_from && day >= t.winter_from && !(t.summer_from && day >= t.summer_from);
  const season = winter ? 'winter' : 'summer';
  if (!t) return { day, termId: null, weekday: null, reason: 'no_term', season };
  if (t.kind === 'holiday') return { day, termId: t.id, weekday: null, reason: 'holiday', season };
  if (t.kind === 'makeup' && t.as_weekday) return { day, termId: t.id, weekday: t.as_weekday, reason: null, season };
  const w = isoWeekday(day);
  if (w > 5) return { day, termId: t.id, weekday: null, reason: 'weekend', season };
  return { day, termId: t.id, weekday: w, reason: null, season };
}

/** The staff records of an account in the school (a teacher acts through them). */
export async function staffIdsOf(db: Db, schoolId: string, accountId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM staff WHERE school_id = ${schoolId} AND account_id = ${accountId}`);
  return rows.map((r) => r.id);
}

export const dayClosed = () => new AppError(409, 'DAY_CLOSED', '今日已结束，不能再修改');
