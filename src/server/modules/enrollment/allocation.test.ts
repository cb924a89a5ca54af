/** Properties of the pure allocation logic (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Entrant,
  type QueueEntry,
  fillSeats,
  nextToPromote,
  priorityThenRandom,
  serialDictatorship,
  waitlistOrder,
  waitlistPosition,
  weightedOrder,
} from './allocation';

const entrantsArb = fc.uniqueArray(fc.record({ id: fc.uuid(), weight: fc.constantFrom(0, 1, 2, 3) }), {
  selector: (e) => e.id,
  minLength: 0,
  maxLength: 60,
});

describe('allocation (pure)', () => {
  it('never gives more seats than capacity, and everyone is either seated or waiting, once', () => {
    fc.assert(
      fc.property(entrantsArb, fc.nat(40), fc.nat(40), fc.string(), (entrants, capacity, taken, seed) => {
        const order = weightedOrder(entrants, seed).map((d) => d.id);
        const { enrolled, waitlisted } = fillSeats(order, capacity, Math.min(taken, capacity));
        expect(enrolled.length).toBeLessThanOrEqual(Math.max(0, capacity - Math.min(taken, capacity)));
        expect(new Set([...enrolled, ...waitlisted]).size).toBe(entrants.length);
        expect([...enrolled, ...waitlisted]).toEqual(order);
      }),
    );
  });

  it('the draw is reproducible from the seed and does not depend on the order entrants came in', () => {
    fc.assert(
      fc.property(entrantsArb, fc.string(), (entrants, seed) => {
        const a = weightedOrder(entrants, seed);
        const b = weightedOrder([...entrants].reverse(), seed);
        expect(b.map((d) => d.id)).toEqual(a.map((d) => d.id));
        expect(a.map((d) => d.place)).toEqual(a.map((_, i) => i + 1));
      }),
    );
  });

  it('a weight of 0 comes after every positive weight', () => {
    fc.assert(
      fc.property(entrantsArb, fc.string(), (entrants, seed) => {
        const order = weightedOrder(entrants, seed);
        const firstZero = order.findIndex((d) => d.weight === 0);
        if (firstZero >= 0) expect(order.slice(firstZero).every((d) => d.weight === 0)).toBe(true);
      }),
    );
  });

  it('the lottery honours the priority weights over many draws (first place ∝ weight, 3 seats among 12)', () => {
    // 4 priority pupils (weight 3) and 8 others (weight 1): P(first place is a priority pupil) = 12/20.
    const entrants: Entrant[] = Array.from({ length: 12 }, (_, i) => ({ id: `p${String(i).padStart(2, '0')}`, weight: i < 4 ? 3 : 1 }));
    const draws = 20_000;
    let priorityFirst = 0;
    const seatedCount = new Map<string, number>();
    for (let k = 0; k < draws; k++) {
      const order = weightedOrder(entrants, `draw-${k}`);
      if (order[0].weight === 3) priorityFirst++;
      for (const d of order.slice(0, 3)) seatedCount.set(d.id, (seatedCount.get(d.id) ?? 0) + 1);
    }
    expect(priorityFirst / draws).toBeGreaterThan(0.6 - 0.02);
    expect(priorityFirst / draws).toBeLessThan(0.6 + 0.02);
    // A weighted pupil gets one of 3 seats clearly more often than an unweighted one, and every
    // pupil of the same weight about equally often.
    const rate = (id: string) => (seatedCount.get(id) ?? 0) / draws;
    const weighted = entrants.slice(0, 4).map((e) => rate(e.id));
    const plain = entrants.slice(4).map((e) => rate(e.id));
    expect(Math.min(...weighted)).toBeGreaterThan(Math.max(...plain) * 1.8);
    expect(Math.max(...weighted) - Math.min(...weighted)).toBeLessThan(0.03);
    expect(Math.max(...plain) - Math.min(...plain)).toBeLessThan(0.03);
  });

  it('priority-then-random puts every higher weight first', () => {
    fc.assert(
      fc.property(entrantsArb, fc.string(), (entrants, seed) => {
        const order = priorityThenRandom(entrants, seed);
        for (let i = 1; i < order.length; i++) expect(order[i - 1].weight).toBeGreaterThanOrEqual(order[i].weight);
        expect(priorityThenRandom(entrants, seed).map((d) => d.id)).toEqual(order.map((d) => d.id));
      }),
    );
  });

  it('serial dictatorship never exceeds a capacity and gives each pupil their best choice still free', () => {
    const offerings = ['A', 'B', 'C', 'D'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 30 }),
        fc.array(fc.shuffledSubarray(offerings, { minLength: 1 }), { minLength: 30, maxLength: 30 }),
        fc.array(fc.nat(6), { minLength: 4, maxLength: 4 }),
        (pupils, prefList, caps) => {
          const prefs = new Map(pupils.map((p, i) => [p, prefList[i]]));
          const free = new Map(offerings.map((o, i) => [o, caps[i]]));
          const { assigned, waitlists } = serialDictatorship(pupils, prefs, free);
          for (const o of offerings) expect([...assigned.values()].filter((x) => x === o).length).toBeLessThanOrEqual(free.get(o)!);
          // replay: at each pupil's turn, what they got is their first choice with a seat left
          const left = new Map(free);
          for (const p of pupils) {
            const best = prefs.get(p)!.find((o) => (left.get(o) ?? 0) > 0);
            expect(assigned.get(p)).toBe(best);
            if (best) left.set(best, left.get(best)! - 1);
            else for (const o of prefs.get(p)!) expect(waitlists.get(o)).toContain(p);
          }
          // the waitlists keep the order of the draw
          for (const list of waitlists.values()) expect(list).toEqual(pupils.filter((p) => list.includes(p)));
        },
      ),
    );
  });

  const queueArb = fc.uniqueArray(
    fc.record({
      id: fc.uuid(),
      status: fc.constantFrom('enrolled', 'waitlisted', 'waitlisted', 'offered', 'withdrawn'),
      queueKey: fc.integer({ min: 0, max: 20 }),
    }),
    { selector: (e) => e.id, maxLength: 40 },
  );

  it('the waitlist order is stable: the same entries in any order give the same list', () => {
    fc.assert(
      fc.property(queueArb, fc.integer(), (entries, salt) => {
        const shuffled = [...entries].sort((a, b) => ((a.id.charCodeAt(3) ^ salt) % 7) - ((b.id.charCodeAt(3) ^ salt) % 7));
        expect(waitlistOrder(shuffled).map((e) => e.id)).toEqual(waitlistOrder(entries).map((e) => e.id));
      }),
    );
  });

  it('positions count 1..n along the waitlist; promotion takes the first waitlisted and moves everyone up one', () => {
    fc.assert(
      fc.property(queueArb, (entries) => {
        const list = waitlistOrder(entries);
        for (const [i, e] of list.entries()) expect(waitlistPosition(entries, e.id)).toBe(i + 1);
        for (const e of entries) if (e.status !== 'waitlisted') expect(waitlistPosition(entries, e.id)).toBeNull();
        const first = nextToPromote(entries);
        expect(first?.id).toBe(list[0]?.id);
        if (!first) return;
        const after: QueueEntry[] = entries.map((e) => (e.id === first.id ? { ...e, status: 'offered' } : e));
        for (const e of list.slice(1)) expect(waitlistPosition(after, e.id)).toBe(waitlistPosition(entries, e.id)! - 1);
      }),
    );
  });
});
