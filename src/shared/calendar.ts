/**
 * A term's service days (POLICY N8: only school days). Monday–Friday from the first to the last day
 * of the term, minus holidays, plus make-up days (调休: a weekend day that follows a weekday's
 * timetable). Dates are calendar dates (YYYY-MM-DD) with no time zone.
 */
import type { Season } from './plans';
import { seasonOn } from './plan-inputs';

export interface CalendarTerm {
  startsOn: string;
  endsOn: string;
  winterFrom: string | null;
  summerFrom: string | null;
}

export interface CalendarException {
  day: string;
  kind: 'holiday' | 'makeup' | string;
  /** the weekday (1–5) whose timetable a make-up day follows */
  asWeekday: number | null;
}

export interface SchoolDay {
  date: string;
  /** ISO weekday of the date itself: 1 = Monday … 7 = Sunday */
  isoWeekday: number;
  /** the timetable it follows (1–5): its own weekday, or the make-up day's asWeekday */
  weekday: number;
  season: Season;
  makeup: boolean;
}

const DAY_MS = 86_400_000;
const toUtc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** 1 = Monday … 7 = Sunday */
export const isoWeekdayOf = (d: string) => ((new Date(toUtc(d)).getUTCDay() + 6) % 7) + 1;
export const addDays = (d: string, n: number) => fromUtc(toUtc(d) + n * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((toUtc(to) - toUtc(from)) / DAY_MS);

/** Every service day of the term in date order. Exceptions outside the term are ignored. */
export function schoolDays(term: CalendarTerm, exceptions: readonly CalendarException[]): SchoolDay[] {
  const byDay = new Map(exceptions.map((e) => [e.day, e]));
  const out: SchoolDay[] = [];
  const n = daysBetween(term.startsOn, term.endsOn);
  for (let i = 0; i <= n; i++) {
    const date = addDays(term.startsOn, i);
    const iso = isoWeekdayOf(date);
    const ex = byDay.get(date);
    if (ex?.kind === 'holiday') continue;
    if (ex?.kind === 'makeup') {
      out.push({ date, isoWeekday: iso, weekday: ex.asWeekday ?? (iso <= 5 ? iso : 1), season: seasonOn(term, date), makeup: true });
      continue;
    }
    if (iso <= 5) out.push({ date, isoWeekday: iso, weekday: iso, season: seasonOn(term, date), makeup: false });
  }
  return out;
}

/** Counts for the editor and the notice: days in total, per season and per timetable weekday. */
export function schoolDaySummary(days: readonly SchoolDay[]) {
  const perWeekday: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  let summer = 0;
  let winter = 0;
  for (const d of days) {
    perWeekday[d.weekday] = (perWeekday[d.weekday] ?? 0) + 1;
    if (d.season === 'summer') summer++;
    else winter++;
  }
  return { total: days.length, summer, winter, perWeekday, makeup: days.filter((d) => d.makeup).length };
}
