import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDemand, type DemandAnswer, dutyFor, groupSizes, groupsFor, halfHourOf } from './demand';
import { CATEGORIES, gradeBandOf, SLOTS, WEEKDAYS } from './plans';

const answer = (grade: number, days: DemandAnswer['days'], extra: Partial<DemandAnswer> = {}): DemandAnswer => ({
  grade,
  days,
  lunch: false,
  interests: [],
  pickupTime: null,
  ...extra,
});

describe('groups and staff (R5)', () => {
  it('groups of at most 35', () => {
    expect(groupsFor(0, 35)).toBe(0);
    expect(groupsFor(1, 35)).toBe(1);
    expect(groupsFor(35, 35)).toBe(1);
    expect(groupsFor(36, 35)).toBe(2);
    expect(groupsFor(70, 35)).toBe(2);
    expect(groupsFor(71, 35)).toBe(3);
    expect(groupSizes(71, 35)).toEqual([24, 24, 23]);
    expect(groupSizes(0, 35)).toEqual([]);
    expect(() => groupsFor(3, 0)).toThrow(RangeError);
  });

  it('one duty leader per four groups, two a day when any group', () => {
    expect(dutyFor(0)).toBe(0);
    expect(dutyFor(1)).toBe(2);
    expect(dutyFor(8)).toBe(2);
    expect(dutyFor(9)).toBe(3);
    expect(dutyFor(16)).toBe(4);
    expect(dutyFor(17)).toBe(5);
  });

  it('half-hour buckets of pick-up times', () => {
    expect(halfHourOf('17:29')).toBe('17:00');
    expect(halfHourOf('17:30')).toBe('17:30');
    expect(halfHourOf('7:30')).toBeNull();
    expect(halfHourOf(null)).toBeNull();
  });
});

describe('computeDemand', () => {
  it('counts per weekday × slot × band, with groups, teachers and duty', () => {
    const answers: DemandAnswer[] = [
      ...Array.from({ length: 40 }, () => answer(1, { afternoon: [1, 2, 3, 4, 5] }, { lunch: true })),
      ...Array.from({ length: 10 }, () =>
        answer(4, { afternoon: [1], late: [1], noon: [1, 2] }, { lunch: true, interests: ['sport', 'sport', 'arts'] }),
      ),
      answer(2, {}, { pickupTime: '17:40' }),
    ];
    const d = computeDemand(answers);
    const cell = (weekday: number, slot: string, band: string) =>
      d.cells.find((c) => c.weekday === weekday && c.slot === slot && c.band === band);
    expect(cell(1, 'afternoon', 'low')).toMatchObject({ pupils: 40, groups: 2 });
    expect(cell(1, 'afternoon', 'high')).toMatchObject({ pupils: 10, groups: 1 });
    expect(cell(2, 'afternoon', 'high')).toMatchObject({ pupils: 0, groups: 0 });
    expect(d.slots.find((s) => s.weekday === 1 && s.slot === 'afternoon')).toMatchObject({ pupils: 50, groups: 3, teachers: 3, duty: 1 });
    expect(d.days[0]).toMatchObject({ weekday: 1, pupils: 50, peakGroups: 3, teachers: 3, teacherSessions: 3 + 1 + 1, duty: 2, lunch: 10 });
    expect(d.days[1]).toMatchObject({ weekday: 2, pupils: 50, peakGroups: 2, duty: 2, lunch: 10 });
    expect(d.answers).toBe(51);
    expect(d.noService).toBe(1);
    expect(d.lunch).toBe(50);
    expect(d.interests.sport).toBe(10);
    expect(d.interests.arts).toBe(10);
    expect(d.pickupTimes).toEqual([{ time: '17:30', n: 1 }]);
    expect(d.week).toEqual({ groupSessions: 3 + 1 + 1 + 1 + 2 * 4, peakGroups: 3, peakTeachers: 3, peakDuty: 2 });
  });

  it('takes the group size from the plan settings', () => {
    const d = computeDemand(
      Array.from({ length: 30 }, () => answer(3, { afternoon: [2] })),
      { maxGroupSize: 25 },
    );
    expect(d.slots.find((s) => s.weekday === 2 && s.slot === 'afternoon')?.groups).toBe(2);
  });

  it('has a row for every weekday × slot × band even with no answers', () => {
    const d = computeDemand([]);
    expect(d.cells).toHaveLength(WEEKDAYS.length * SLOTS.length * 2);
    expect(d.days.every((x) => x.duty === 0 && x.teachers === 0)).toBe(true);
    expect(d.week.peakDuty).toBe(0);
  });
});

