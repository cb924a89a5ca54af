/**
 * Taking a seat, in SQL, in one statement: the conditional `UPDATE offering_seats … taken <
 * capacity` (its row lock serialises racers for the same seat), the enrolment row (enrolled when the
 * update took a seat, else waitlisted with its queue key), and the audit record. The seat's UNIQUE
 * key and the idempotency key stop a second row; should a duplicate race past the first check after
 * taking a seat, the guard divides by zero and the whole statement rolls back. The CHECK
 * (taken <= capacity) is the backstop. (docs: "Correctness where it matters most")
 */
import type { Actor } from '../../auth/actor';
import type { Exec } from './exec';

export interface SeatRequest {
  schoolId: string;
  termId: string;
  studentId: string;
  offeringId: string;
  weekday: number;
  /** fcfs | ranked | lottery | approval | office */
  source: string;
  idempotencyKey: string | null;
  effectiveFrom: string;
  effectiveTo: string;
  /** waitlist order; null = the time of the request */
  queueKey: number | null;
}

export interface SeatResult {
  id: string;
  status: string;
  /** a new row was written by this request (false: an existing one is returned) */
  created: boolean;
  /** "候补第 N 位" when waitlisted */
  position: number | null;
  offeringId: string;
  weekday: number;
}

const TAKE = `
WITH prior AS (
  SELECT id FROM enrollments
   WHERE school_id = $1::uuid
     AND ((offering_id = $2::uuid AND weekday = $3::smallint AND student_id = $4::uuid)
          OR ($6::text IS NOT NULL AND idempotency_key = $6::text))
), seat AS (
  UPDATE offering_seats SET taken = taken + 1
   WHERE school_id = $1::uuid AND offering_id = $2::uuid AND weekday = $3::smallint AND taken < capacity
     AND NOT EXISTS (SELECT 1 FROM prior)
  RETURNING taken
), ins AS (
  INSERT INTO enrollments (school_id, id, term_id, student_id, offering_id, weekday, status, queue_key,
                           effective_from, effective_to, source, idempotency_key)
  SELECT $1::uuid, gen_random_uuid(), $5::uuid, $4::uuid, $2::uuid, $3::smallint,
         CASE WHEN EXISTS (SELECT 1 FROM seat) THEN 'enrolled' ELSE 'waitlisted' END,
         COALESCE($9::float8, extract(epoch FROM clock_timestamp()) * 1000),
         CASE WHEN EXISTS (SELECT 1 FROM seat) THEN $7::date END,
         CASE WHEN EXISTS (SELECT 1 FROM seat) THEN $8::date END,
         $10::text, $6::text
   WHERE NOT EXISTS (SELECT 1 FROM prior)
  ON CONFLICT DO NOTHING
  RETURNING id, status, queue_key
), aud AS (
  INSERT INTO audit_log (school_id, id, account_id, actor_name, role, action, entity, entity_id, ip, detail)
  SELECT $1::uuid, gen_random_uuid(), $11::uuid, $12::text, $13::text, 'enrollment.request', 'enrollment', ins.id::text, $14::text,
         jsonb_build_object('studentId', $4::uuid, 'offeringId', $2::uuid, 'weekday', $3::smallint, 'status', ins.status, 'source', $10::text)
    FROM ins
)
SELECT ins.id, ins.status,
       CASE WHEN ins.status = 'waitlisted' THEN 1 + (
         SELECT count(*) FROM enrollments e
          WHERE e.school_id = $1::uuid AND e.offering_id = $2::uuid AND e.weekday = $3::smallint
            AND e.status = 'waitlisted' AND (e.queue_key, e.id) < (ins.queue_key, ins.id))::int END AS position,
       CASE WHEN EXISTS (SELECT 1 FROM seat) THEN 1 / (SELECT count(*) FROM ins)::int END AS guard
  FROM (SELECT 1) one LEFT JOIN ins ON true`;

const EXISTING = `
SELECT e.id, e.status, e.student_id, e.offering_id, e.weekday, e.idempotency_key,
       CASE WHEN e.status = 'waitlisted' THEN 1 + (
         SELECT count(*) FROM enrollments w
          WHERE w.school_id = e.school_id AND w.offering_id = e.offering_id AND w.weekday = e.weekday
            AND w.status = 'waitlisted' AND (w.queue_key, w.id) < (e.queue_key, e.id))::int END AS position
  FROM enrollments e
 WHERE e.school_id = $1::uuid
   AND (($5::text IS NOT NULL AND e.idempotency_key = $5::text)
        OR (e.offering_id = $2::uuid AND e.weekday = $3::smallint AND e.student_id = $4::uuid))
 ORDER BY (e.idempotency_key IS NOT DISTINCT FROM $5::text) DESC
 LIMIT 1`;

interface TakeRow {
  id: string | null;
  status: string | null;
  position: number | null;
}
interface ExistingRow {
  id: string;
  status: string;
  student_id: string;
  offering_id: string;
  weekday: number;
  idempotency_key: string | null;
  position: number | null;
}

export class IdempotencyConflict extends Error {}

const isGuard = (e: unknown) => {
  for (let c = e as { code?: string; cause?: unknown } | undefined, i = 0; c && i < 4; c = c.cause as never, i++) {
    if (c.code === '22012') return true;
  }
  return false;
};

/**
 * Takes a seat or a place on the waitlist; an existing enrolment of the pupil for that seat, or an
 * earlier request with the same idempotency key, is returned instead (created: false).
 */
export async function takeSeat(
  exec: Exec,
  actor: Pick<Actor, 'accountId' | 'displayName' | 'roles' | 'ip'>,
  r: SeatRequest,
): Promise<SeatResult> {
  const values = [
    r.schoolId,
    r.offeringId,
    r.weekday,
    r.studentId,
    r.termId,
    r.idempotencyKey,
    r.effectiveFrom,
    r.effectiveTo,
    r.queueKey,
    r.source,
    actor.accountId,
    actor.displayName,
    actor.roles.join(','),
    actor.ip,
  ];
  let row: TakeRow | undefined;
  try {
    [row] = await exec<TakeRow>('enroll_take_seat', TAKE, values);
  } catch (e) {
    if (!isGuard(e)) throw e;
    row = undefined; // a twin request of the same pupil won the insert: read it below
  }
  if (row?.id) {
    return {
      id: row.id,
      status: row.status as string,
      created: true,
      position: row.position,
      offeringId: r.offeringId,
      weekday: r.weekday,
    };
  }
  const [ex] = await exec<ExistingRow>('enroll_existing_seat', EXISTING, [
    r.schoolId,
    r.offeringId,
    r.weekday,
    r.studentId,
    r.idempotencyKey,
  ]);
  if (!ex) throw new Error('seat request wrote nothing and found nothing');
  if (ex.student_id !== r.studentId || ex.offering_id !== r.offeringId || Number(ex.weekday) !== r.weekday) throw new IdempotencyConflict();
  return { id: ex.id, status: ex.status, created: false, position: ex.position, offeringId: r.offeringId, weekday: r.weekday };
}

export const TAKE_SEAT_SQL = TAKE;
