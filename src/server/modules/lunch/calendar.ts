/** The school days of a term that fall in a month (shared by lunch and subsidies). */
import { sql } from 'drizzle-orm';
import { type SchoolDay, schoolDays } from '../../../shared/calendar';
import { monthRange } from '../../../shared/lunch';
import { type Db, queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';

export interface TermRow {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  winterFrom: string | null;
  summerFrom: string | null;
}

/** The school's term (another school's id answers 404). */
export async function termOf(db: Db, schoolId: string, termId: string): Promise<TermRow> {
  const [t] = await queryRows<TermRow>(
    db,
    sql`SELECT id, name, starts_on::text AS "startsOn", ends_on::text AS "endsOn", winter_from::text AS "winterFrom",
               summer_from::text AS "summerFrom"
          FROM terms WHERE school_id = ${schoolId} AND id = ${termId}`,
  );
  if (!t) throw notFound('学期');
  return t;
}

/** The term's service days in the month; 422 when the month has none (outside the term). */
export async function monthDays(db: Db, schoolId: string, term: TermRow, month: string): Promise<SchoolDay[]> {
  const ex = await queryRows<{ day: string; kind: string; asWeekday: number | null }>(
    db,
    sql`SELECT day::text AS day, kind, as_weekday AS "asWeekday" FROM term_days WHERE school_id = ${schoolId} AND term_id = ${term.id}`,
  );
  const { from, to } = monthRange(month);
  const days = schoolDays(term, ex).filter((d) => d.date >= from && d.date <= to);
  if (days.length === 0) throw new AppError(422, 'MONTH_OUTSIDE_TERM', `${month} 不在该学期的上课日内`);
  return days;
}
