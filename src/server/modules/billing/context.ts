/**
 * What invoicing a term needs, read once and checked before anything is written: the fees of the
 * term's PUBLISHED plan version (N13: a fee changed in a draft does not bill), the calendar, the
 * school's billing settings, and the rules that refuse a run (a later term, L1; a closed term; a
 * 代收费 provider the district has not approved, N17/L2).
 */
import { sql } from 'drizzle-orm';
import { type BillingMode, type FeeMode, FEE_MODES, type LineKind, type RefundPreset } from '../../../shared/billing';
import { type CalendarException, type CalendarTerm, type SchoolDay, schoolDays } from '../../../shared/calendar';
import { type Db, queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { isTermClosed } from '../ledger';
import { termWithPlan } from '../enrollment/published';

export interface FeeStandard {
  offeringId: string;
  name: string;
  kind: 'care' | 'club';
  lineKind: LineKind;
  feeMode: FeeMode;
  feeFen: number;
  providerName: string;
  providerApproved: boolean;
  weekdays: number[];
}

export interface BillingSettings {
  mode: BillingMode;
  refundPreset: RefundPreset;
  dueDays: number;
}

export interface TermContext {
  schoolId: string;
  termId: string;
  termName: string;
  term: CalendarTerm;
  exceptions: CalendarException[];
  /** the term's school days, computed once */
  days: SchoolDay[];
  planVersion: number;
  fees: Map<string, FeeStandard>;
  settings: BillingSettings;
  /** last period that may be billed: 'term', or the current month in month mode (L1) */
  upTo: string;
  today: string;
  /** preloaded approved leave of the whole term (pupil|offering|day), for runs over every pupil */
  leave?: Set<string>;
}

export async function billingSettingsOf(db: Db, schoolId: string): Promise<BillingSettings> {
  const [row] = await queryRows<{ mode: BillingMode; refund_preset: RefundPreset; due_days: number }>(
    db,
    sql`SELECT mode, refund_preset, due_days FROM billing_settings WHERE school_id = ${schoolId}`,
  );
  return row
    ? { mode: row.mode, refundPreset: row.refund_preset, dueDays: row.due_days }
    : { mode: 'term', refundPreset: 'by_day', dueDays: 14 };
}

/** Names of the providers the school's district approved (active). */
export async function approvedProviderNames(db: Db, schoolId: string): Promise<Set<string>> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`SELECT p.name FROM approved_providers p JOIN schools s ON s.district_id = p.district_id
         WHERE s.id = ${schoolId} AND p.status = 'active'`,
  );
  return new Set(rows.map((r) => r.name.trim()));
}

/** The fee standards of the term's published plan version (null: nothing published yet). */
export async function feeStandards(db: Db, schoolId: string, termId: string) {
  const { term, plan } = await termWithPlan(db, schoolId, termId);
  if (!plan) return { term, plan: null, fees: [] as FeeStandard[] };
  const approved = await approvedProviderNames(db, schoolId);
  const fees = plan.offerings.map((o): FeeStandard => {
    const feeMode = (FEE_MODES as readonly string[]).includes(o.feeMode) ? (o.feeMode as FeeMode) : 'free';
    const provider = (o.providerName ?? '').trim();
    const paid = feeMode !== 'free' && Number(o.feeFen) > 0;
    return {
      offeringId: o.id,
      name: o.name,
      kind: o.kind,
      lineKind: provider && paid ? 'provider' : o.kind === 'club' ? 'club' : 'service',
      feeMode,
      feeFen: Number(o.feeFen) || 0,
      providerName: provider,
      providerApproved: provider ? approved.has(provider) : false,
      weekdays: o.weekdays,
    };
  });
  return { term, plan, fees };
}

/** Loads and checks everything a run needs; throws the 4xx the office sees. */
export async function loadTermContext(db: Db, schoolId: string, termId: string, today: string): Promise<TermContext> {
  const { term, plan, fees } = await feeStandards(db, schoolId, termId);
  if (term.startsOn > today) throw new AppError(422, 'FUTURE_TERM', '不能为尚未开始的学期收费（不得跨学期预收）');
  if (!plan) throw new AppError(422, 'FEE_NOT_PUBLISHED', '该学期的服务方案尚未公示，不能收费（未公示的收费项目一律不得收取）');
  if (await isTermClosed(db, schoolId, termId)) throw new AppError(409, 'TERM_CLOSED', '该学期已结账，账目只读');
  const unapproved = fees.filter((f) => f.lineKind === 'provider' && !f.providerApproved);
  if (unapproved.length > 0) {
    throw new AppError(
      422,
      'PROVIDER_NOT_APPROVED',
      `代收费机构不在区教育局准入名单内：${[...new Set(unapproved.map((f) => f.providerName))].join('、')}`,
      { offerings: unapproved.map((f) => ({ id: f.offeringId, name: f.name, providerName: f.providerName })) },
    );
  }
  const [t] = await queryRows<{ winter_from: string | null; summer_from: string | null }>(
    db,
    sql`SELECT winter_from::text, summer_from::text FROM terms WHERE school_id = ${schoolId} AND id = ${termId}`,
  );
  if (!t) throw notFound('学期');
  const exceptions = await queryRows<{ day: string; kind: string; asWeekday: number | null }>(
    db,
    sql`SELECT day::text AS day, kind, as_weekday AS "asWeekday" FROM term_days WHERE school_id = ${schoolId} AND term_id = ${termId}`,
  );
  const settings = await billingSettingsOf(db, schoolId);
  const calendar: CalendarTerm = { startsOn: term.startsOn, endsOn: term.endsOn, winterFrom: t.winter_from, summerFrom: t.summer_from };
  return {
    schoolId,
    termId,
    termName: term.name,
    term: calendar,
    exceptions,
    days: schoolDays(calendar, exceptions),
    planVersion: plan.version,
    fees: new Map(fees.map((f) => [f.offeringId, f])),
    settings,
    upTo: settings.mode === 'term' ? 'term' : today.slice(0, 7),
    today,
  };
}
