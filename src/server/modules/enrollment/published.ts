/**
 * The contract with the plan module: an offering is open for enrolment iff it appears in the latest
 * plan_versions row with status 'published' for its plan. Offerings are read from that snapshot
 * (what guardians were shown), the application window from the live term.
 */
import { sql } from 'drizzle-orm';
import { todayInChina } from '../../../shared/china-time';
import { type Db, queryRows } from '../../db/client';
import { notFound } from '../../lib/errors';

/** One offering as the published snapshot carries it. */
export interface PublishedOffering {
  id: string;
  kind: 'care' | 'club';
  category: string;
  name: string;
  description: string;
  slot: string;
  gradeMin: number;
  gradeMax: number;
  weekdays: number[];
  capacity: number;
  venueId: string | null;
  venueName: string | null;
  teacherStaffId: string | null;
  teacherName: string | null;
  providerName: string;
  feeMode: string;
  feeFen: number;
  allocation: 'fcfs' | 'ranked' | 'lottery' | 'approval';
  opensAt: string | null;
}

export interface TermRow {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  applyOpensAt: Date | null;
  applyClosesAt: Date | null;
}

export interface PublishedPlan {
  term: TermRow;
  planId: string;
  version: number;
  publishedAt: Date | null;
  /** the snapshot's slots, as the plan module wrote them */
  slots: unknown[];
  offerings: PublishedOffering[];
}

interface Row {
  term_id: string;
  name: string;
  starts_on: string;
  ends_on: string;
  apply_opens_at: Date | string | null;
  apply_closes_at: Date | string | null;
  plan_id: string | null;
  version: number | null;
  published_at: Date | string | null;
  snapshot: { slots?: unknown[]; offerings?: PublishedOffering[] } | null;
}

const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

function toPlan(r: Row): PublishedPlan | null {
  if (!r.plan_id || !r.snapshot) return null;
  return {
    term: termOf(r),
    planId: r.plan_id,
    version: Number(r.version),
    publishedAt: asDate(r.published_at),
    slots: r.snapshot.slots ?? [],
    offerings: (r.snapshot.offerings ?? []).map((o) => ({ ...o, weekdays: (o.weekdays ?? []).map(Number) })),
  };
}

const termOf = (r: Row): TermRow => ({
  id: r.term_id,
  name: r.name,
  startsOn: String(r.starts_on).slice(0, 10),
  endsOn: String(r.ends_on).slice(0, 10),
  applyOpensAt: asDate(r.apply_opens_at),
  applyClosesAt: asDate(r.apply_closes_at),
});

const SELECT = sql`
  SELECT t.id AS term_id, t.name, t.starts_on::text AS starts_on, t.ends_on::text AS ends_on, t.apply_opens_at, t.apply_closes_at,
         pv.plan_id, pv.version, pv.published_at, pv.snapshot
    FROM terms t
    LEFT JOIN plans p ON p.school_id = t.school_id AND p.term_id = t.id
    LEFT JOIN LATERAL (
      SELECT v.plan_id, v.version, v.published_at, v.snapshot FROM plan_versions v
       WHERE v.school_id = p.school_id AND v.plan_id = p.id AND v.status = 'published'
       ORDER BY v.version DESC LIMIT 1) pv ON true`;

/** The term (404 when not this school's) and its published plan (null when none). */
export async function termWithPlan(db: Db, schoolId: string, termId: string): Promise<{ term: TermRow; plan: PublishedPlan | null }> {
  const [row] = await queryRows<Row>(db, sql`${SELECT} WHERE t.school_id = ${schoolId} AND t.id = ${termId}`);
  if (!row) throw notFound('学期');
  return { term: termOf(row), plan: toPlan(row) };
}

/** Terms that have a published plan, the one whose window is open (or opens next) first. */
export async function publishedTerms(db: Db, schoolId: string): Promise<PublishedPlan[]> {
  const rows = await queryRows<Row>(
    db,
    sql`${SELECT} WHERE t.school_id = ${schoolId} AND pv.plan_id IS NOT NULL ORDER BY t.starts_on DESC`,
  );
  const plans = rows.map(toPlan).filter((p): p is PublishedPlan => !!p);
  const now = Date.now();
  const rank = (p: PublishedPlan) => {
    const opens = p.term.applyOpensAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    const closes = p.term.applyClosesAt?.getTime() ?? Number.POSITIVE_INFINITY;
    if (opens <= now && now <= closes) return 0;
    if (opens > now) return 1;
    return 2;
  };
  return plans.sort((a, b) => rank(a) - rank(b));
}

export type WindowState = 'open' | 'not_yet' | 'closed';
export function windowState(term: Pick<TermRow, 'applyOpensAt' | 'applyClosesAt'>, now = new Date()): WindowState {
  if (term.applyOpensAt && now < term.applyOpensAt) return 'not_yet';
  if (term.applyClosesAt && now > term.applyClosesAt) return 'closed';
  if (!term.applyOpensAt && !term.applyClosesAt) return 'closed';
  return 'open';
}

/** Today in Asia/Shanghai as YYYY-MM-DD (shared/china-time.ts). */
export { todayInChina };

/** An enrolment starts on the later of the term's first day and today, and ends with the term. */
export const effectiveDates = (term: Pick<TermRow, 'startsOn' | 'endsOn'>, now = new Date()) => {
  const today = todayInChina(now);
  return { from: today > term.startsOn ? today : term.startsOn, to: term.endsOn };
};
