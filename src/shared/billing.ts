/**
 * Billing rules (issue 5, L1, N13, N14) as pure functions: which days a pupil is enrolled for, what
 * each fee mode charges, what the refund presets credit for missed days, and what a waiver takes off.
 *
 * Every amount is whole fen. A charge is spread over the sessions it pays for ("shares": whole fen
 * that sum to the charge exactly), so a credit for any subset of sessions is whole fen too and can
 * never exceed what was charged. Waivers round down (the family pays the odd fen); credits are taken
 * from the part that was not waived. So for every line: net = charge − waived − credited ≥ 0, exactly.
 */
import { type CalendarException, type CalendarTerm, type SchoolDay, schoolDays } from './calendar';

export const FEE_MODES = ['free', 'per_session', 'per_month', 'per_term'] as const;
export type FeeMode = (typeof FEE_MODES)[number];
export const REFUND_PRESETS = ['by_day', 'half_month', 'none'] as const;
export type RefundPreset = (typeof REFUND_PRESETS)[number];
export const BILLING_MODES = ['term', 'month'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];
export const HARDSHIP_CATEGORIES = ['dibao', 'poor_household', 'disability', 'orphan', 'other'] as const;
export type HardshipCategory = (typeof HARDSHIP_CATEGORIES)[number];
export const FULL_WAIVER_BP = 10_000;

export const FEE_MODE_LABELS: Record<FeeMode, { zh: string; en: string }> = {
  free: { zh: '免费', en: 'Free' },
  per_session: { zh: '按次', en: 'Per session' },
  per_month: { zh: '按月', en: 'Per month' },
  per_term: { zh: '按学期', en: 'Per term' },
};
export const REFUND_PRESET_LABELS: Record<RefundPreset, { zh: string; en: string }> = {
  by_day: { zh: '按天退费', en: 'By day' },
  half_month: { zh: '按半月退费（不足半月不退）', en: 'By half month (nothing under half a month)' },
  none: { zh: '不退费', en: 'No refund' },
};
export const HARDSHIP_LABELS: Record<HardshipCategory, { zh: string; en: string }> = {
  dibao: { zh: '最低生活保障家庭', en: 'Minimum living allowance' },
  poor_household: { zh: '建档立卡贫困户', en: 'Registered poor household' },
  disability: { zh: '残疾儿童', en: 'Disability' },
  orphan: { zh: '孤儿/事实无人抚养', en: 'Orphan' },
  other: { zh: '其他困难', en: 'Other hardship' },
};

