/** School days of a term: examples from the demo term and properties over random calendars. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isoWeekdayOf, schoolDays, schoolDaySummary } from './calendar';
import { seasonOn } from './plan-inputs';

const term = { startsOn: '2026-09-01', endsOn: '2027-01-22', winterFrom: '2026-11-01', summerFrom: null };

describe('schoolDays', () => {
  it('counts Monday–Friday, drops holidays, adds make-up days with their timetable weekday', () => {
    const plain = schoolDays(term, []);
    expect(plain[0]).toEqual({ date: '2026-09-01', isoWeekday: 2, weekday: 2, season: 'summer', makeup: false });
    expect(plain.at(-1)?.date).toBe('2027-01-22');
    expect(plain).toHaveLength(104);

    const holidays = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((day) => ({
      day,
      kind: 'holiday',
      asWeekday: null,
    }));
    const makeup = { day: '2026-10-10', kind: 'makeup', asWeekday: 4 };
    const days = schoolDays(term, [...holidays, makeup]);
    expect(days).toHaveLength(104 - 5 + 1);
    expect(days.find((d) => d.date === '2026-10-01')).toBeUndefined();
    expect(days.find((d) => d.date === '2026-10-10')).toEqual({
      date: '2026-10-10',
      isoWeekday: 6,
      weekday: 4,
      season: 'summer',
      makeup: true,
    });
    const s = schoolDaySummary(days);
    expect(s.total).toBe(100);
    expect(s.makeup).toBe(1);
    expect(s.summer + s.winter).toBe(100);
    expect(days.find((d) => d.date === '2026-11-02')?.season).toBe('winter');
  });

  it('weekday helpers agree with the calendar', () => {
    expect(isoWeekdayOf('2026-09-01')).toBe(2);
    expect(isoWeekdayOf('2026-10-10')).toBe(6);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-09-01', '2027-01-22')).toBe(143);
  });

  it('seasons: before the first switch the other season, after it the switch’s season', () => {
    expect(seasonOn(term, '2026-10-31')).toBe('summer');
    expect(seasonOn(term, '2026-11-01')).toBe('winter');
    const spring = { winterFrom: null, summerFrom: '2027-05-01' };
    expect(seasonOn(spring, '2027-03-01')).toBe('winter');
    expect(seasonOn(spring, '2027-05-01')).toBe('summer');
    expect(seasonOn({ winterFrom: null, summerFrom: null }, '2027-03-01')).toBe('summer');
  });

  const dateArb = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
  const calendarArb = fc
    .record({
      start: dateArb,
      length: fc.integer({ min: 0, max: 200 }),
      picks: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('holiday', 'makeup'), as: fc.integer({ min: 1, max: 5 }) }), {
        maxLength: 30,
      }),
    })
    .map(({ start, length, picks }) => {
      const endsOn = addDays(start, length);
      const byDay = new Map<string, { day: string; kind: string; asWeekday: number | null }>();
      for (const p of picks) {
        const day = addDays(start, p.at % (length + 1));
        byDay.set(day, { day, kind: p.kind, asWeekday: p.kind === 'makeup' ? p.as : null });
      }
      return { term: { startsOn: start, endsOn, winterFrom: null, summerFrom: null }, exceptions: [...byDay.values()] };
    });

  it('properties: in range, sorted, unique, never a holiday, weekends only as make-up days, count adds up', () => {
    fc.assert(
      fc.property(calendarArb, ({ term, exceptions }) => {
        const days = schoolDays(term, exceptions);
        const holidays = new Set(exceptions.filter((e) => e.kind === 'holiday').map((e) => e.day));
        const makeups = exceptions.filter((e) => e.kind === 'makeup');
        for (const [i, d] of days.entries()) {
          expect(d.date >= term.startsOn && d.date <= term.endsOn).toBe(true);
          if (i > 0) expect(days[i - 1].date < d.date).toBe(true);
          expect(holidays.has(d.date)).toBe(false);
          if (d.isoWeekday > 5) expect(d.makeup).toBe(true);
          expect(d.weekday >= 1 && d.weekday <= 5).toBe(true);
        }
        let weekdays = 0;
        for (let i = 0; i <= daysBetween(term.startsOn, term.endsOn); i++) if (isoWeekdayOf(addDays(term.startsOn, i)) <= 5) weekdays++;
        const weekdayHolidays = [...holidays].filter((d) => isoWeekdayOf(d) <= 5).length;
        const weekendMakeups = makeups.filter((m) => isoWeekdayOf(m.day) > 5).length;
        expect(days.length).toBe(weekdays - weekdayHolidays + weekendMakeups);
        for (const m of makeups) expect(days.find((d) => d.date === m.day)?.weekday).toBe(m.asWeekday);
      }),
    );
  });
});
