/**
 * The term rota (排班表) and shift swaps (R8), as pure functions shared by the server and the web:
 * who is booked where on a date once approved swaps are applied, and whether a change would book
 * somebody twice at the same time. A slot (morning, noon, afternoon, late) is one time span of the
 * day; a duty leader is busy during the afternoon (the same rule as the grouping checker).
 */
import type { SchoolDay } from './calendar';
import type { Season, Slot } from './plans';

export const SWAP_STATUSES = ['requested', 'accepted', 'declined', 'cancelled', 'approved', 'refused'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];
export const SWAP_STATUS_LABELS: Record<SwapStatus, string> = {
  requested: '待同事确认',
  accepted: '同事已同意，待审批',
  declined: '同事已拒绝',
  cancelled: '已撤回',
  approved: '已批准',
  refused: '未批准',
};
/** still waiting for someone: the colleague or the office */
export const OPEN_SWAP: SwapStatus[] = ['requested', 'accepted'];

/** the slot a duty leader's day occupies */
export const DUTY_SLOT: Slot = 'afternoon';

export interface RotaGroup {
  id: string;
  weekday: number;
  slot: Slot;
  band: 'low' | 'high' | 'mixed';
  index: number;
  campusName: string;
  offeringName: string;
  venueName: string | null;
  teacherStaffId: string | null;
  providerName: string;
}

/** One shift that changes hands on a date; `groupId` null: the duty day. */
export interface Leg {
  day: string;
  groupId: string | null;
  fromStaffId: string;
  toStaffId: string;
}

/** One booking of a person on a date: a group's session or the duty day. */
export interface Booking {
  staffId: string;
  slot: Slot;
  groupId: string | null;
}

/**
 * The people booked on a date: the weekday's groups and duty leaders with the date's approved legs
 * applied in the order they were approved (a shift given on twice ends with the last taker).
 */
export function bookingsOn(groups: readonly RotaGroup[], duty: readonly string[], legs: readonly Leg[]): Booking[] {
  const teacher = new Map(groups.map((g) => [g.id, g.teacherStaffId]));
  const leaders = [...duty];
  for (const l of legs) {
    if (l.groupId) {
      if (teacher.has(l.groupId)) teacher.set(l.groupId, l.toStaffId);
      continue;
    }
    const i = leaders.indexOf(l.fromStaffId);
    if (i >= 0) leaders.splice(i, 1);
    if (!leaders.includes(l.toStaffId)) leaders.push(l.toStaffId);
  }
  const out: Booking[] = [];
  for (const g of groups) {
    const t = teacher.get(g.id);
    if (t) out.push({ staffId: t, slot: g.slot, groupId: g.id });
  }
  for (const s of leaders) out.push({ staffId: s, slot: DUTY_SLOT, groupId: null });
  return out;
}

export interface Clash {
  staffId: string;
  slot: Slot;
  /** the two bookings at the same time (group ids; null: duty) */
  groupIds: (string | null)[];
}

/** Everyone booked twice at the same time (the same slot, or a group while on duty). */
export function clashes(bookings: readonly Booking[], only?: ReadonlySet<string>): Clash[] {
  const at = new Map<string, Booking[]>();
  for (const b of bookings) {
    if (only && !only.has(b.staffId)) continue;
    const k = `${b.staffId}|${b.slot}`;
    at.set(k, [...(at.get(k) ?? []), b]);
  }
  const out: Clash[] = [];
  for (const list of at.values())
    if (list.length > 1) out.push({ staffId: list[0].staffId, slot: list[0].slot, groupIds: list.map((b) => b.groupId) });
  return out;
}

export interface SlotTime {
  slot: Slot;
  season: Season;
  /** all | low | high */
  gradeBand: string;
  start: string;
  end: string;
}

/** The slot's times on a date's season for a group's band (a band's own times before 'all'). */
export function slotTime(times: readonly SlotTime[], slot: Slot, season: Season, band: RotaGroup['band']): string {
  const b = band === 'low' ? 'low' : 'high';
  const t =
    times.find((x) => x.slot === slot && x.season === season && x.gradeBand === b) ??
    times.find((x) => x.slot === slot && x.season === season && x.gradeBand === 'all');
  return t ? `${t.start}–${t.end}` : '';
}

export interface RotaEntry {
  groupId: string | null;
  slot: Slot;
  time: string;
  label: string;
  campusName: string;
  venueName: string | null;
  staffId: string | null;
  providerName: string;
  /** an approved swap put this person here on this date */
  swapped: boolean;
}

export interface RotaDay {
  date: string;
  weekday: number;
  season: Season;
  makeup: boolean;
  entries: RotaEntry[];
}

const BAND: Record<RotaGroup['band'], string> = { low: '一二年级', high: '三至六年级', mixed: '混合' };
export const groupLabel = (g: Pick<RotaGroup, 'offeringName' | 'band' | 'index'>) => `${g.offeringName} ${BAND[g.band]} ${g.index}组`;

/**
 * The rota of a range of school days: every group session and duty day with its person after
 * approved swaps. `staffIds` narrows it to one person's shifts (a teacher's own rota).
 */
export function buildRota(input: {
  days: readonly SchoolDay[];
  groups: readonly RotaGroup[];
  duty: ReadonlyMap<number, readonly string[]>;
  legs: readonly Leg[];
  times: readonly SlotTime[];
  staffIds?: ReadonlySet<string>;
}): RotaDay[] {
  const mine = (id: string | null) => !input.staffIds || (!!id && input.staffIds.has(id));
  const byWeekday = new Map<number, RotaGroup[]>();
  for (const g of input.groups) byWeekday.set(g.weekday, [...(byWeekday.get(g.weekday) ?? []), g]);
  const legsOn = new Map<string, Leg[]>();
  for (const l of input.legs) legsOn.set(l.day, [...(legsOn.get(l.day) ?? []), l]);
  const out: RotaDay[] = [];
  for (const d of input.days) {
    const groups = byWeekday.get(d.weekday) ?? [];
    const base = input.duty.get(d.weekday) ?? [];
    const legs = legsOn.get(d.date) ?? [];
    const entries: RotaEntry[] = [];
    const booked = bookingsOn(groups, base, legs);
    for (const g of groups) {
      const b = booked.find((x) => x.groupId === g.id);
      const staffId = b?.staffId ?? null;
      if (!mine(staffId)) continue;
      entries.push({
        groupId: g.id,
        slot: g.slot,
        time: slotTime(input.times, g.slot, d.season, g.band),
        label: groupLabel(g),
        campusName: g.campusName,
        venueName: g.venueName,
        staffId,
        providerName: g.providerName,
        swapped: staffId !== g.teacherStaffId,
      });
    }
    for (const b of booked) {
      if (b.groupId || !mine(b.staffId)) continue;
      entries.push({
        groupId: null,
        slot: DUTY_SLOT,
        time: slotTime(input.times, DUTY_SLOT, d.season, 'high'),
        label: '值班领导',
        campusName: '',
        venueName: null,
        staffId: b.staffId,
        providerName: '',
        swapped: !base.includes(b.staffId),
      });
    }
    if (entries.length || (!input.staffIds && groups.length))
      out.push({ date: d.date, weekday: d.weekday, season: d.season, makeup: d.makeup, entries });
  }
  return out;
}
