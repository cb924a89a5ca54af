/**
 * Demand arithmetic of the needs survey (调查摸底), pure: from the guardians' answers to the pupils
 * per weekday × slot × grade band, and the groups and staff that implies under R5:
 *   - a group has at most `maxGroupSize` pupils (35 in the seed, a plan setting);
 *   - same grade band together (二: 低年级 1–2 and 高年级 3–6), so groups are counted per band;
 *   - one care teacher per group;
 *   - one duty leader per four groups in service at the same time, and two duty leaders on duty
 *     every day that has any group (R5, seed 二 "每天安排两名值班领导").
 * Slots of a day follow one another (morning extension, noon, afternoon, late), so a day needs the
 * staff of its busiest slot at once: its teachers and duty leaders are the peak over its slots,
 * while `teacherSessions` adds the slots up (what the rota has to fill).
 */
import { CATEGORIES, gradeBandOf, SLOTS, type Slot, WEEKDAYS } from './plans';

export type Category = (typeof CATEGORIES)[number];

export const BANDS = ['low', 'high'] as const;
export type Band = (typeof BANDS)[number];

export interface DemandAnswer {
  grade: number;
  days: Partial<Record<Slot, readonly number[]>>;
  lunch: boolean;
  interests: readonly string[];
  pickupTime: string | null;
}

export interface DemandRules {
  /** R5: pupils per group */
  maxGroupSize: number;
  /** R5: one duty leader per this many groups */
  groupsPerDuty: number;
  /** R5: duty leaders on duty on a day with any group */
  minDutyPerDay: number;
}
export const DEFAULT_DEMAND_RULES: DemandRules = { maxGroupSize: 35, groupsPerDuty: 4, minDutyPerDay: 2 };

export interface DemandCell {
  weekday: number;
  slot: Slot;
  band: Band;
  pupils: number;
  groups: number;
}

export interface DemandSlot {
  weekday: number;
  slot: Slot;
  pupils: number;
  /** groups of both bands */
  groups: number;
  teachers: number;
  /** duty leaders this slot alone needs: one per four groups */
  duty: number;
}

export interface DemandDay {
  weekday: number;
  /** distinct pupils in any slot of the day */
  pupils: number;
  /** groups in the busiest slot */
  peakGroups: number;
  /** care teachers at once in the busiest slot (one per group) */
  teachers: number;
  /** group-sessions over the day's slots */
  teacherSessions: number;
  /** duty leaders: one per four groups at the peak, at least two when there is any group */
  duty: number;
  /** lunches: answers with lunch and noon care on this day */
  lunch: number;
}

export interface Demand {
  rules: DemandRules;
  answers: number;
  /** answers that chose no slot on any day */
  noService: number;
  cells: DemandCell[];
  slots: DemandSlot[];
  days: DemandDay[];
  /** answers that want lunch */
  lunch: number;
  interests: Record<Category, number>;
  /** usual pick-up times by half hour ("17:00" = 17:00–17:29), sorted */
  pickupTimes: { time: string; n: number }[];
  week: { groupSessions: number; peakGroups: number; peakTeachers: number; peakDuty: number };
}

/** R5: the fewest groups of at most `max` pupils that hold `n`. */
export function groupsFor(n: number, max: number): number {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('maxGroupSize must be a positive integer');
  return n <= 0 ? 0 : Math.ceil(n / max);
}

/** The sizes of those groups, as even as possible (70 → [35, 35]; 71 → [24, 24, 23]). */
export function groupSizes(n: number, max: number): number[] {
  const g = groupsFor(n, max);
  if (g === 0) return [];
  const base = Math.floor(n / g);
  const extra = n % g;
  return Array.from({ length: g }, (_, i) => base + (i < extra ? 1 : 0));
}

/** R5: duty leaders for a day whose busiest slot has `peakGroups` groups. */
export function dutyFor(peakGroups: number, rules: Pick<DemandRules, 'groupsPerDuty' | 'minDutyPerDay'> = DEFAULT_DEMAND_RULES): number {
  if (peakGroups <= 0) return 0;
  return Math.max(rules.minDutyPerDay, Math.ceil(peakGroups / rules.groupsPerDuty));
}

