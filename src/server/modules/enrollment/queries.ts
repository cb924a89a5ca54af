/** Read queries shared by the guardian's, the homeroom's and the office's pages. */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import type { EnrollmentView, SeatCount } from './presenters';

/** A pupil's (or several pupils') places, with the waitlist position where waiting. */
export async function enrollmentsOf(db: Db, schoolId: string, where: SQL): Promise<EnrollmentView[]> {
  return queryRows<EnrollmentView>(
    db,
    sql`SELECT e.id, e.student_id AS "studentId", e.offering_id AS "offeringId", o.name AS "offeringName", o.kind, o.slot,
               e.weekday, e.status, e.source, e.offer_expires_at AS "offerExpiresAt",
               e.effective_from::text AS "effectiveFrom", e.effective_to::text AS "effectiveTo", e.updated_at AS "updatedAt",
               CASE WHEN e.status = 'waitlisted' THEN 1 + (
                 SELECT count(*) FROM enrollments w
                  WHERE w.school_id = e.school_id AND w.offering_id = e.offering_id AND w.weekday = e.weekday
                    AND w.status = 'waitlisted' AND (w.queue_key, w.id) < (e.queue_key, e.id))::int END AS position
          FROM enrollments e JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id
         WHERE e.school_id = ${schoolId} AND ${where}
         ORDER BY e.weekday, CASE o.slot WHEN 'morning' THEN 1 WHEN 'noon' THEN 2 WHEN 'afternoon' THEN 3 ELSE 4 END, o.name`,
  );
}

/** Seats per offering and weekday: capacity, taken, waiting. */
export async function seatCounts(db: Db, schoolId: string, offeringIds: string[]): Promise<Map<string, SeatCount[]>> {
  const out = new Map<string, SeatCount[]>();
  if (offeringIds.length === 0) return out;
  const rows = await queryRows<SeatCount & { offering_id: string }>(
    db,
    sql`SELECT s.offering_id, s.weekday::int AS weekday, s.capacity, s.taken,
               (SELECT count(*) FROM enrollments w WHERE w.school_id = s.school_id AND w.offering_id = s.offering_id
                   AND w.weekday = s.weekday AND w.status = 'waitlisted')::int AS waitlisted
          FROM offering_seats s
         WHERE s.school_id = ${schoolId} AND s.offering_id IN (${sql.join(
           offeringIds.map((id) => sql`${id}`),
           sql`, `,
         )})`,
  );
  for (const r of rows) {
    const list = out.get(r.offering_id) ?? [];
    list.push({ weekday: Number(r.weekday), capacity: Number(r.capacity), taken: Number(r.taken), waitlisted: Number(r.waitlisted) });
    out.set(r.offering_id, list);
  }
  return out;
}
