import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LineToMatch, matchStatement, type PaymentToMatch, SOURCE_METHOD } from './reconcile';

describe('matching a statement to payments', () => {
  it('matches by reference first, then by day and amount, each payment once', () => {
    const lines: LineToMatch[] = [
      { id: 'l1', source: 'bank', occurredOn: '2026-09-10', amountFen: 100, reference: 'abc' },
      { id: 'l2', source: 'bank', occurredOn: '2026-09-10', amountFen: 100, reference: '' },
      { id: 'l3', source: 'bank', occurredOn: '2026-09-10', amountFen: 100, reference: '' },
      { id: 'l4', source: 'campus_card', occurredOn: '2026-09-10', amountFen: 200, reference: '' },
    ];
    const payments: PaymentToMatch[] = [
      { id: 'p1', method: 'transfer', amountFen: 100, externalRef: null, day: '2026-09-10' },
      { id: 'p2', method: 'transfer', amountFen: 100, externalRef: 'ABC', day: '2026-09-11' },
      { id: 'p3', method: 'transfer', amountFen: 200, externalRef: null, day: '2026-09-10' },
    ];
    const m = matchStatement(lines, payments);
    expect(Object.fromEntries(m)).toEqual({ l1: 'p2', l2: 'p1' });
  });

  it('never pairs different amounts or channels, and never uses a payment twice', () => {
    const day = fc.constantFrom('2026-09-01', '2026-09-02');
    const amount = fc.constantFrom(100, 200, 300);
    const ref = fc.constantFrom('', 'R1', 'R2', 'r1');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            source: fc.constantFrom('bank' as const, 'campus_card' as const),
            occurredOn: day,
            amountFen: amount,
            reference: ref,
          }),
          { maxLength: 12 },
        ),
        fc.array(
          fc.record({ method: fc.constantFrom('transfer', 'campus_card', 'cash'), amountFen: amount, externalRef: fc.option(ref), day }),
          { maxLength: 12 },
        ),
        (ls, ps) => {
          const lines = ls.map((l, i) => ({ ...l, id: `l${i}` }));
          const payments = ps.map((p, i) => ({ ...p, id: `p${i}` }));
          const m = matchStatement(lines, payments);
          const used = [...m.values()];
          expect(new Set(used).size).toBe(used.length);
          for (const [lid, pid] of m) {
            const l = lines.find((x) => x.id === lid) as LineToMatch;
            const p = payments.find((x) => x.id === pid) as PaymentToMatch;
            expect(p.amountFen).toBe(l.amountFen);
            expect(p.method).toBe(SOURCE_METHOD[l.source]);
          }
        },
      ),
    );
  });
});
