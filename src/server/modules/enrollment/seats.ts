/**
 * Taking a seat, in SQL, in one statement: the conditional `UPDATE offering_seats … taken <
 * capacity` (its row lock serialises racers for the same seat), the enrolment row (enrolled when the
 * update took a seat, else waitlisted with its queue key), and the audit record. The seat's UNIQUE
 * key and the idempotency key stop a second row; should a duplicate race past the first check after
 * taking a seat, the guard divides by zero and the whole statement rolls back. The CHECK
 * (taken <= capacity) is the backstop. (docs: "Correctness where it matters most")
 */
import type { Actor } from '../../auth/actor';
import type { Exec } from '../../db/exec';
import type { PublishedOffering } from './published';

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
  return existingSeat(exec, r);
}

/** The pupil's row for that seat, or the row an earlier request with the same idempotency key wrote. */
export async function existingSeat(
  exec: Exec,
  r: Pick<SeatRequest, 'schoolId' | 'offeringId' | 'weekday' | 'studentId' | 'idempotencyKey'>,
): Promise<SeatResult> {
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

// ------------------------------------------------------------------ the rush: checks and seat in one

/** Every check of a guardian's seat request in one round trip (R1, consent, own child, published
 * offering, window, application, agreements): $1 school, $2 account, $3 pupil, $4 offering, $5 notice version. */
export const SEAT_CHECKS_SQL = `
SELECT st.id AS student_id, st.grade,
       EXISTS (SELECT 1 FROM consents c WHERE c.school_id = $1::uuid AND c.account_id = $2::uuid AND c.notice_version = $5::text) AS consented,
       o.id AS offering_id, p.term_id, t.starts_on::text AS starts_on, t.ends_on::text AS ends_on, t.apply_opens_at, t.apply_closes_at,
       pv.version AS plan_version, pv.offering,
       ap.status AS application_status,
       (SELECT count(DISTINCT x.kind) FROM agreement_signatures sg
          JOIN agreement_texts x ON x.school_id = sg.school_id AND x.id = sg.text_id
         WHERE sg.school_id = $1::uuid AND sg.term_id = p.term_id AND sg.student_id = st.id)::int AS signed_kinds
  FROM (SELECT 1) one
  LEFT JOIN students st ON st.school_id = $1::uuid AND st.id = $3::uuid AND st.active
        AND EXISTS (SELECT 1 FROM student_guardians l JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id
                     WHERE l.school_id = $1::uuid AND l.student_id = st.id AND g.account_id = $2::uuid)
  LEFT JOIN offerings o ON o.school_id = $1::uuid AND o.id = $4::uuid
  LEFT JOIN plans p ON p.school_id = $1::uuid AND p.id = o.plan_id
  LEFT JOIN terms t ON t.school_id = $1::uuid AND t.id = p.term_id
  LEFT JOIN LATERAL (
    SELECT v.version, (SELECT e FROM jsonb_array_elements(v.snapshot -> 'offerings') e WHERE e ->> 'id' = $4::text LIMIT 1) AS offering
      FROM plan_versions v WHERE v.school_id = $1::uuid AND v.plan_id = p.id AND v.status = 'published'
     ORDER BY v.version DESC LIMIT 1) pv ON true
  LEFT JOIN applications ap ON ap.school_id = $1::uuid AND ap.term_id = p.term_id AND ap.student_id = st.id`;

export interface CheckRow {
  student_id: string | null;
  grade: number | null;
  consented: boolean;
  offering_id: string | null;
  term_id: string | null;
  starts_on: string;
  ends_on: string;
  apply_opens_at: Date | string | null;
  apply_closes_at: Date | string | null;
  plan_version: number | null;
  offering: PublishedOffering | null;
  application_status: string | null;
  signed_kinds: number;
}

const renumber = (text: string, to: Record<number, number>) => text.replace(/\$(\d+)/g, (_m, n: string) => `$${to[Number(n)]}`);

/**
 * The checks and TAKE in one statement, for one weekday: $1 school, $2 offering, $3 weekday,
 * $4 pupil, $5 idempotency key, $6 account, $7 name, $8 roles, $9 ip, $10 notice version, $11 the
 * request's time, $12 its date in China. `gate.ok` holds only where every check of requestSeats
 * (seats.routes.ts) passes at $11 — the same instant the application judges — so nothing is written
 * for a request the application then refuses; the caller still judges the returned check columns.
 */
const CHECKED_TAKE = `
WITH c AS MATERIALIZED (${renumber(SEAT_CHECKS_SQL, { 1: 1, 2: 6, 3: 4, 4: 2, 5: 10 })}
), gate AS (
  SELECT c.*, (c.consented AND c.student_id IS NOT NULL AND c.plan_version IS NOT NULL AND c.offering IS NOT NULL
     AND (c.apply_opens_at IS NOT NULL OR c.apply_closes_at IS NOT NULL)
     AND (c.apply_opens_at IS NULL OR $11::timestamptz >= c.apply_opens_at)
     AND (c.apply_closes_at IS NULL OR $11::timestamptz <= c.apply_closes_at)
     AND c.offering ->> 'allocation' = 'fcfs'
     AND (NULLIF(c.offering ->> 'opensAt', '') IS NULL OR (c.offering ->> 'opensAt')::timestamptz <= $11::timestamptz)
     AND jsonb_typeof(c.offering -> 'weekdays') = 'array' AND (c.offering -> 'weekdays') @> to_jsonb($3::int)
     AND c.grade BETWEEN (c.offering ->> 'gradeMin')::int AND (c.offering ->> 'gradeMax')::int
     AND c.application_status IN ('submitted', 'approved')
     AND c.signed_kinds >= 2) IS TRUE AS ok
    FROM c
), prior AS (
  SELECT id FROM enrollments
   WHERE (SELECT ok FROM gate) AND school_id = $1::uuid
     AND ((offering_id = $2::uuid AND weekday = $3::smallint AND student_id = $4::uuid)
          OR ($5::text IS NOT NULL AND idempotency_key = $5::text))
), seat AS (
  UPDATE offering_seats SET taken = taken + 1
   WHERE school_id = $1::uuid AND offering_id = $2::uuid AND weekday = $3::smallint AND taken < capacity
     AND (SELECT ok FROM gate) AND NOT EXISTS (SELECT 1 FROM prior)
  RETURNING taken
), ins AS (
  INSERT INTO enrollments (school_id, id, term_id, student_id, offering_id, weekday, status, queue_key,
                           effective_from, effective_to, source, idempotency_key)
  SELECT $1::uuid, gen_random_uuid(), gate.term_id, $4::uuid, $2::uuid, $3::smallint,
         CASE WHEN EXISTS (SELECT 1 FROM seat) THEN 'enrolled' ELSE 'waitlisted' END,
         extract(epoch FROM clock_timestamp()) * 1000,
         CASE WHEN EXISTS (SELECT 1 FROM seat) THEN GREATEST($12::date, gate.starts_on::date) END,
         CASE WHEN EXISTS (SELECT 1 FROM seat) THEN gate.ends_on::date END,
         'fcfs', $5::text
    FROM gate
   WHERE gate.ok AND NOT EXISTS (SELECT 1 FROM prior)
  ON CONFLICT DO NOTHING
  RETURNING id, status, queue_key
), aud AS (
  INSERT INTO audit_log (school_id, id, account_id, actor_name, role, action, entity, entity_id, ip, detail)
  SELECT $1::uuid, gen_random_uuid(), $6::uuid, $7::text, $8::text, 'enrollment.request', 'enrollment', ins.id::text, $9::text,
         jsonb_build_object('studentId', $4::uuid, 'offeringId', $2::uuid, 'weekday', $3::smallint, 'status', ins.status, 'source', 'fcfs')
    FROM ins
)
SELECT gate.*, ins.id AS seat_id, ins.status AS seat_status,
       CASE WHEN ins.status = 'waitlisted' THEN 1 + (
         SELECT count(*) FROM enrollments e
          WHERE e.school_id = $1::uuid AND e.offering_id = $2::uuid AND e.weekday = $3::smallint
            AND e.status = 'waitlisted' AND (e.queue_key, e.id) < (ins.queue_key, ins.id))::int END AS position,
       CASE WHEN EXISTS (SELECT 1 FROM seat) THEN 1 / (SELECT count(*) FROM ins)::int END AS guard
  FROM gate LEFT JOIN ins ON true`;

export const CHECKED_TAKE_SQL = CHECKED_TAKE;

interface CheckedRow extends CheckRow {
  ok: boolean;
  seat_id: string | null;
  seat_status: string | null;
  position: number | null;
}

/**
 * Checks and takes one seat in one statement. Returns the checks' row with `ok` (the gate passed)
 * and `result` (a new place was written), or undefined when a twin request of the same pupil won the
 * insert after this one took the seat (the statement rolled back: nothing written).
 */
export async function takeCheckedSeat(
  exec: Exec,
  actor: Pick<Actor, 'accountId' | 'displayName' | 'roles' | 'ip'>,
  r: {
    schoolId: string;
    studentId: string;
    offeringId: string;
    weekday: number;
    idempotencyKey: string | null;
    noticeVersion: string;
    now: Date;
    today: string;
  },
): Promise<(CheckRow & { ok: boolean; result: SeatResult | null }) | undefined> {
  let row: CheckedRow | undefined;
  try {
    [row] = await exec<CheckedRow>('enroll_checked_seat', CHECKED_TAKE, [
      r.schoolId,
      r.offeringId,
      r.weekday,
      r.studentId,
      r.idempotencyKey,
      actor.accountId,
      actor.displayName,
      actor.roles.join(','),
      actor.ip,
      r.noticeVersion,
      r.now.toISOString(),
      r.today,
    ]);
  } catch (e) {
    if (!isGuard(e)) throw e;
    return undefined;
  }
  const result: SeatResult | null = row.seat_id
    ? {
        id: row.seat_id,
        status: row.seat_status as string,
        created: true,
        position: row.position,
        offeringId: r.offeringId,
        weekday: r.weekday,
      }
    : null;
  return { ...row, ok: row.ok, result };
}
