/**
 * The pgbench scripts for enroll-rush: the very statements one seat request runs, in order — the
 * session lookup (SESSION_SQL of loadActor) and the one statement that checks and takes the seat
 * with its audit record (CHECKED_TAKE_SQL) — with the request's values written in: one script per
 * offering (pgbench picks one at random per transaction) and a random family `:i` per transaction.
 */
import { PRIVACY_NOTICE_VERSION } from '../src/shared/roster';
import { SESSION_SQL } from '../src/server/auth/actor';
import { CHECKED_TAKE_SQL } from '../src/server/modules/enrollment/seats';

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
      bind(SESSION_SQL, {
        1: `encode(sha256(convert_to('rush-' || (:i)::text, 'UTF8')), 'hex')`,
        2: `(now() AT TIME ZONE 'Asia/Shanghai')::date`,
      }),
      bind(CHECKED_TAKE_SQL, {
        1: lit(o.schoolId),
        2: lit(off.id),
        3: String(off.weekday),
        4: student,
        5: `'pgbench-' || (:i)::text || '-${k}'`,
        6: account,
        7: "'家长'",
        8: "'guardian'",
        9: "'127.0.0.1'",
        10: lit(PRIVACY_NOTICE_VERSION),
        11: 'now()',
        12: `(now() AT TIME ZONE 'Asia/Shanghai')::date`,
      }),
      '',
    ].join('\n');
  });
}
