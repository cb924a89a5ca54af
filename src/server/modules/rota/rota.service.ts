/**
 * The term rota read from the school's rows: the term's service days (holidays out, make-up days on
 * another weekday's timetable, the season of the slot times), the timetable's groups and duty
 * leaders, and the approved swaps, put together by shared/rota.ts buildRota.
 */
import { sql } from 'drizzle-orm';
import { type SchoolDay, schoolDays } from '../../../shared/calendar';
import { buildRota, type RotaDay, type SlotTime } from '../../../shared/rota';
import { type Db, queryRows } from '../../db/client';
import { notFound } from '../../lib/errors';
import { approvedLegs, dutyOf, groupsOf } from './effective';

export interface TermRow {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  winterFrom: string | null;
  summerFrom: string | null;
}

export async function termRow(db: Db, schoolId: string, termId: string): Promise<TermRow> {
  const [t] = await queryRows<TermRow>(
    db,
    sql`SELECT id, name, starts_on::text AS "startsOn", ends_on::text AS "endsOn", winter_from::text AS "winterFrom", summer_from::text AS "summerFrom"
          FROM terms WHERE school_id = ${schoolId} AND id = ${termId}`,
  );
  if (!t) throw notFound('学期');
  return t;
}

export async function termDays(db: Db, schoolId: string, t: TermRow): Promise<SchoolDay[]> {
  const ex = await queryRows<{ day: string; kind: string; asWeekday: number | null }>(
    db,
    sql`SELECT day::text AS day, kind, as_weekday AS "asWeekday" FROM term_days WHERE school_id = ${schoolId} AND term_id = ${t.id}`,
  );
  return schoolDays(t, ex);
}

export interface RotaView {
  term: TermRow;
  days: (RotaDay & { entries: (RotaDay['entries'][number] & { staffName: string })[] })[];
}

/** The rota of a term between two dates (inclusive), narrowed to some people's shifts when given. */
export async function loadRota(
  db: Db,
  schoolId: string,
  termId: string,
  opts: { from?: string; to?: string; staffIds?: string[] } = {},
): Promise<RotaView> {
  const term = await termRow(db, schoolId, termId);
  const from = opts.from && opts.from > term.startsOn ? opts.from : term.startsOn;
  const to = opts.to && opts.to < term.endsOn ? opts.to : term.endsOn;
  const days = (await termDays(db, schoolId, term)).filter((d) => d.date >= from && d.date <= to);
  const [plan] = await queryRows<{ id: string }>(db, sql`SELECT id FROM plans WHERE school_id = ${schoolId} AND term_id = ${termId}`);
  const times = plan
    ? await queryRows<SlotTime>(
        db,
        sql`SELECT slot, season, grade_band AS "gradeBand", to_char(start_time, 'HH24:MI') AS start, to_char(end_time, 'HH24:MI') AS end
              FROM plan_slots WHERE school_id = ${schoolId} AND plan_id = ${plan.id}`,
      )
    : [];
  const rota = buildRota({
    days,
    groups: await groupsOf(db, schoolId, termId),
    duty: await dutyOf(db, schoolId, termId),
    legs: await approvedLegs(db, schoolId, from, to),
    times,
    staffIds: opts.staffIds ? new Set(opts.staffIds) : undefined,
  });
  const names = new Map(
    (await queryRows<{ id: string; name: string }>(db, sql`SELECT id, name FROM staff WHERE school_id = ${schoolId}`)).map((s) => [
      s.id,
      s.name,
    ]),
  );
  return {
    term,
    days: rota.map((d) => ({
      ...d,
      entries: d.entries.map((e) => ({ ...e, staffName: e.staffId ? (names.get(e.staffId) ?? '') : e.providerName })),
    })),
  };
}
