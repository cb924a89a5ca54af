import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar';
import {
  allocate,
  billPupil,
  creditedDates,
  type FeeMode,
  FEE_MODES,
  netOf,
  type OfferingFee,
  REFUND_PRESETS,
  sessionDates,
  sessionShares,
  waivedFen,
} from './billing';

const term = { startsOn: '2026-09-01', endsOn: '2027-01-22', winterFrom: null, summerFrom: null };
const exceptions = [
  { day: '2026-10-01', kind: 'holiday', asWeekday: null },
  { day: '2026-10-02', kind: 'holiday', asWeekday: null },
  { day: '2026-10-10', kind: 'makeup', asWeekday: 3 },
];

describe('sessions from the calendar', () => {
  it('counts enrolled weekdays, skips holidays, counts a make-up day as its weekday, respects effective dates', () => {
    const thursdays = sessionDates(term, exceptions, [{ weekday: 4, effectiveFrom: null, effectiveTo: null }]);
    expect(thursdays).not.toContain('2026-10-01');
    expect(thursdays[0]).toBe('2026-09-03');
    const wednesdays = sessionDates(term, exceptions, [{ weekday: 3, effectiveFrom: '2026-10-01', effectiveTo: '2026-10-31' }]);
    expect(wednesdays).toEqual(['2026-10-07', '2026-10-10', '2026-10-14', '2026-10-21', '2026-10-28']);
    expect(sessionDates(term, exceptions, [])).toEqual([]);
  });
});

describe('fee modes', () => {
  it('splits an amount into whole shares that sum to it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 200 }), (total, n) => {
        const s = allocate(total, n);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('per session = sessions × fee; per month = months touched × fee; per term flat; free 0', () => {
    const dates = ['2026-09-28', '2026-09-30', '2026-10-12', '2026-11-02'];
    const sum = (m: FeeMode, fee: number) => sessionShares(m, fee, dates).reduce((a, b) => a + b, 0);
    expect(sum('per_session', 350)).toBe(1400);
    expect(sum('per_month', 13_000)).toBe(39_000);
    expect(sum('per_term', 30_001)).toBe(30_001);
    expect(sum('free', 999)).toBe(0);
  });
});

describe('refund presets', () => {
  const dates = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30'];
  it('by day credits each missed session; half month only whole missed halves; none nothing', () => {
    expect(creditedDates('by_day', dates, new Set(['2026-11-09']))).toEqual(['2026-11-09']);
    expect(creditedDates('half_month', dates, new Set(['2026-11-09']))).toEqual([]);
    expect(creditedDates('half_month', dates, new Set(['2026-11-02', '2026-11-09']))).toEqual(['2026-11-02', '2026-11-09']);
    expect(creditedDates('none', dates, new Set(dates))).toEqual([]);
  });
});

const feeArb = fc.record({
  feeMode: fc.constantFrom(...FEE_MODES),
  feeFen: fc.integer({ min: 0, max: 100_000 }),
  lineKind: fc.constantFrom('service' as const, 'club' as const, 'provider' as const),
  weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
  from: fc.integer({ min: 0, max: 120 }),
  missedEvery: fc.integer({ min: 1, max: 9 }),
});

describe('a pupil’s bill (property)', () => {
  it('never creates or loses a fen: net = charge − waived − credited ≥ 0; month bills add up to the term bill', () => {
    fc.assert(
      fc.property(
        fc.array(feeArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(...REFUND_PRESETS),
        (specs, bp, preset) => {
          const missed = new Map<string, Set<string>>();
          const fees: OfferingFee[] = specs.map((s, i) => {
            const dates = sessionDates(
              term,
              exceptions,
              s.weekdays.map((w) => ({ weekday: w, effectiveFrom: addDays(term.startsOn, s.from), effectiveTo: null })),
            );
            missed.set(`o${i}`, new Set(dates.filter((_, k) => k % s.missedEvery === 0)));
            return { offeringId: `o${i}`, name: `o${i}`, lineKind: s.lineKind, feeMode: s.feeMode, feeFen: s.feeFen, dates };
          });
          const byTerm = billPupil({ fees, mode: 'term', preset, waiverBp: bp, missed, upTo: 'term' });
          const byMonth = billPupil({ fees, mode: 'month', preset: 'none', waiverBp: 0, missed, upTo: '9999-12' });
          for (const [bill, share] of [
            [byTerm, bp],
            [byMonth, 0],
          ] as const) {
            for (const l of [...bill.values()].flat()) {
              expect(netOf(l)).toBeGreaterThanOrEqual(0);
              expect(l.waivedFen).toBe(l.lineKind === 'provider' ? 0 : waivedFen(l.chargeFen, share));
              if (l.feeMode === 'per_session') expect(l.chargeFen).toBe(l.sessions * l.unitFen);
              expect(l.quantity * l.unitFen).toBe(l.chargeFen);
            }
          }
          const total = (m: Map<string, { chargeFen: number }[]>) => [...m.values()].flat().reduce((a, l) => a + l.chargeFen, 0);
          expect(total(byMonth)).toBe(total(byTerm));
          if (bp === 10_000) {
            for (const l of byTerm.get('term') ?? []) if (l.lineKind !== 'provider') expect(netOf(l)).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('bills no month after the current one (L1)', () => {
    const dates = sessionDates(term, exceptions, [{ weekday: 1, effectiveFrom: null, effectiveTo: null }]);
    const fees: OfferingFee[] = [{ offeringId: 'a', name: 'a', lineKind: 'service', feeMode: 'per_month', feeFen: 13_000, dates }];
    const bill = billPupil({ fees, mode: 'month', preset: 'by_day', waiverBp: 0, missed: new Map(), upTo: '2026-10' });
    expect([...bill.keys()]).toEqual(['2026-09', '2026-10']);
  });
});
