import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk } from './form';
import { checkGrouping, generateGroups, type GroupingInput } from './index';
import { syntheticSchool } from './synthetic';

/** Independent of checkGrouping: the invariants read straight off the result. */
function invariants(input: GroupingInput, r: Awaited<ReturnType<typeof generateGroups>>) {
  const max = input.settings.maxGroupSize;
  for (const g of r.groups) expect(g.studentIds.length).toBeLessThanOrEqual(max);
  const seat = new Map<string, number>();
  for (const g of r.groups)
    for (const s of g.studentIds) seat.set(`${s}|${g.offeringId}|${g.weekday}`, (seat.get(`${s}|${g.offeringId}|${g.weekday}`) ?? 0) + 1);
  const expected = new Set(input.enrolments.map((e) => `${e.studentId}|${e.offeringId}|${e.weekday}`));
  expect(new Set(seat.keys())).toEqual(expected);
  for (const n of seat.values()) expect(n).toBe(1);
  const person = new Set<string>();
  const room = new Set<string>();
  const eligible = new Set(input.staff.filter((s) => s.eligible).map((s) => s.id));
  for (const g of r.groups) {
    if (g.teacherStaffId) {
      expect(eligible.has(g.teacherStaffId)).toBe(true);
      const k = `${g.teacherStaffId}|${g.weekday}|${g.slot}`;
      expect(person.has(k)).toBe(false);
      person.add(k);
    }
    if (g.venueId) {
      const k = `${g.venueId}|${g.weekday}|${g.slot}`;
      expect(room.has(k)).toBe(false);
      room.add(k);
    }
  }
  for (const d of r.duty) {
    expect(eligible.has(d.staffId)).toBe(true);
    expect(person.has(`${d.staffId}|${d.weekday}|afternoon`)).toBe(false);
  }
}