export interface EnrolmentSpan {
  /** the timetable weekday 1–5 */
  weekday: number;
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

/**
 * The dates a pupil attends one offering in a term: school days (holidays removed, make-up days
 * counted as the weekday whose timetable they follow) on an enrolled weekday within its effective dates.
 */
export function sessionDates(term: CalendarTerm, exceptions: readonly CalendarException[], spans: readonly EnrolmentSpan[]): string[] {
  return sessionDatesIn(schoolDays(term, exceptions), spans);
}

/** The same from the term's school days computed once (bulk invoicing). */
export function sessionDatesIn(days: readonly Pick<SchoolDay, 'date' | 'weekday'>[], spans: readonly EnrolmentSpan[]): string[] {
  if (spans.length === 0) return [];
  const out: string[] = [];
  for (const d of days) {
    const on = spans.some(
      (s) => s.weekday === d.weekday && (!s.effectiveFrom || s.effectiveFrom <= d.date) && (!s.effectiveTo || d.date <= s.effectiveTo),
    );
    if (on) out.push(d.date);
  }
  return out;
}

/** Splits `total` fen into `n` whole shares summing to it exactly: the first `total mod n` get one fen more. */
export function allocate(total: number, n: number): number[] {
  if (n <= 0) return [];
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

export const monthOf = (date: string) => date.slice(0, 7);
/** The half month a date falls in: 'YYYY-MM-a' (1st–15th) or 'YYYY-MM-b' (16th to the end). */
export const halfOf = (date: string) => `${date.slice(0, 7)}-${Number(date.slice(8, 10)) <= 15 ? 'a' : 'b'}`;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/**
 * The charge of one offering spread over its session dates (date order). per_session: the fee per
 * session; per_month: each month touched costs the fee, spread over that month's sessions; per_term:
 * the fee once, spread over all sessions; free: nothing.
 */
export function sessionShares(mode: FeeMode, feeFen: number, dates: readonly string[]): number[] {
  if (mode === 'free' || feeFen === 0 || dates.length === 0) return dates.map(() => 0);
  if (mode === 'per_session') return dates.map(() => feeFen);
  if (mode === 'per_term') return allocate(feeFen, dates.length);
  const out: number[] = [];
  for (const list of groupBy(dates, monthOf).values()) out.push(...allocate(feeFen, list.length));
  return out;
}

/** Sessions of a period that the preset credits, given the days missed (approved leave, no service). */
export function creditedDates(preset: RefundPreset, dates: readonly string[], missed: ReadonlySet<string>): string[] {
  if (preset === 'none' || missed.size === 0) return [];
  if (preset === 'by_day') return dates.filter((d) => missed.has(d));
  // half_month: a half month counts only when every session of the pupil in it was missed
  const out: string[] = [];
  for (const list of groupBy(dates, halfOf).values()) if (list.every((d) => missed.has(d))) out.push(...list);
  return out;
}

/** The waived part of an amount: rounded down, so a waiver never creates a fen. */
export const waivedFen = (amountFen: number, bp: number) => Math.floor((amountFen * bp) / FULL_WAIVER_BP);

export type LineKind = 'service' | 'club' | 'provider';

export interface OfferingFee {
  offeringId: string;
  name: string;
  /** care → service (托管服务费), club → club (社团活动费), 代收费 → provider */
  lineKind: LineKind;
  feeMode: FeeMode;
  feeFen: number;
  /** every session date of the pupil in the term, in order */
  dates: string[];
}

export interface DesiredLine {
  offeringId: string;
  name: string;
  lineKind: LineKind;
  feeMode: FeeMode;
  sessions: number;
  quantity: number;
  unitFen: number;
  chargeFen: number;
  waivedFen: number;
  creditedFen: number;
  creditedSessions: number;
}

export interface BillInput {
  fees: OfferingFee[];
  mode: BillingMode;
  preset: RefundPreset;
  /** the pupil's approved waiver share (0 = none); 代收费 is never waived by the school */
  waiverBp: number;
  /** per offering id: days missed (approved leave, service cancelled) */
  missed: ReadonlyMap<string, ReadonlySet<string>>;
  /** bill periods up to and including this one (L1: nothing for a later month); 'term' in term mode */
  upTo: string;
}

/** What a pupil owes per period and offering: the desired state the ledger is brought to. */
export function billPupil(input: BillInput): Map<string, DesiredLine[]> {
  const out = new Map<string, DesiredLine[]>();
  for (const fee of input.fees) {
    const shares = sessionShares(fee.feeMode, fee.feeFen, fee.dates);
    const indexed = fee.dates.map((date, i) => ({ date, fen: shares[i] }));
    const periods = input.mode === 'term' ? new Map([['term', indexed]]) : groupBy(indexed, (s) => monthOf(s.date));
    const missed = input.missed.get(fee.offeringId) ?? new Set<string>();
    const bp = fee.lineKind === 'provider' ? 0 : Math.min(Math.max(input.waiverBp, 0), FULL_WAIVER_BP);
    for (const [period, list] of periods) {
      if (input.mode === 'month' && period > input.upTo) continue;
      const charge = list.reduce((a, s) => a + s.fen, 0);
      const credited = new Set(
        creditedDates(
          input.preset,
          list.map((s) => s.date),
          missed,
        ),
      );
      const missedFen = list.filter((s) => credited.has(s.date)).reduce((a, s) => a + s.fen, 0);
      const q = quantityOf(fee, list.length, list, charge);
      const line: DesiredLine = {
        offeringId: fee.offeringId,
        name: fee.name,
        lineKind: fee.lineKind,
        feeMode: fee.feeMode,
        sessions: list.length,
        quantity: q.quantity,
        unitFen: q.unitFen,
        chargeFen: charge,
        waivedFen: waivedFen(charge, bp),
        creditedFen: missedFen - waivedFen(missedFen, bp),
        creditedSessions: credited.size,
      };
      const lines = out.get(period);
      if (lines) lines.push(line);
      else out.set(period, [line]);
    }
  }
  return out;
}

/** A quantity × unit that reads naturally on the bill (and equals the charge). */
function quantityOf(fee: OfferingFee, sessions: number, list: { date: string }[], charge: number) {
  if (fee.feeMode === 'per_session') return { quantity: sessions, unitFen: fee.feeFen };
  if (fee.feeMode === 'per_month') {
    const months = new Set(list.map((s) => monthOf(s.date))).size;
    if (months * fee.feeFen === charge) return { quantity: months, unitFen: fee.feeFen };
  }
  return { quantity: charge === 0 ? 0 : 1, unitFen: charge };
}

export const netOf = (l: Pick<DesiredLine, 'chargeFen' | 'waivedFen' | 'creditedFen'>) => l.chargeFen - l.waivedFen - l.creditedFen;

/** The billing period a date belongs to under a mode. */
export const periodOf = (mode: BillingMode, date: string) => (mode === 'term' ? 'term' : monthOf(date));