// ------------------------------------------------------------------ properties

const days = fc.record(
  {
    morning: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 7 }),
    noon: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 7 }),
    afternoon: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 7 }),
    late: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 7 }),
  },
  { requiredKeys: [] },
);
const anAnswer = fc.record({
  grade: fc.integer({ min: 1, max: 6 }),
  days,
  lunch: fc.boolean(),
  interests: fc.array(fc.constantFrom(...CATEGORIES), { maxLength: 4 }),
  pickupTime: fc.option(fc.constantFrom('16:30', '17:00', '17:45', '18:10'), { nil: null }),
});
// Enough answers in one cell to need several groups.
const answers = fc.array(anAnswer, { maxLength: 300 });
const maxGroupSize = fc.integer({ min: 5, max: 60 });

describe('computeDemand properties', () => {
  it('every answer is counted exactly once per weekday × slot it chose', () => {
    fc.assert(
      fc.property(answers, (as) => {
        const d = computeDemand(as);
        for (const weekday of WEEKDAYS)
          for (const slot of SLOTS) {
            const expected = as.filter((a) => (a.days[slot] ?? []).includes(weekday)).length;
            const counted = d.cells.filter((c) => c.weekday === weekday && c.slot === slot).reduce((n, c) => n + c.pupils, 0);
            expect(counted).toBe(expected);
            for (const band of ['low', 'high'] as const) {
              const inBand = as.filter((a) => gradeBandOf(a.grade) === band && (a.days[slot] ?? []).includes(weekday)).length;
              expect(d.cells.find((c) => c.weekday === weekday && c.slot === slot && c.band === band)?.pupils).toBe(inBand);
            }
          }
      }),
    );
  });

  it('groups never exceed the maximum size, and are the fewest that do', () => {
    fc.assert(
      fc.property(answers, maxGroupSize, (as, max) => {
        const d = computeDemand(as, { maxGroupSize: max });
        for (const c of d.cells) {
          const sizes = groupSizes(c.pupils, max);
          expect(sizes).toHaveLength(c.groups);
          expect(sizes.reduce((n, s) => n + s, 0)).toBe(c.pupils);
          expect(sizes.every((s) => s >= 1 && s <= max)).toBe(true);
          expect(c.groups === 0 || (c.groups - 1) * max < c.pupils).toBe(true);
        }
      }),
    );
  });

  it('group sizes: at most max each, sum n, at most one apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), maxGroupSize, (n, max) => {
        const sizes = groupSizes(n, max);
        expect(sizes.every((s) => s <= max)).toBe(true);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('one teacher per group; duty ≥ 2 on a day with any group and ≥ one per four groups', () => {
    fc.assert(
      fc.property(answers, maxGroupSize, (as, max) => {
        const d = computeDemand(as, { maxGroupSize: max });
        for (const s of d.slots) expect(s.teachers).toBe(s.groups);
        for (const day of d.days) {
          const slotsOfDay = d.slots.filter((s) => s.weekday === day.weekday);
          expect(day.peakGroups).toBe(Math.max(...slotsOfDay.map((s) => s.groups)));
          if (day.peakGroups > 0) {
            expect(day.duty).toBeGreaterThanOrEqual(2);
            expect(day.duty * 4).toBeGreaterThanOrEqual(day.peakGroups);
          } else {
            expect(day.duty).toBe(0);
          }
          expect(day.pupils).toBe(as.filter((a) => SLOTS.some((sl) => (a.days[sl] ?? []).includes(day.weekday))).length);
        }
      }),
    );
  });

  it('lunch and interests count each answer once', () => {
    fc.assert(
      fc.property(answers, (as) => {
        const d = computeDemand(as);
        expect(d.lunch).toBe(as.filter((a) => a.lunch).length);
        for (const c of CATEGORIES) expect(d.interests[c]).toBe(as.filter((a) => a.interests.includes(c)).length);
        expect(d.pickupTimes.reduce((n, p) => n + p.n, 0)).toBe(as.filter((a) => a.pickupTime).length);
      }),
    );
  });
});
