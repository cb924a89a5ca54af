/** Forms the groups of each weekday × slot from the enrolments (before staff and rooms). */
import { gradeBandOf } from '../../../../shared/plans';
import type { EnrolmentIn, Group, GroupingInput, OfferingIn, PupilIn } from './types';

/** Splits `n` items into `k` near-equal consecutive chunks. */
export function chunk<T>(items: T[], max: number): T[][] {
  if (items.length === 0) return [];
  const k = Math.ceil(items.length / max);
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(items.length / k) + (i < items.length % k ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/**
 * Groups per weekday, stable across the week: for each offering, campus and grade band, everyone
 * who comes on any day is ordered (grade, class, number) and given a home group; on each day a
 * group is its home members who come that day. K home groups are as many as the busiest day needs,
 * so a day's group only overflows when attendance is lopsided, and then the overflow moves to the
 * neighbouring group with room (or a new one): R5's limit always holds.
 */
export function formGroups(input: GroupingInput): Group[] {
  const pupils = new Map(input.pupils.map((p) => [p.id, p]));
  const offerings = new Map(input.offerings.map((o) => [o.id, o]));
  // (offering, campus) → weekday → pupils
  const buckets = new Map<string, { offering: OfferingIn; campusId: string; days: Map<number, Map<string, PupilIn>> }>();
  for (const e of input.enrolments) {
    const pupil = pupils.get(e.studentId);
    const offering = offerings.get(e.offeringId);
    if (!pupil || !offering) continue;
    const k = `${offering.id}|${pupil.campusId}`;
    const b = buckets.get(k) ?? { offering, campusId: pupil.campusId, days: new Map() };
    const day = b.days.get(e.weekday) ?? new Map<string, PupilIn>();
    day.set(pupil.id, pupil);
    b.days.set(e.weekday, day);
    buckets.set(k, b);
  }
  const groups: Group[] = [];
  const max = input.settings.maxGroupSize;
  for (const k of [...buckets.keys()].sort()) {
    const b = buckets.get(k) as NonNullable<ReturnType<typeof buckets.get>>;
    const union = new Map<string, PupilIn>();
    for (const day of b.days.values()) for (const [id, p] of day) union.set(id, p);
    const all = [...union.values()].sort((x, y) => x.sortKey.localeCompare(y.sortKey) || x.id.localeCompare(y.id));
    const busiest = Math.max(...[...b.days.values()].map((d) => d.size));
    for (const part of bandParts(b.offering, all, busiest, max)) {
      const dayCounts = [...b.days.values()].map((d) => part.pupils.filter((p) => d.has(p.id)).length);
      const homes = Math.max(1, Math.ceil(Math.max(...dayCounts) / max));
      const home = new Map(part.pupils.map((p, i) => [p.id, Math.floor((i * homes) / part.pupils.length)]));
      for (const weekday of [...b.days.keys()].sort()) {
        const day = b.days.get(weekday) as Map<string, PupilIn>;
        const members: PupilIn[][] = Array.from({ length: homes }, () => []);
        for (const p of part.pupils) if (day.has(p.id)) members[home.get(p.id) as number].push(p);
        rebalance(members, max);
        members.forEach((m, i) => {
          if (m.length === 0) return;
          groups.push({
            key: `${b.offering.slot}:${b.offering.id}:${b.campusId}:${part.band}:${i + 1}`,
            weekday,
            slot: b.offering.slot,
            campusId: b.campusId,
            offeringId: b.offering.id,
            band: part.band,
            index: i + 1,
            studentIds: m.map((p) => p.id),
            teacherStaffId: null,
            providerName: '',
            venueId: null,
          });
        });
      }
    }
  }
  return groups;
}

/** Same grade band together where possible (二): care splits grades 1–2 from 3–6; a club splits
 * into lower and upper grades only when it is too big for one group. */
function bandParts(offering: OfferingIn, all: PupilIn[], busiest: number, max: number) {
  const low = all.filter((p) => gradeBandOf(p.grade) === 'low');
  const high = all.filter((p) => gradeBandOf(p.grade) === 'high');
  const both = low.length > 0 && high.length > 0;
  const split = offering.kind === 'care' ? both : both && busiest > max;
  if (split) {
    return [
      { band: 'low' as const, pupils: low },
      { band: 'high' as const, pupils: high },
    ];
  }
  return [{ band: (low.length === 0 ? 'high' : high.length === 0 ? 'low' : 'mixed') as Group['band'], pupils: all }];
}

/** Moves the overflow of any group past `max` to the nearest group with room, or a new group. */
function rebalance(members: PupilIn[][], max: number) {
  for (let i = 0; i < members.length; i++) {
    while (members[i].length > max) {
      const j = [i + 1, i - 1, ...members.keys()].find((x) => x >= 0 && x < members.length && members[x].length < max);
      if (j === undefined) {
        members.push([]);
        continue;
      }
      // Move from the end next to j, so neighbours in the order stay neighbours.
      const moved = j > i ? (members[i].pop() as PupilIn) : (members[i].shift() as PupilIn);
      if (j > i) members[j].unshift(moved);
      else members[j].push(moved);
    }
  }
}

export const slotKey = (weekday: number, slot: string) => `${weekday}:${slot}`;
export type { EnrolmentIn };
