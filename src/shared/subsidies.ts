/**
 * Teachers' subsidies, labour fees (POLICY N15) and the district's subsidy per pupil (R10). Pure
 * functions: the hours a rota gives once check-ins confirm them, a month's statement per person to
 * the fen, the rate range and the R10 cap.
 */
import { z } from 'zod';

/** care: a care group's teacher · duty: the day's duty leader · external: outside staff (labour fee) */
export const SUBSIDY_ROLES = ['care', 'duty', 'external'] as const;
export type SubsidyRole = (typeof SUBSIDY_ROLES)[number];
export type RateUnit = 'hour' | 'session';

export const ROLE_LABELS: Record<SubsidyRole, { zh: string; en: string }> = {
  care: { zh: '托管教师', en: 'Care teacher' },
  duty: { zh: '值班领导', en: 'Duty leader' },
  external: { zh: '校外人员（劳务费）', en: 'External staff (labour fee)' },
};

/** R10: at most 500 yuan per pupil per year; schools marked remote up to 20 % more (600 yuan). */
export const SUBSIDY_CAP_FEN = 50_000;
export const REMOTE_CAP_FEN = 60_000;
export const subsidyCapFen = (remote: boolean) => (remote ? REMOTE_CAP_FEN : SUBSIDY_CAP_FEN);

export interface RateRange {
  minFen: number;
  maxFen: number;
}
export type RateRanges = Record<SubsidyRole, RateRange>;

/** Until the district sets its own: N15's local example (50–60 yuan a lesson) widened to 30–100 yuan. */
export const DEFAULT_RATE_RANGES: RateRanges = {
  care: { minFen: 3_000, maxFen: 10_000 },
  duty: { minFen: 3_000, maxFen: 10_000 },
  external: { minFen: 3_000, maxFen: 20_000 },
};

const rangeSchema = z
  .object({ minFen: z.number().int().min(0).max(1_000_000), maxFen: z.number().int().min(1).max(1_000_000) })
  .strict()
  .refine((r) => r.minFen <= r.maxFen, { message: '下限不能高于上限' });
export const rateRangesSchema = z.object({ care: rangeSchema, duty: rangeSchema, external: rangeSchema }).strict();

/** Reads stored ranges, filling what the district has not set with the defaults. */
export function rangesOf(stored: unknown): RateRanges {
  const s = (stored ?? {}) as Partial<RateRanges>;
  return {
    care: s.care ?? DEFAULT_RATE_RANGES.care,
    duty: s.duty ?? DEFAULT_RATE_RANGES.duty,
    external: s.external ?? DEFAULT_RATE_RANGES.external,
  };
}

export const inRange = (rateFen: number, r: RateRange) => Number.isSafeInteger(rateFen) && rateFen >= r.minFen && rateFen <= r.maxFen;

/** One rota session on a school day: a care group's slot, or a day on duty. */
export interface RotaSession {
  staffId: string;
  date: string;
  role: 'care' | 'duty';
  minutes: number;
  /** the teacher checked in to the group (care) or the day was closed (duty) */
  confirmed: boolean;
  label: string;
}

export interface StatementLine {
  role: SubsidyRole;
  unit: RateUnit;
  sessions: number;
  minutes: number;
  rateFen: number;
  amountFen: number;
}

export interface PersonStatement {
  staffId: string;
  kind: 'subsidy' | 'labour';
  lines: StatementLine[];
  confirmedMinutes: number;
  unconfirmedSessions: number;
  unconfirmed: { date: string; label: string }[];
  amountFen: number;
}

export type Rates = Partial<Record<SubsidyRole, { rateFen: number; unit: RateUnit }>>;

/** Amount of a line to the fen: per hour rounds half up on the minutes; per session is exact. */
export function lineAmount(unit: RateUnit, sessions: number, minutes: number, rateFen: number): number {
  return unit === 'session' ? sessions * rateFen : Math.round((minutes * rateFen) / 60);
}

/**
 * The month's statements per person. Only confirmed sessions are paid; an external person's
 * sessions are priced at the external rate whatever the role (labour fee, not subsidy). A role
 * without a rate yields no line (the office sets rates first; the page says so).
 */
export function personStatements(sessions: readonly RotaSession[], external: ReadonlySet<string>, rates: Rates): PersonStatement[] {
  const byStaff = new Map<string, RotaSession[]>();
  for (const s of sessions) byStaff.set(s.staffId, [...(byStaff.get(s.staffId) ?? []), s]);
  const out: PersonStatement[] = [];
  for (const [staffId, list] of byStaff) {
    const isExternal = external.has(staffId);
    const confirmed = list.filter((s) => s.confirmed);
    const unconfirmed = list.filter((s) => !s.confirmed).map((s) => ({ date: s.date, label: s.label }));
    const perRole = new Map<SubsidyRole, { sessions: number; minutes: number }>();
    for (const s of confirmed) {
      const role: SubsidyRole = isExternal ? 'external' : s.role;
      const acc = perRole.get(role) ?? { sessions: 0, minutes: 0 };
      acc.sessions += 1;
      acc.minutes += s.minutes;
      perRole.set(role, acc);
    }
    const lines: StatementLine[] = [];
    for (const [role, acc] of perRole) {
      const rate = rates[role];
      if (!rate) continue;
      lines.push({
        role,
        unit: rate.unit,
        ...acc,
        rateFen: rate.rateFen,
        amountFen: lineAmount(rate.unit, acc.sessions, acc.minutes, rate.rateFen),
      });
    }
    lines.sort((a, b) => SUBSIDY_ROLES.indexOf(a.role) - SUBSIDY_ROLES.indexOf(b.role));
    out.push({
      staffId,
      kind: isExternal ? 'labour' : 'subsidy',
      lines,
      confirmedMinutes: confirmed.reduce((n, s) => n + s.minutes, 0),
      unconfirmedSessions: unconfirmed.length,
      unconfirmed: unconfirmed.sort((a, b) => a.date.localeCompare(b.date)),
      amountFen: lines.reduce((n, l) => n + l.amountFen, 0),
    });
  }
  return out.sort((a, b) => a.staffId.localeCompare(b.staffId));
}

/** Minutes between two "HH:MM[:SS]" times. */
export function minutesBetween(start: string, end: string): number {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return Math.max(0, m(end) - m(start));
}

/** The budget of a school: rate per pupil per year × enrolled pupils; a term's share is half, rounded down. */
export const annualBudgetFen = (ratePerPupilFen: number, pupils: number) => ratePerPupilFen * pupils;
export const termShareFen = (ratePerPupilFen: number, pupils: number) => Math.floor((ratePerPupilFen * pupils) / 2);

export const rateInputSchema = z
  .object({
    role: z.enum(SUBSIDY_ROLES),
    unit: z.enum(['hour', 'session']).default('hour'),
    /** whole fen */
    rateFen: z.number().int().min(1).max(1_000_000),
  })
  .strict()
  .refine((r) => r.role === 'external' || r.unit === 'hour', { message: '教师补贴按小时计', path: ['unit'] });
