/**
 * The pgbench scripts for enroll-rush: the very statements one seat request runs, in order — the
 * session lookup (as loadActor), the checks (SEAT_CHECKS_SQL) and the seat-taking statement with its
 * audit record (TAKE_SEAT_SQL) — with the request's values written in: one script per offering
 * (pgbench picks one at random per transaction) and a random family `:i` per transaction.
 */
import { PRIVACY_NOTICE_VERSION } from '../src/shared/roster';
import { TAKE_SEAT_SQL } from '../src/server/modules/enrollment/seats';
import { SEAT_CHECKS_SQL } from '../src/server/modules/enrollment/seats.routes';

/** The session lookup of src/server/auth/actor.ts (loadActor), with the token hash computed from :i. */
const SESSION = `SELECT s.token_hash, s.csrf_token, s.active_school_id, s.active_district_id,
       a.id AS account_id, a.display_name,
       (SELECT array_agg(r.role ORDER BY r.role) FROM school_roles r
         WHERE r.school_id = s.active_school_id AND r.account_id = a.id) AS school_roles,
       EXISTS (SELECT 1 FROM district_roles d
         WHERE d.district_id = s.active_district_id AND d.account_id = a.id) AS is_district
  FROM sessions s JOIN accounts a ON a.id = s.account_id
 WHERE s.token_hash = $1 AND s.expires_at > now()`;

// pgbench in prepared mode turns every `:name` into a parameter, inside string literals too: no ':x' in them.
const uuidOf = (tag: string) => `overlay(overlay(md5('rush:' || '${tag}:' || (:i)::text) placing '4' from 13) placing '8' from 17)`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

function bind(text: string, values: Record<number, string>): string {
  return `${text.replace(/\$(\d+)/g, (_m, n: string) => values[Number(n)] ?? 'NULL').trim()};`;
}

export function pgbenchScripts(o: {
  schoolId: string;
  termId: string;
  requests: number;
  offerings: { id: string; weekday: number }[];
  from: string;
  to: string;
}): string[] {
  return o.offerings.map((off, k) => {
    const student = uuidOf('s');
    const account = uuidOf('a');
    return [
      `\\set i random(1, ${o.requests})`,
      bind(SESSION, { 1: `encode(sha256(convert_to('rush-' || (:i)::text, 'UTF8')), 'hex')` }),
      bind(SEAT_CHECKS_SQL, { 1: lit(o.schoolId), 2: account, 3: student, 4: lit(off.id), 5: lit(PRIVACY_NOTICE_VERSION) }),
      bind(TAKE_SEAT_SQL, {
        1: lit(o.schoolId),
        2: lit(off.id),
        3: String(off.weekday),
        4: student,
        5: lit(o.termId),
        6: `'pgbench-' || (:i)::text || '-${k}'`,
        7: lit(o.from),
        8: lit(o.to),
        9: 'NULL',
        10: "'fcfs'",
        11: account,
        12: "'家长'",
        13: "'guardian'",
        14: "'127.0.0.1'",
      }),
      '',
    ].join('\n');
  });
}
