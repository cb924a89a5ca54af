import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lunchStatement, mealDays, monthRange, type RollStatus, weekStartOf } from './lunch';

const days = [
  { date: '2026-10-12', weekday: 1 },
  { date: '2026-10-13', weekday: 2 },
  { date: '2026-10-14', weekday: 3 },
  { date: '2026-10-15', weekday: 4 },
  { date: '2026-10-11', weekday: 5 }, // a make-up Sunday on Friday's timetable
];

describe('lunch meals', () => {
  it('counts the lunch weekdays, make-up days by their timetable weekday', () => {
    expect(mealDays(days, new Set([1, 5]), new Map(), false)).toEqual(['2026-10-12', '2026-10-11']);
  });

  it('leave takes the meal away; an absence only when late cancellations are not charged', () => {
    const roll = new Map<string, RollStatus[]>([
      ['2026-10-12', ['leave']],
      ['2026-10-13', ['absent']],
      ['2026-10-14', ['absent', 'present']],
      ['2026-10-15', ['expected']],
    ]);
    const all = new Set([1, 2, 3, 4]);
    expect(mealDays(days, all, roll, false)).toEqual(['2026-10-14', '2026-10-15']);
    expect(mealDays(days, all, roll, true)).toEqual(['2026-10-13', '2026-10-14', '2026-10-15']);
  });

  it('a statement reconciles to the fen: total = meals × price = sum of lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ studentId: fc.uuid(), days: fc.array(fc.constant('2026-10-12'), { maxLength: 23 }) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 5_000 }),
        (pupils, price) => {
          const s = lunchStatement(pupils, price);
          expect(s.amountFen).toBe(s.lines.reduce((n, l) => n + l.amountFen, 0));
          expect(s.amountFen).toBe(s.meals * price);
          expect(s.meals).toBe(pupils.reduce((n, p) => n + p.days.length, 0));
          expect(s.lines.every((l) => Number.isSafeInteger(l.amountFen) && l.meals > 0)).toBe(true);
        },
      ),
    );
    expect(() => lunchStatement([], 12.5)).toThrow();
  });

  it('more leave never means more meals', () => {
    const status = fc.constantFrom<RollStatus>('expected', 'present', 'late', 'leave', 'absent');
    fc.assert(
      fc.property(fc.array(status, { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), (sts, i, charge) => {
        const roll = new Map(days.map((d, k) => [d.date, [sts[k]]]));
        const withLeave = new Map(roll);
        withLeave.set(days[i].date, ['leave']);
        const all = new Set([1, 2, 3, 4, 5]);
        expect(mealDays(days, all, withLeave, charge).length).toBeLessThanOrEqual(mealDays(days, all, roll, charge).length);
      }),
    );
  });

  it('month ranges and week starts', () => {
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthRange('2028-02').to).toBe('2028-02-29');
    expect(weekStartOf('2026-11-29')).toBe('2026-11-23');
    expect(weekStartOf('2026-11-23')).toBe('2026-11-23');
  });
});
