/**
 * The waitlist: when a seat frees (withdrawal, rejection, an offer declined or expired) the first
 * pupil waiting (lowest queue key) is offered it with a deadline and told; confirming takes it, an
 * offer that expires passes to the next. An offered seat stays counted in `taken`, so nobody jumps
 * the queue while the family decides; with nobody waiting the counter goes down.
 */
import { sql } from 'drizzle-orm';
import { chinaShortDateTime } from '../../../shared/china-time';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { auditLog } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { notifyGuardians } from './notify';
import { effectiveDates } from './published';
import { loadSettings } from './settings';

/** Who did it: a person, or the system (expired offers). */
export type By = Actor | null;

async function record(tx: Db, by: By, schoolId: string, action: string, entityId: string, detail: Record<string, unknown>) {
  if (by) return audit(tx, by, schoolId, { action, entity: 'enrollment', entityId, detail });
  await tx
    .insert(auditLog)
    .values({ schoolId, id: newId(), accountId: null, actorName: '系统', role: 'system', action, entity: 'enrollment', entityId, detail });
}

interface Next {
  id: string;
  student_id: string;
  name: string;
  offering_name: string;
}

/**
 * A seat of (offering, weekday) was given up by a row already moved out of enrolled/offered:
 * offer it to the first waiting, or count it free. Call inside the transaction that freed it.
 */
export async function freeSeat(
  tx: Db,
  by: By,
  schoolId: string,
  offeringId: string,
  weekday: number,
  now = new Date(),
): Promise<string | null> {
  await tx.execute(
    sql`SELECT 1 FROM offering_seats WHERE school_id = ${schoolId} AND offering_id = ${offeringId} AND weekday = ${weekday} FOR UPDATE`,
  );
  const [next] = await queryRows<Next>(
    tx,
    sql`SELECT e.id, e.student_id, s.name, o.name AS offering_name FROM enrollments e
          JOIN students s ON s.school_id = e.school_id AND s.id = e.student_id
          JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id
         WHERE e.school_id = ${schoolId} AND e.offering_id = ${offeringId} AND e.weekday = ${weekday} AND e.status = 'waitlisted'
         ORDER BY e.queue_key, e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED`,
  );
  if (!next) {
    await tx.execute(sql`UPDATE offering_seats SET taken = taken - 1
                          WHERE school_id = ${schoolId} AND offering_id = ${offeringId} AND weekday = ${weekday} AND taken > 0`);
    return null;
  }
  const { offerHours } = await loadSettings(tx, schoolId);
  const expires = new Date(now.getTime() + offerHours * 3_600_000);
  await tx.execute(sql`UPDATE enrollments SET status = 'offered', offer_expires_at = ${expires}, updated_at = now()
                        WHERE school_id = ${schoolId} AND id = ${next.id}`);
  await record(tx, by, schoolId, 'enrollment.offered', next.id, {
    studentId: next.student_id,
    offeringId,
    weekday,
    expiresAt: expires.toISOString(),
  });
  await notifyGuardians(tx, schoolId, next.student_id, {
    kind: 'enrollment.offered',
    title: `候补递补：${next.name}可以参加「${next.offering_name}」`,
    body: `有名额空出，请在 ${chinaShortDateTime(expires)} 前确认，逾期名额将顺延给下一位。`,
    link: '/m/apply',
    payload: { enrollmentId: next.id, offeringId, weekday, expiresAt: expires.toISOString() },
  });
  return next.id;
}

interface EnrollmentRow {
  id: string;
  status: string;
  student_id: string;
  offering_id: string;
  weekday: number;
  term_id: string;
  offer_expires_at: Date | string | null;
}

async function lockRow(tx: Db, schoolId: string, id: string): Promise<EnrollmentRow | undefined> {
  const [row] = await queryRows<EnrollmentRow>(
    tx,
    sql`SELECT id, status, student_id, offering_id, weekday, term_id, offer_expires_at FROM enrollments
         WHERE school_id = ${schoolId} AND id = ${id} FOR UPDATE`,
  );
  return row;
}

/**
 * Ends a place: enrolled/offered/waitlisted → withdrawn (or rejected); a held seat passes on.
 * Returns false when the row held nothing any more.
 */
