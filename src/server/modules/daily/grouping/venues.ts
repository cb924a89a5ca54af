/**
 * Rooms for groups: a club meets in its own venue; every other group gets, largest first, the
 * smallest free room of its campus that holds it (optimal for "capacity ≥ size" matching), and
 * keeps yesterday's room when it is free and fits.
 */
import type { Group, GroupingInput, Violation } from './types';

export function assignVenues(input: GroupingInput, groups: Group[]): Violation[] {
  const violations: Violation[] = [];
  const offerings = new Map(input.offerings.map((o) => [o.id, o]));
  const venues = new Map(input.venues.map((v) => [v.id, v]));
  const lastVenue = new Map<string, string>();
  const slots = new Map<string, Group[]>();
  for (const g of groups) {
    const k = `${g.weekday}|${g.slot}|${g.campusId}`;
    slots.set(k, [...(slots.get(k) ?? []), g]);
  }
  for (const k of [...slots.keys()].sort()) {
    const gs = slots.get(k) ?? [];
    const campusId = gs[0].campusId;
    const used = new Set<string>();
    const rest: Group[] = [];
    // Clubs first: their venue is part of the plan.
    for (const g of [...gs].sort((a, b) => a.key.localeCompare(b.key))) {
      const own = offerings.get(g.offeringId)?.venueId;
      const v = own ? venues.get(own) : undefined;
      if (v && !used.has(v.id) && v.capacity >= g.studentIds.length && v.campusId === campusId) {
        g.venueId = v.id;
        used.add(v.id);
      } else rest.push(g);
    }
    const rooms = input.venues
      .filter((v) => v.campusId === campusId && !used.has(v.id))
      .sort((a, b) => a.capacity - b.capacity || a.id.localeCompare(b.id));
    for (const g of rest.sort((a, b) => b.studentIds.length - a.studentIds.length || a.key.localeCompare(b.key))) {
      const size = g.studentIds.length;
      const prev = lastVenue.get(g.key);
      let room = prev ? rooms.find((r) => r.id === prev && !used.has(r.id) && r.capacity >= size) : undefined;
      room ??= rooms.find((r) => !used.has(r.id) && r.capacity >= size);
      if (!room) {
        violations.push({
          code: 'NO_VENUE',
          rule: 'R5',
          message: `没有容得下 ${size} 人的空闲场地：${g.key}`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
        continue;
      }
      g.venueId = room.id;
      used.add(room.id);
    }
    for (const g of gs) if (g.venueId) lastVenue.set(g.key, g.venueId);
  }
  return violations;
}