describe('chunk', () => {
  it('splits into the fewest near-equal chunks under the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 400 }), fc.integer({ min: 1, max: 40 }), (xs, max) => {
        const parts = chunk(xs, max);
        expect(parts.flat()).toEqual(xs);
        expect(parts.length).toBe(Math.ceil(xs.length / max));
        for (const p of parts) expect(p.length).toBeLessThanOrEqual(max);
        if (parts.length > 1)
          expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('generateGroups', () => {
  it('never breaks the group limit, never double-books a person or room, places every enrolment once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          pupils: fc.integer({ min: 0, max: 300 }),
          staff: fc.integer({ min: 1, max: 40 }),
          venues: fc.integer({ min: 1, max: 20 }),
          seed: fc.integer({ min: 1, max: 1e6 }),
          maxGroupSize: fc.integer({ min: 5, max: 35 }),
        }),
        async (o) => {
          const input = syntheticSchool(o);
          input.settings = { ...input.settings, maxGroupSize: o.maxGroupSize };
          const r = await generateGroups(input);
          invariants(input, r);
          // Whatever the shortage, the only complaints are shortages, never a broken rule.
          const allowed = new Set(['NO_TEACHER', 'NO_VENUE', 'TOO_FEW_DUTY']);
          for (const v of r.violations) expect(allowed.has(v.code)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('with enough staff and rooms a 600-pupil school has no violation and balanced hours', async () => {
    const input = syntheticSchool({ pupils: 600, staff: 40, venues: 16, seed: 7 });
    const r = await generateGroups(input);
    expect(r.violations).toEqual([]);
    invariants(input, r);
    expect(r.duty.length).toBeGreaterThan(0);
    // Everyone who can teach gets within a few sessions of everyone else.
    expect(r.teacherMinutesSpread).toBeLessThanOrEqual(4 * 120);
  });

  it('keeps a pupil in the same group across weekdays (same peers), in most cases', async () => {
    const input = syntheticSchool({ pupils: 1200, staff: 60, venues: 30, seed: 11 });
    const r = await generateGroups(input);
    const keys = new Map<string, Set<string>>();
    for (const g of r.groups)
      for (const s of g.studentIds) keys.set(`${s}|${g.offeringId}`, (keys.get(`${s}|${g.offeringId}`) ?? new Set()).add(g.key));
    const stable = [...keys.values()].filter((k) => k.size === 1).length;
    expect(stable / keys.size).toBeGreaterThan(0.9);
  });

  it('never assigns a barred or unvetted person, even as a club’s own teacher', async () => {
    const input = syntheticSchool({ pupils: 300, staff: 30, venues: 12, seed: 3 });
    const club = input.offerings.find((o) => o.kind === 'club' && o.teacherStaffId);
    if (!club) throw new Error('synthetic school has a club with a teacher');
    input.staff = input.staff.map((s) => (s.id === club.teacherStaffId ? { ...s, eligible: false } : s));
    const r = await generateGroups(input);
    expect(r.groups.some((g) => g.teacherStaffId === club.teacherStaffId)).toBe(false);
    expect(r.notes.some((n) => n.code === 'TEACHER_NOT_ELIGIBLE')).toBe(true);
  });

  it('the checker finds a manual edit that breaks a rule', async () => {
    const input = syntheticSchool({ pupils: 300, staff: 40, venues: 12, seed: 5 });
    const r = await generateGroups(input);
    const [a, b] = r.groups.filter((g) => g.weekday === 1 && g.slot === 'afternoon' && g.teacherStaffId);
    const edited = r.groups.map((g) =>
      g === b ? { ...g, teacherStaffId: a.teacherStaffId, studentIds: [...g.studentIds, ...a.studentIds] } : g,
    );
    const codes = new Set(checkGrouping(input, edited, r.duty).map((v) => v.code));
    expect(codes.has('TEACHER_DOUBLE_BOOKED')).toBe(true);
    expect(codes.has('PUPIL_PLACED_TWICE')).toBe(true);
  });
});

describe('checkGrouping on manual edits', () => {
  it('reports every edit that breaks a rule: a teacher or room twice in one slot, a pupil twice or nowhere, a group over the limit', async () => {
    const input = syntheticSchool({ pupils: 400, staff: 50, venues: 20, seed: 13 });
    const r = await generateGroups(input);
    expect(checkGrouping(input, r.groups, r.duty)).toEqual([]);
    const codes = (groups: typeof r.groups) => new Set(checkGrouping(input, groups, r.duty).map((v) => v.code));
    // pairs of groups meeting at the same time, each with a teacher, a room and pupils
    const pairs = r.groups.flatMap((a, i) =>
      r.groups
        .slice(i + 1)
        .filter((b) => b.weekday === a.weekday && b.slot === a.slot && a.teacherStaffId && b.teacherStaffId && a.venueId && b.venueId)
        .map((b) => [a, b] as const),
    );
    expect(pairs.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.nat(pairs.length - 1), fc.constantFrom('teacher', 'room', 'copy', 'drop', 'crowd'), (k, edit) => {
        const [a, b] = pairs[k];
        const edited = r.groups.map((g) => {
          if (g !== b) return g;
          if (edit === 'teacher') return { ...g, teacherStaffId: a.teacherStaffId };
          if (edit === 'room') return { ...g, venueId: a.venueId };
          if (edit === 'copy') return { ...g, studentIds: [...g.studentIds, a.studentIds[0]] };
          if (edit === 'drop') return { ...g, studentIds: g.studentIds.slice(1) };
          return { ...g, studentIds: [...g.studentIds, ...Array.from({ length: input.settings.maxGroupSize }, (_, i) => `extra-${i}`)] };
        });
        const expected = {
          teacher: 'TEACHER_DOUBLE_BOOKED',
          room: 'VENUE_DOUBLE_BOOKED',
          copy: 'PUPIL_PLACED_TWICE',
          drop: 'PUPIL_NOT_PLACED',
          crowd: 'GROUP_TOO_LARGE',
        }[edit];
        if (edit === 'copy' && a.studentIds.length === 0) return;
        if (edit === 'drop' && b.studentIds.length === 0) return;
        expect(codes(edited).has(expected as never)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