const key = (weekday: number, slot: Slot, band: Band) => `${weekday}|${slot}|${band}`;

/** Half-hour bucket of an HH:MM time, or null when it is not one. */
export function halfHourOf(time: string | null): string | null {
  const m = time ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time) : null;
  if (!m) return null;
  return `${m[1]}:${Number(m[2]) < 30 ? '00' : '30'}`;
}

export function computeDemand(answers: readonly DemandAnswer[], rules: Partial<DemandRules> = {}): Demand {
  const r: DemandRules = { ...DEFAULT_DEMAND_RULES, ...rules };
  const counts = new Map<string, number>();
  const dayPupils = new Map<number, number>();
  const dayLunch = new Map<number, number>();
  const interests = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const pickup = new Map<string, number>();
  let lunch = 0;
  let noService = 0;

  for (const a of answers) {
    const band = gradeBandOf(a.grade);
    const daysOfAnswer = new Set<number>();
    for (const slot of SLOTS) {
      // A weekday listed twice still counts once; anything but 1–5 is not a school day.
      for (const d of new Set(a.days[slot] ?? [])) {
        if (!(WEEKDAYS as readonly number[]).includes(d)) continue;
        counts.set(key(d, slot, band), (counts.get(key(d, slot, band)) ?? 0) + 1);
        daysOfAnswer.add(d);
      }
    }
    if (daysOfAnswer.size === 0) noService++;
    for (const d of daysOfAnswer) dayPupils.set(d, (dayPupils.get(d) ?? 0) + 1);
    if (a.lunch) {
      lunch++;
      for (const d of new Set(a.days.noon ?? []))
        if ((WEEKDAYS as readonly number[]).includes(d)) dayLunch.set(d, (dayLunch.get(d) ?? 0) + 1);
    }
    for (const c of new Set(a.interests)) if (c in interests) interests[c as Category]++;
    const half = halfHourOf(a.pickupTime);
    if (half) pickup.set(half, (pickup.get(half) ?? 0) + 1);
  }

  const cells: DemandCell[] = [];
  const slots: DemandSlot[] = [];
  const days: DemandDay[] = [];
  for (const weekday of WEEKDAYS) {
    const ofDay: DemandSlot[] = [];
    for (const slot of SLOTS) {
      let pupils = 0;
      let groups = 0;
      for (const band of BANDS) {
        const n = counts.get(key(weekday, slot, band)) ?? 0;
        const g = groupsFor(n, r.maxGroupSize);
        cells.push({ weekday, slot, band, pupils: n, groups: g });
        pupils += n;
        groups += g;
      }
      ofDay.push({ weekday, slot, pupils, groups, teachers: groups, duty: Math.ceil(groups / r.groupsPerDuty) });
    }
    slots.push(...ofDay);
    const peakGroups = Math.max(0, ...ofDay.map((s) => s.groups));
    days.push({
      weekday,
      pupils: dayPupils.get(weekday) ?? 0,
      peakGroups,
      teachers: peakGroups,
      teacherSessions: ofDay.reduce((n, s) => n + s.teachers, 0),
      duty: dutyFor(peakGroups, r),
      lunch: dayLunch.get(weekday) ?? 0,
    });
  }

  return {
    rules: r,
    answers: answers.length,
    noService,
    cells,
    slots,
    days,
    lunch,
    interests,
    pickupTimes: [...pickup.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([time, n]) => ({ time, n })),
    week: {
      groupSessions: slots.reduce((n, s) => n + s.groups, 0),
      peakGroups: Math.max(0, ...days.map((d) => d.peakGroups)),
      peakTeachers: Math.max(0, ...days.map((d) => d.teachers)),
      peakDuty: Math.max(0, ...days.map((d) => d.duty)),
    },
  };
}