export async function endPlace(
  tx: Db,
  by: By,
  schoolId: string,
  id: string,
  to: 'withdrawn' | 'rejected',
  reason: string,
  now = new Date(),
) {
  const row = await lockRow(tx, schoolId, id);
  if (!row || !['enrolled', 'offered', 'waitlisted'].includes(row.status)) return false;
  await tx.execute(sql`UPDATE enrollments SET status = ${to}, offer_expires_at = NULL, updated_at = now(),
                              effective_to = CASE WHEN status = 'enrolled' THEN (now() AT TIME ZONE 'Asia/Shanghai')::date ELSE effective_to END
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  await record(tx, by, schoolId, `enrollment.${to}`, id, {
    studentId: row.student_id,
    offeringId: row.offering_id,
    weekday: row.weekday,
    from: row.status,
    reason,
  });
  if (row.status === 'enrolled' || row.status === 'offered') await freeSeat(tx, by, schoolId, row.offering_id, Number(row.weekday), now);
  return true;
}

/** The family confirms an offered seat before its deadline. */
export async function confirmOffer(
  tx: Db,
  by: Actor,
  schoolId: string,
  id: string,
  term: { startsOn: string; endsOn: string },
  now = new Date(),
) {
  const row = await lockRow(tx, schoolId, id);
  if (!row || row.status !== 'offered') throw new AppError(409, 'NOT_OFFERED', '这个名额不在待确认状态');
  if (row.offer_expires_at && new Date(row.offer_expires_at) <= now) throw new AppError(409, 'OFFER_EXPIRED', '确认期限已过，名额已顺延');
  const { from, to } = effectiveDates(term, now);
  await tx.execute(sql`UPDATE enrollments SET status = 'enrolled', offer_expires_at = NULL, effective_from = ${from}, effective_to = ${to}, updated_at = now()
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  await record(tx, by, schoolId, 'enrollment.confirmed', id, {
    studentId: row.student_id,
    offeringId: row.offering_id,
    weekday: row.weekday,
  });
}

/**
 * Offers past their deadline pass to the next on the list. Runs periodically in-process (and on
 * any number of processes: rows are claimed with SKIP LOCKED). Returns how many expired.
 */
export async function expireOffers(db: Db, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await queryRows<{
        school_id: string;
        id: string;
        student_id: string;
        offering_id: string;
        weekday: number;
        name: string;
      }>(
        tx,
        sql`SELECT e.school_id, e.id, e.student_id, e.offering_id, e.weekday, o.name FROM enrollments e
              JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id
             WHERE e.status = 'offered' AND e.offer_expires_at <= ${now}
             ORDER BY e.offer_expires_at LIMIT 50 FOR UPDATE OF e SKIP LOCKED`,
      );
      for (const r of rows) {
        await tx.execute(sql`UPDATE enrollments SET status = 'withdrawn', offer_expires_at = NULL, updated_at = now()
                              WHERE school_id = ${r.school_id} AND id = ${r.id}`);
        await record(tx, null, r.school_id, 'enrollment.offer_expired', r.id, {
          studentId: r.student_id,
          offeringId: r.offering_id,
          weekday: r.weekday,
        });
        await notifyGuardians(tx, r.school_id, r.student_id, {
          kind: 'enrollment.offer_expired',
          title: `「${r.name}」的候补名额已过期`,
          body: '确认期限已过，名额已顺延给下一位候补。',
          link: '/m/apply',
          payload: { enrollmentId: r.id },
        });
        await freeSeat(tx, null, r.school_id, r.offering_id, Number(r.weekday), now);
      }
      return rows.length;
    });
    total += n;
    if (n < 50) return total;
  }
}

/**
 * A pupil whose place ended (withdrawn) asks again: back on the waitlist at the end, or straight
 * into a free seat when no one waits.
 */
export async function rejoin(
  tx: Db,
  by: Actor,
  schoolId: string,
  id: string,
  idempotencyKey: string | null,
  term: { startsOn: string; endsOn: string },
) {
  const row = await lockRow(tx, schoolId, id);
  if (!row || row.status !== 'withdrawn') return false;
  const [seat] = await queryRows<{ taken: number }>(
    tx,
    sql`UPDATE offering_seats SET taken = taken + 1
         WHERE school_id = ${schoolId} AND offering_id = ${row.offering_id} AND weekday = ${row.weekday} AND taken < capacity
           AND NOT EXISTS (SELECT 1 FROM enrollments w WHERE w.school_id = ${schoolId} AND w.offering_id = ${row.offering_id}
                              AND w.weekday = ${row.weekday} AND w.status = 'waitlisted')
         RETURNING taken`,
  );
  const { from, to } = effectiveDates(term);
  await tx.execute(sql`UPDATE enrollments SET status = ${seat ? 'enrolled' : 'waitlisted'},
                              queue_key = extract(epoch FROM clock_timestamp()) * 1000,
                              effective_from = ${seat ? from : null}, effective_to = ${seat ? to : null},
                              idempotency_key = COALESCE(${idempotencyKey}::text, idempotency_key), updated_at = now()
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  await record(tx, by, schoolId, 'enrollment.request', id, {
    studentId: row.student_id,
    offeringId: row.offering_id,
    weekday: row.weekday,
    status: seat ? 'enrolled' : 'waitlisted',
    rejoin: true,
  });
  return true;
}

/** "候补第 N 位" for each of the given waitlisted rows. */
export async function positions(db: Db, schoolId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; position: number }>(
    db,
    sql`SELECT e.id, 1 + (SELECT count(*) FROM enrollments w
                           WHERE w.school_id = e.school_id AND w.offering_id = e.offering_id AND w.weekday = e.weekday
                             AND w.status = 'waitlisted' AND (w.queue_key, w.id) < (e.queue_key, e.id))::int AS position
          FROM enrollments e WHERE e.school_id = ${schoolId} AND e.status = 'waitlisted'
           AND e.id IN (${sql.join(
             ids.map((i) => sql`${i}`),
             sql`, `,
           )})`,
  );
  return new Map(rows.map((r) => [r.id, Number(r.position)]));
}
