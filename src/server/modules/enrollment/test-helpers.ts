/** Shared set-up of the enrolment HTTP tests: school ids, the demo parent's child, sessions as clients. */
import { sql } from 'drizzle-orm';
import type { KehouApp } from '../../app';
import { type Db, queryRows } from '../../db/client';
import { type Client, request } from '../../test/harness';
import type { GuardianSession } from './test-fixtures';

export async function schoolIdOf(db: Db, code: string) {
  const [s] = await queryRows<{ id: string }>(db, sql`SELECT id FROM schools WHERE code = ${code}`);
  return s.id;
}

/** The demo parent's (13900000001) child in the school. */
export async function demoChild(db: Db, schoolId: string) {
  const [c] = await queryRows<{ id: string; grade: number; class_id: string; account_id: string }>(
    db,
    sql`SELECT s.id, s.grade, s.class_id, g.account_id FROM students s
          JOIN student_guardians l ON l.school_id = s.school_id AND l.student_id = s.id
          JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id
         WHERE s.school_id = ${schoolId} AND g.phone = '13900000001'`,
  );
  return c;
}

/** A client speaking as a session made by the fixtures. */
export function clientOf(app: KehouApp, s: Pick<GuardianSession, 'cookie' | 'csrf'>): Client {
  const send = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(app, method, url, body, { cookie: s.cookie, 'x-csrf-token': s.csrf, ...headers });
  return {
    cookie: s.cookie,
    csrf: s.csrf,
    send,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body ?? {}),
    patch: (url, body) => send('PATCH', url, body ?? {}),
    delete: (url) => send('DELETE', url),
  };
}

export async function count(db: Db, q: ReturnType<typeof sql>): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db, q);
  return Number(r.n);
}

/** taken = enrolled + offered on every seat of the school (the counter never drifts). */
export async function seatCounterDrift(db: Db, schoolId: string) {
  return queryRows<{ offering_id: string; weekday: number; taken: number; held: number }>(
    db,
    sql`SELECT s.offering_id, s.weekday, s.taken,
               (SELECT count(*) FROM enrollments e WHERE e.school_id = s.school_id AND e.offering_id = s.offering_id
                   AND e.weekday = s.weekday AND e.status IN ('enrolled', 'offered'))::int AS held
          FROM offering_seats s WHERE s.school_id = ${schoolId}
           AND s.taken <> (SELECT count(*) FROM enrollments e WHERE e.school_id = s.school_id AND e.offering_id = s.offering_id
                   AND e.weekday = s.weekday AND e.status IN ('enrolled', 'offered'))`,
  );
}
