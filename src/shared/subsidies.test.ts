import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_RANGES,
  inRange,
  lineAmount,
  minutesBetween,
  personStatements,
  type RotaSession,
  rangesOf,
  subsidyCapFen,
  termShareFen,
} from './subsidies';

const s = (staffId: string, date: string, role: 'care' | 'duty', minutes: number, confirmed: boolean): RotaSession => ({
  staffId,
  date,
  role,
  minutes,
  confirmed,
  label: role,
});

describe('subsidies', () => {
  it('R10: 500 yuan per pupil per year, 600 for remote schools', () => {
    expect(subsidyCapFen(false)).toBe(50_000);
    expect(subsidyCapFen(true)).toBe(60_000);
  });

  it('only confirmed sessions are paid; unconfirmed ones are listed', () => {
    const rates = { care: { rateFen: 6_000, unit: 'hour' as const }, duty: { rateFen: 4_000, unit: 'hour' as const } };
    const [a] = personStatements(
      [s('a', '2026-10-12', 'care', 90, true), s('a', '2026-10-13', 'care', 90, false), s('a', '2026-10-13', 'duty', 120, true)],
      new Set(),
      rates,
    );
    expect(a.kind).toBe('subsidy');
    expect(a.lines).toEqual([
      { role: 'care', unit: 'hour', sessions: 1, minutes: 90, rateFen: 6_000, amountFen: 9_000 },
      { role: 'duty', unit: 'hour', sessions: 1, minutes: 120, rateFen: 4_000, amountFen: 8_000 },
    ]);
    expect(a.unconfirmed).toEqual([{ date: '2026-10-13', label: 'care' }]);
    expect(a.amountFen).toBe(17_000);
  });

  it('external staff are paid a labour fee by the session or the hour', () => {
    const sessions = [s('x', '2026-10-12', 'care', 60, true), s('x', '2026-10-14', 'care', 60, true)];
    const [bySession] = personStatements(sessions, new Set(['x']), { external: { rateFen: 15_000, unit: 'session' } });
    expect(bySession).toMatchObject({ kind: 'labour', amountFen: 30_000 });
    const [byHour] = personStatements(sessions, new Set(['x']), { external: { rateFen: 10_000, unit: 'hour' } });
    expect(byHour.amountFen).toBe(20_000);
  });

  it('statements are whole fen and sum their lines; never more for fewer confirmed sessions', () => {
    const session = fc.record({
      staffId: fc.constantFrom('a', 'b', 'c'),
      date: fc.constant('2026-10-12'),
      role: fc.constantFrom<'care' | 'duty'>('care', 'duty'),
      minutes: fc.integer({ min: 1, max: 240 }),
      confirmed: fc.boolean(),
      label: fc.constant('x'),
    });
    fc.assert(
      fc.property(
        fc.array(session, { maxLength: 40 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (list, care, duty) => {
          const rates = { care: { rateFen: care, unit: 'hour' as const }, duty: { rateFen: duty, unit: 'hour' as const } };
          const out = personStatements(list, new Set(['c']), { ...rates, external: { rateFen: care, unit: 'session' } });
          for (const p of out) {
            expect(Number.isSafeInteger(p.amountFen)).toBe(true);
            expect(p.amountFen).toBe(p.lines.reduce((n, l) => n + l.amountFen, 0));
            expect(p.confirmedMinutes + 0).toBe(
              list.filter((x) => x.staffId === p.staffId && x.confirmed).reduce((n, x) => n + x.minutes, 0),
            );
          }
          const fewer = personStatements(
            list.map((x, i) => (i === 0 ? { ...x, confirmed: false } : x)),
            new Set(['c']),
            { ...rates, external: { rateFen: care, unit: 'session' } },
          );
          const total = (ps: typeof out) => ps.reduce((n, p) => n + p.amountFen, 0);
          expect(total(fewer)).toBeLessThanOrEqual(total(out));
        },
      ),
    );
  });

  it('rates, ranges, budgets', () => {
    expect(lineAmount('hour', 1, 1, 100)).toBe(2); // 1.67 fen rounds to 2
    expect(inRange(3_000, DEFAULT_RATE_RANGES.care)).toBe(true);
    expect(inRange(2_999, DEFAULT_RATE_RANGES.care)).toBe(false);
    expect(inRange(3_000.5, DEFAULT_RATE_RANGES.care)).toBe(false);
    expect(rangesOf({ care: { minFen: 1, maxFen: 2 } }).duty).toEqual(DEFAULT_RATE_RANGES.duty);
    expect(minutesBetween('15:30:00', '17:30:00')).toBe(120);
    expect(termShareFen(50_001, 3)).toBe(75_001);
  });
});
