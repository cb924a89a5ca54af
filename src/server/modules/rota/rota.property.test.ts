/** Properties of the rota's pure core (shared/rota.ts): swaps applied in order, clashes found exactly, a person's rota is a slice of the school's. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schoolDays } from '../../../shared/calendar';
import { SLOTS } from '../../../shared/plans';
import { bookingsOn, buildRota, clashes, type Leg, type RotaGroup, slotTime } from '../../../shared/rota';

const staffIds = ['s0', 's1', 's2', 's3', 's4', 's5'];
const arbGroups = fc
  .array(
    fc.record({
      slot: fc.constantFrom(...SLOTS),
      teacher: fc.option(fc.constantFrom(...staffIds), { nil: null }),
      weekday: fc.integer({ min: 1, max: 5 }),
    }),
    {
      maxLength: 12,
    },
  )
  .map((gs) =>
    gs.map(
      (g, i): RotaGroup => ({
        id: `g${i}`,
        weekday: g.weekday,
        slot: g.slot,
        band: 'high',
        index: i,
        campusName: '本部',
        offeringName: '托管',
        venueName: null,
        teacherStaffId: g.teacher,
        providerName: '',
      }),
    ),
  );

describe('bookingsOn', () => {
  it('every group is held by the last taker of its shift; duty leaders are replaced, never duplicated', () => {
    fc.assert(
      fc.property(
        arbGroups,
        fc.uniqueArray(fc.constantFrom(...staffIds), { maxLength: 3 }),
        fc.array(fc.record({ g: fc.nat(11), to: fc.constantFrom(...staffIds), duty: fc.boolean() }), { maxLength: 10 }),
        (groups, duty, moves) => {
          const holder = new Map(groups.map((g) => [g.id, g.teacherStaffId]));
          const leaders = [...duty];
          const legs: Leg[] = [];
          for (const m of moves) {
            if (m.duty && leaders.length) {
              const from = leaders[m.g % leaders.length];
              legs.push({ day: 'd', groupId: null, fromStaffId: from, toStaffId: m.to });
              leaders.splice(leaders.indexOf(from), 1);
              if (!leaders.includes(m.to)) leaders.push(m.to);
            } else if (groups.length) {
              const g = groups[m.g % groups.length];
              const from = holder.get(g.id);
              if (!from) continue;
              legs.push({ day: 'd', groupId: g.id, fromStaffId: from, toStaffId: m.to });
              holder.set(g.id, m.to);
            }
          }
          const b = bookingsOn(groups, duty, legs);
          for (const g of groups) {
            const mine = b.filter((x) => x.groupId === g.id);
            expect(mine.map((x) => x.staffId)).toEqual(holder.get(g.id) ? [holder.get(g.id)] : []);
          }
          const onDuty = b.filter((x) => !x.groupId).map((x) => x.staffId);
          expect(new Set(onDuty).size).toBe(onDuty.length);
          expect(new Set(onDuty)).toEqual(new Set(leaders));
        },
      ),
    );
  });
});

describe('clashes', () => {
  it('reports exactly the people with two bookings in one slot', () => {
    fc.assert(
      fc.property(arbGroups, fc.uniqueArray(fc.constantFrom(...staffIds), { maxLength: 3 }), (groups, duty) => {
        const b = bookingsOn(groups, duty, []);
        const count = new Map<string, number>();
        for (const x of b) count.set(`${x.staffId}|${x.slot}`, (count.get(`${x.staffId}|${x.slot}`) ?? 0) + 1);
        const expected = [...count].filter(([, n]) => n > 1).map(([k]) => k);
        expect(new Set(clashes(b).map((c) => `${c.staffId}|${c.slot}`))).toEqual(new Set(expected));
      }),
    );
  });
});

describe('buildRota', () => {
  const term = { startsOn: '2026-09-01', endsOn: '2026-10-31', winterFrom: '2026-10-08', summerFrom: null };
  const days = schoolDays(term, [
    { day: '2026-10-01', kind: 'holiday', asWeekday: null },
    { day: '2026-10-10', kind: 'makeup', asWeekday: 3 },
  ]);
  const times = [
    { slot: 'afternoon' as const, season: 'summer' as const, gradeBand: 'all', start: '15:30', end: '17:30' },
    { slot: 'afternoon' as const, season: 'winter' as const, gradeBand: 'all', start: '15:00', end: '17:00' },
  ];

  it('a person’s rota is exactly their slice of the school’s, on service days only', () => {
    fc.assert(
      fc.property(arbGroups, fc.constantFrom(...staffIds), (groups, who) => {
        const all = buildRota({ days, groups, duty: new Map([[3, ['s1', 's2']]]), legs: [], times });
        const mine = buildRota({ days, groups, duty: new Map([[3, ['s1', 's2']]]), legs: [], times, staffIds: new Set([who]) });
        const slice = all.flatMap((d) => d.entries.filter((e) => e.staffId === who).map((e) => `${d.date}|${e.groupId}`));
        expect(mine.flatMap((d) => d.entries.map((e) => `${d.date}|${e.groupId}`))).toEqual(slice);
        expect(all.some((d) => d.date === '2026-10-01')).toBe(false);
      }),
    );
  });

  it('follows the make-up day’s timetable and the season’s times', () => {
    const g: RotaGroup = {
      id: 'g',
      weekday: 3,
      slot: 'afternoon',
      band: 'low',
      index: 1,
      campusName: '本部',
      offeringName: '托管',
      venueName: 'A',
      teacherStaffId: 's1',
      providerName: '',
    };
    const r = buildRota({
      days,
      groups: [g],
      duty: new Map(),
      legs: [{ day: '2026-10-10', groupId: 'g', fromStaffId: 's1', toStaffId: 's2' }],
      times,
    });
    const sat = r.find((d) => d.date === '2026-10-10');
    expect(sat?.entries[0]).toMatchObject({ staffId: 's2', swapped: true, time: '15:00–17:00' });
    expect(r.find((d) => d.date === '2026-09-02')?.entries[0]).toMatchObject({ staffId: 's1', swapped: false, time: '15:30–17:30' });
    expect(slotTime(times, 'late', 'summer', 'low')).toBe('');
  });
});
