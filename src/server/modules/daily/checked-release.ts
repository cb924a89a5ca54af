/**
 * The pick-up peak's hot path (bench pickup-peak): a release to a listed pick-up adult, or alone with
 * the guardian's written permission, checked and written in ONE statement — today's school day, the
 * group of today and the actor's right to it (R6, R8 swaps), the closed day, an earlier write of the
 * idempotency key, the pupil present or late and not yet released, the adult valid today (R7) — then
 * the release, its audit record and the key's stored result (the caller publishes the live update).
 *
 * It writes only where every check of the long path (attendance.routes.ts `replayable` → writes.ts
 * `release`) passes, and then writes exactly what the long path writes. Anything else — a refusal, a
 * replay, a pupil released already, a racing twin with the same key — returns null having written
 * nothing, and the caller takes the long path, which answers it (its errors are the reference).
 */
import type { Actor } from '../../auth/actor';
import type { Exec } from '../../db/exec';
import { effectiveTeacherText } from '../rota/effective';

/**
 * $1 school, $2 today, $3 group, $4 pupil, $5 pick-up adult (null when alone), $6 alone, $7 key,
 * $8 account, $9 the actor leads the day (duty, office: any group), $10 name, $11 roles, $12 ip,
 * $13 the request's fingerprint.
 */
export const CHECKED_RELEASE_SQL = `
WITH term AS (
  SELECT t.id AS term_id, d.kind, d.as_weekday
    FROM terms t LEFT JOIN term_days d ON d.school_id = t.school_id AND d.term_id = t.id AND d.day = $2::date
   WHERE t.school_id = $1::uuid AND t.starts_on <= $2::date AND t.ends_on >= $2::date
   ORDER BY t.starts_on DESC LIMIT 1
), sd AS (
  SELECT term_id, CASE WHEN kind = 'holiday' THEN NULL
                       WHEN kind = 'makeup' AND as_weekday IS NOT NULL THEN as_weekday::int
                       WHEN extract(isodow FROM $2::date) > 5 THEN NULL
                       ELSE extract(isodow FROM $2::date)::int END AS weekday
    FROM term
), grp AS (
  SELECT g.term_id, ${effectiveTeacherText('$2::date')} AS teacher
    FROM care_groups g JOIN sd ON g.term_id = sd.term_id AND g.weekday = sd.weekday
   WHERE g.school_id = $1::uuid AND g.id = $3::uuid
), adult AS (
  SELECT p.id, p.name || '（' || p.relation || '）' AS to_name
    FROM pickup_persons p
   WHERE NOT $6::boolean AND p.school_id = $1::uuid AND p.student_id = $4::uuid AND p.id = $5::uuid
     AND (p.valid_from IS NULL OR p.valid_from <= $2::date) AND (p.valid_to IS NULL OR p.valid_to >= $2::date)
  UNION ALL
  SELECT NULL::uuid, '独自离校（家长书面同意）'
   WHERE $6::boolean AND EXISTS (
     SELECT 1 FROM applications ap
      WHERE ap.school_id = $1::uuid AND ap.term_id = (SELECT term_id FROM grp) AND ap.student_id = $4::uuid
        AND ap.go_home_alone AND ap.status NOT IN ('withdrawn', 'rejected'))
), gate AS (
  SELECT adult.id AS pickup_id, adult.to_name
    FROM adult
   WHERE EXISTS (SELECT 1 FROM grp WHERE $9::boolean
                    OR grp.teacher IN (SELECT s.id FROM staff s WHERE s.school_id = $1::uuid AND s.account_id = $8::uuid))
     AND NOT EXISTS (SELECT 1 FROM day_closures c WHERE c.school_id = $1::uuid AND c.day = $2::date)
     AND NOT EXISTS (SELECT 1 FROM daily_writes w WHERE $7::text IS NOT NULL AND w.school_id = $1::uuid AND w.key = $7::text)
   LIMIT 1
), upd AS (
  UPDATE attendance a
     SET handover = 'released', released_at = now(), released_to_pickup_id = gate.pickup_id, released_to_name = gate.to_name,
         released_alone = $6::boolean, released_by = $8::uuid
    FROM gate
   WHERE a.school_id = $1::uuid AND a.day = $2::date AND a.group_id = $3::uuid AND a.student_id = $4::uuid
     AND a.handover <> 'released' AND a.status IN ('present', 'late')
  RETURNING a.released_at, a.released_to_name, gate.pickup_id
), res AS (
  SELECT jsonb_build_object('studentId', $4::uuid, 'releasedAt', to_char(upd.released_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                            'releasedToName', upd.released_to_name, 'replayed', false) AS value, upd.pickup_id
    FROM upd
), claim AS (
  -- no ON CONFLICT: a twin that stored this key first makes the whole statement fail (23505), writing nothing
  INSERT INTO daily_writes (school_id, key, account_id, result)
  SELECT $1::uuid, $7::text, $8::uuid, jsonb_build_object('fp', $13::text, 'value', res.value) FROM res WHERE $7::text IS NOT NULL
), aud AS (
  INSERT INTO audit_log (school_id, id, account_id, actor_name, role, action, entity, entity_id, ip, detail)
  SELECT $1::uuid, gen_random_uuid(), $8::uuid, $10::text, $11::text, 'attendance.release', 'student', $4::text, $12::text,
         jsonb_build_object('day', $2::text, 'groupId', $3::uuid, 'pickupPersonId', res.pickup_id, 'alone', $6::boolean,
                            'to', res.value ->> 'releasedToName')
    FROM res
)
SELECT res.value FROM res`;

export interface ReleaseResult {
  studentId: string;
  releasedAt: string;
  releasedToName: string;
  replayed: boolean;
}

const isUniqueViolation = (e: unknown) => {
  for (let c = e as { code?: string; cause?: unknown } | undefined, i = 0; c && i < 4; c = c.cause as never, i++) {
    if (c.code === '23505') return true;
  }
  return false;
};

/** The release in one statement, or null when the long path must answer (nothing was written then). */
export async function checkedRelease(
  exec: Exec,
  actor: Pick<Actor, 'accountId' | 'displayName' | 'roles' | 'ip'>,
  r: {
    schoolId: string;
    day: string;
    groupId: string;
    studentId: string;
    pickupPersonId: string | null;
    alone: boolean;
    key: string | null;
    leader: boolean;
    fingerprint: string;
  },
): Promise<ReleaseResult | null> {
  try {
    const [row] = await exec<{ value: ReleaseResult }>('daily_checked_release', CHECKED_RELEASE_SQL, [
      r.schoolId,
      r.day,
      r.groupId,
      r.studentId,
      r.pickupPersonId,
      r.alone,
      r.key,
      actor.accountId,
      r.leader,
      actor.displayName,
      actor.roles.join(','),
      actor.ip,
      r.fingerprint,
    ]);
    return row ? row.value : null;
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
}
