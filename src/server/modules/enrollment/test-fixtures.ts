/**
 * Fixtures for the enrolment tests, the benchmark and the demo: a term with a published plan made by
 * inserting rows directly (the plan module's routes are not needed), guardian sessions created in the
 * database (no password hashing), signatures and applications.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { PRIVACY_NOTICE_VERSION } from '../../../shared/roster';
import { type Db, queryRows } from '../../db/client';
import { newId } from '../../lib/ids';
import type { PublishedOffering } from './published';
import { currentTexts } from './texts';

export type OfferingSpec = Partial<Omit<PublishedOffering, 'id'>> & { name: string };

export interface PublishedFixture {
  termId: string;
  planId: string;
  offerings: PublishedOffering[];
}

const HOUR = 3_600_000;

/** A term (window open now unless told otherwise), a plan, its offerings, a published version and the seats. */
export async function publishPlan(
  db: Db,
  schoolId: string,
  opts: {
    offerings: OfferingSpec[];
    termName?: string;
    applyOpensAt?: Date | null;
    applyClosesAt?: Date | null;
    startsOn?: string;
    endsOn?: string;
    publish?: boolean;
    id?: () => string;
  },
): Promise<PublishedFixture> {
  const id = opts.id ?? newId;
  const termId = id();
  const planId = id();
  const opens = opts.applyOpensAt === undefined ? new Date(Date.now() - 24 * HOUR) : opts.applyOpensAt;
  const closes = opts.applyClosesAt === undefined ? new Date(Date.now() + 7 * 24 * HOUR) : opts.applyClosesAt;
  const startsOn = opts.startsOn ?? '2026-09-01';
  const endsOn = opts.endsOn ?? '2027-01-22';
  const name = opts.termName ?? `测试学期 ${termId.slice(0, 8)}`;
  await db.execute(sql`INSERT INTO terms (school_id, id, name, starts_on, ends_on, apply_opens_at, apply_closes_at)
                       VALUES (${schoolId}, ${termId}, ${name}, ${startsOn}, ${endsOn}, ${opens}, ${closes})`);
  await db.execute(
    sql`INSERT INTO plans (school_id, id, term_id, status) VALUES (${schoolId}, ${planId}, ${termId}, ${opts.publish === false ? 'draft' : 'published'})`,
  );
  const offerings: PublishedOffering[] = opts.offerings.map((o) => ({
    id: id(),
    kind: o.kind ?? 'club',
    category: o.category ?? 'sport',
    name: o.name,
    description: o.description ?? '',
    slot: o.slot ?? 'afternoon',
    gradeMin: o.gradeMin ?? 1,
    gradeMax: o.gradeMax ?? 6,
    weekdays: o.weekdays ?? [1, 2, 3, 4, 5],
    capacity: o.capacity ?? 30,
    venueId: null,
    venueName: o.venueName ?? null,
    teacherStaffId: null,
    teacherName: o.teacherName ?? null,
    providerName: o.providerName ?? '',
    feeMode: o.feeMode ?? 'free',
    feeFen: o.feeFen ?? 0,
    allocation: o.allocation ?? 'approval',
    opensAt: o.opensAt ?? null,
  }));
  for (const o of offerings) {
    await db.execute(sql`INSERT INTO offerings (school_id, id, plan_id, kind, category, name, description, slot, grade_min, grade_max, weekdays,
                           capacity, provider_name, fee_mode, fee_fen, allocation, opens_at)
                         VALUES (${schoolId}, ${o.id}, ${planId}, ${o.kind}, ${o.category}, ${o.name}, ${o.description}, ${o.slot}, ${o.gradeMin},
                           ${o.gradeMax}, ${`{${o.weekdays.join(',')}}`}::smallint[], ${o.capacity}, ${o.providerName}, ${o.feeMode}, ${o.feeFen},
                           ${o.allocation}, ${o.opensAt})`);
  }
  if (opts.publish !== false) {
    const snapshot = {
      term: {
        id: termId,
        name,
        startsOn,
        endsOn,
        winterFrom: null,
        summerFrom: null,
        applyOpensAt: opens?.toISOString() ?? null,
        applyClosesAt: closes?.toISOString() ?? null,
      },
      plan: { id: planId, version: 1, safetyMeasures: '', complaintPhone: '', complaintChannel: '', feeBasis: '', settings: {} },
      slots: [
        { slot: 'afternoon', season: 'summer', gradeBand: 'all', startTime: '16:00', endTime: '18:00' },
        { slot: 'late', season: 'summer', gradeBand: 'all', startTime: '18:00', endTime: '18:00' },
      ],
      offerings,
      school: { id: schoolId, name: '', code: '', phone: '', address: '' },
    };
    await db.execute(sql`INSERT INTO plan_versions (school_id, plan_id, version, status, snapshot, published_at)
                         VALUES (${schoolId}, ${planId}, 1, 'published', ${JSON.stringify(snapshot)}::jsonb, now())`);
    for (const o of offerings) {
      for (const wd of o.weekdays) {
        await db.execute(sql`INSERT INTO offering_seats (school_id, offering_id, weekday, capacity) VALUES (${schoolId}, ${o.id}, ${wd}, ${o.capacity})
                             ON CONFLICT DO NOTHING`);
      }
    }
  }
  return { termId, planId, offerings };
}

/** Both agreements signed for the pupil and term (as the guardian's account). */
export async function signAgreements(db: Db, schoolId: string, termId: string, studentId: string, accountId: string) {
  for (const t of await currentTexts(db, schoolId)) {
    await db.execute(sql`INSERT INTO agreement_signatures (school_id, term_id, student_id, text_id, account_id, text_hash, ip)
                         VALUES (${schoolId}, ${termId}, ${studentId}, ${t.id}, ${accountId}, ${t.sha256}, '127.0.0.1') ON CONFLICT DO NOTHING`);
  }
}

/** A submitted (or approved) application without choices. */
export async function insertApplication(
  db: Db,
  schoolId: string,
  termId: string,
  studentId: string,
  accountId: string,
  status = 'submitted',
  priorityCategory: string | null = null,
) {
  const id = newId();
  await db.execute(sql`INSERT INTO applications (school_id, id, term_id, student_id, account_id, status, priority_category, priority_note)
                       VALUES (${schoolId}, ${id}, ${termId}, ${studentId}, ${accountId}, ${status}, ${priorityCategory}, ${priorityCategory ? '情况说明' : ''})`);
  return id;
}

export interface GuardianSession {
  accountId: string;
  studentId: string;
  cookie: string;
  csrf: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * For each pupil: a guardian account of theirs (the first linked one with a login), its consent to
 * the data notice, and a fresh session row; returns the cookie and CSRF token to call the API with.
 */
export async function guardianSessions(db: Db, schoolId: string, studentIds: string[]): Promise<GuardianSession[]> {
  if (studentIds.length === 0) return [];
  const rows = await queryRows<{ student_id: string; account_id: string }>(
    db,
    sql`SELECT DISTINCT ON (l.student_id) l.student_id, g.account_id FROM student_guardians l
          JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id
         WHERE l.school_id = ${schoolId} AND g.account_id IS NOT NULL AND l.student_id IN (${sql.join(
           studentIds.map((s) => sql`${s}`),
           sql`, `,
         )})
         ORDER BY l.student_id, l.is_primary DESC, g.phone`,
  );
  const out: GuardianSession[] = [];
  for (const r of rows) {
    const token = randomBytes(24).toString('base64url');
    const csrf = randomBytes(16).toString('base64url');
    await db.execute(sql`INSERT INTO sessions (token_hash, account_id, csrf_token, active_school_id, ip, expires_at)
                         VALUES (${sha(token)}, ${r.account_id}, ${csrf}, ${schoolId}, '127.0.0.1', now() + interval '1 day')`);
    await db.execute(
      sql`INSERT INTO consents (school_id, account_id, notice_version) VALUES (${schoolId}, ${r.account_id}, ${PRIVACY_NOTICE_VERSION}) ON CONFLICT DO NOTHING`,
    );
    out.push({ accountId: r.account_id, studentId: r.student_id, cookie: `kehou_sid=${token}`, csrf });
  }
  return out;
}

/** Pupils of the school, optionally of some grades, in a stable order. */
export async function pupils(db: Db, schoolId: string, opts: { grades?: number[]; limit?: number } = {}) {
  const rows = await queryRows<{ id: string; grade: number }>(
    db,
    sql`SELECT id, grade FROM students WHERE school_id = ${schoolId} AND active
          ${
            opts.grades
              ? sql`AND grade IN (${sql.join(
                  opts.grades.map((g) => sql`${g}`),
                  sql`, `,
                )})`
              : sql``
          }
        ORDER BY student_no LIMIT ${opts.limit ?? 100000}`,
  );
  return rows;
}
