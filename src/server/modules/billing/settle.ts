/**
 * Brings pupils' bills to what their enrolment, the calendar, missed days and waivers say they owe.
 *
 * For each pupil, period and offering the rules (shared/billing.ts `billPupil`) give the desired
 * charge, waiver and credit; what was already issued is the sum of earlier documents' lines. Only
 * the difference is issued, as a new document (the first bill of a period, then supplements or credit
 * notes), and posted to the ledger in the same database transaction. Re-running changes nothing; a
 * changed enrolment, a leave day or an approved waiver produces a new document, never an edit.
 */
import { sql } from 'drizzle-orm';
import { billPupil, type DesiredLine, type EnrolmentSpan, type LineKind, type OfferingFee, sessionDatesIn } from '../../../shared/billing';
import type { LedgerAccount } from '../../../shared/ledger';
import { addDays } from '../../../shared/calendar';
import { type Db, queryRows } from '../../db/client';
import type { invoiceLines, invoices } from '../../db/schema';
import { waivers } from '../../db/schema';
import { newId } from '../../lib/ids';
import { type PostOptions, postTransactionsBulk } from '../ledger';
import type { TermContext } from './context';

const idList = (ids: readonly string[]) => sql`ANY(string_to_array(${ids.join(',')}, ',')::uuid[])`;

const INCOME: Record<LineKind, LedgerAccount> = {
  service: 'income.service_fee',
  club: 'income.club_fee',
  provider: 'payable.provider',
};

type Posted = { charge: number; waived: number; credited: number };
const key = (...parts: string[]) => parts.join('|');

/** Adds automatic waivers for pupils with a verified hardship registration valid in the term (N14). */
async function applyHardship(tx: Db, ctx: TermContext, ids: string[], actorId: string | null) {
  const rows = await queryRows<{ student_id: string; category: string; basis_points: number }>(
    tx,
    sql`SELECT h.student_id, h.category, MAX(h.basis_points)::int AS basis_points FROM hardship_registrations h
         WHERE h.school_id = ${ctx.schoolId} AND h.status = 'active' AND h.student_id = ${idList(ids)}
           AND h.valid_from <= ${ctx.term.endsOn}::date AND (h.valid_to IS NULL OR h.valid_to >= ${ctx.term.startsOn}::date)
           AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.school_id = h.school_id AND w.term_id = ${ctx.termId}
                             AND w.student_id = h.student_id AND w.source = 'automatic' AND w.category = h.category)
         GROUP BY h.student_id, h.category`,
  );
  if (rows.length === 0) return;
  await tx.insert(waivers).values(
    rows.map((r) => ({
      schoolId: ctx.schoolId,
      id: newId(),
      termId: ctx.termId,
      studentId: r.student_id,
      source: 'automatic',
      category: r.category,
      basisPoints: r.basis_points,
      status: 'approved',
      reason: '困难家庭登记，自动减免',
      decidedBy: actorId,
      decidedAt: new Date(),
    })),
  );
}

/** Approved leave (attendance 'leave') of the term per pupil, offering and day; all pupils when `ids` is null. */
async function leaveRows(tx: Db, ctx: TermContext, ids: string[] | null) {
  return queryRows<{ student_id: string; offering_id: string; day: string }>(
    tx,
    sql`SELECT a.student_id, g.offering_id, a.day::text AS day FROM attendance a
          JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
         WHERE a.school_id = ${ctx.schoolId} AND g.term_id = ${ctx.termId} AND a.status = 'leave'
           AND a.day BETWEEN ${ctx.term.startsOn}::date AND ${ctx.term.endsOn}::date
           ${ids ? sql`AND a.student_id = ${idList(ids)}` : sql``}`,
  );
}

const leaveKeys = (rows: { student_id: string; offering_id: string; day: string }[]) =>
  new Set(rows.map((l) => key(l.student_id, l.offering_id, l.day)));

/** A whole-term run reads the term's leave once (attendance has no index by pupil) instead of once per chunk. */
export async function withTermLeave(db: Db, ctx: TermContext): Promise<TermContext> {
  return { ...ctx, leave: leaveKeys(await leaveRows(db, ctx, null)) };
}

/** What each pupil of `ids` should owe, per period (the rules applied to the database's facts). */
export async function desiredBills(tx: Db, ctx: TermContext, ids: string[]): Promise<Map<string, Map<string, DesiredLine[]>>> {
  // one after another: a transaction's statements share one connection
  const spans = await queryRows<{
    student_id: string;
    offering_id: string;
    weekday: number;
    effective_from: string | null;
    effective_to: string | null;
  }>(
    tx,
    sql`SELECT student_id, offering_id, weekday, effective_from::text, effective_to::text FROM enrollments
           WHERE school_id = ${ctx.schoolId} AND term_id = ${ctx.termId} AND status = 'enrolled' AND student_id = ${idList(ids)}`,
  );
  const leave = ctx.leave ? [] : await leaveRows(tx, ctx, ids);
  const cancelled = await queryRows<{ offering_id: string | null; day: string }>(
    tx,
    sql`SELECT offering_id, day::text AS day FROM service_cancellations WHERE school_id = ${ctx.schoolId} AND term_id = ${ctx.termId}`,
  );
  const bps = await queryRows<{ student_id: string; bp: number }>(
    tx,
    sql`SELECT student_id, MAX(basis_points)::int AS bp FROM waivers
           WHERE school_id = ${ctx.schoolId} AND term_id = ${ctx.termId} AND status = 'approved' AND student_id = ${idList(ids)}
           GROUP BY student_id`,
  );
  const byStudent = new Map<string, Map<string, EnrolmentSpan[]>>();
  for (const s of spans) {
    if (!ctx.fees.has(s.offering_id)) continue; // N13: not in the published plan, never charged
    const m = byStudent.get(s.student_id) ?? new Map<string, EnrolmentSpan[]>();
    const list = m.get(s.offering_id) ?? [];
    list.push({ weekday: s.weekday, effectiveFrom: s.effective_from, effectiveTo: s.effective_to });
    m.set(s.offering_id, list);
    byStudent.set(s.student_id, m);
  }
  const cancelAll = new Set(cancelled.filter((c) => !c.offering_id).map((c) => c.day));
  const cancelFor = new Set(cancelled.filter((c) => c.offering_id).map((c) => key(c.offering_id as string, c.day)));
  const leaveSet = ctx.leave ?? leaveKeys(leave);
  const bpOf = new Map(bps.map((b) => [b.student_id, b.bp]));
  const out = new Map<string, Map<string, DesiredLine[]>>();
  for (const id of ids) {
    const offerings = byStudent.get(id) ?? new Map<string, EnrolmentSpan[]>();
    const missed = new Map<string, Set<string>>();
    const fees: OfferingFee[] = [];
    for (const [offeringId, list] of offerings) {
      const f = ctx.fees.get(offeringId);
      if (!f) continue;
      const dates = sessionDatesIn(ctx.days, list);
      missed.set(
        offeringId,
        new Set(dates.filter((d) => cancelAll.has(d) || cancelFor.has(key(offeringId, d)) || leaveSet.has(key(id, offeringId, d)))),
      );
      fees.push({ offeringId, name: f.name, lineKind: f.lineKind, feeMode: f.feeMode, feeFen: f.feeFen, dates });
    }
    out.set(
      id,
      billPupil({ fees, mode: ctx.settings.mode, preset: ctx.settings.refundPreset, waiverBp: bpOf.get(id) ?? 0, missed, upTo: ctx.upTo }),
    );
  }
  return out;
}

async function postedOf(tx: Db, ctx: TermContext, ids: string[]) {
  const rows = await queryRows<{ student_id: string; period_key: string; offering_id: string | null; kind: string; total: string }>(
    tx,
    sql`SELECT i.student_id, i.period_key, l.offering_id, l.kind, SUM(l.amount_fen)::text AS total
          FROM invoice_lines l JOIN invoices i ON i.school_id = l.school_id AND i.id = l.invoice_id
         WHERE i.school_id = ${ctx.schoolId} AND i.term_id = ${ctx.termId} AND i.student_id = ${idList(ids)}
         GROUP BY i.student_id, i.period_key, l.offering_id, l.kind`,
  );
  const posted = new Map<string, Map<string, Posted>>(); // student|period → offering → amounts
  const names = new Map<string, { lineKind: LineKind }>();
  for (const r of rows) {
    const k = key(r.student_id, r.period_key);
    const m = posted.get(k) ?? new Map<string, Posted>();
    const p = m.get(r.offering_id ?? '') ?? { charge: 0, waived: 0, credited: 0 };
    const amount = Number(r.total);
    if (r.kind === 'waiver') p.waived -= amount;
    else if (r.kind === 'credit') p.credited -= amount;
    else {
      p.charge += amount;
      names.set(r.offering_id ?? '', { lineKind: r.kind as LineKind });
    }
    m.set(r.offering_id ?? '', p);
    posted.set(k, m);
  }
  return { posted, lineKinds: names };
}

/** Next free document numbers of the school (the caller holds the school's billing lock). */
async function nextNumber(tx: Db, schoolId: string): Promise<number> {
  const [r] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM invoices WHERE school_id = ${schoolId}`);
  return r.n + 1;
}

/** Serialises billing writes of a school (document numbers, no double issue from two runs). */
export async function lockBilling(tx: Db, schoolId: string): Promise<void> {
  await tx.execute(sql`INSERT INTO billing_settings (school_id) VALUES (${schoolId}) ON CONFLICT DO NOTHING`);
  await tx.execute(sql`SELECT 1 FROM billing_settings WHERE school_id = ${schoolId} FOR UPDATE`);
}

/** Documents and their lines in one statement each (json_to_recordset: one parameter, not one per cell). */
async function insertDocuments(tx: Db, docs: (typeof invoices.$inferInsert)[], lines: (typeof invoiceLines.$inferInsert)[]) {
  for (let i = 0; i < docs.length; i += 5000) {
    const chunk = docs.slice(i, i + 5000).map((d) => ({
      school_id: d.schoolId,
      id: d.id,
      term_id: d.termId,
      student_id: d.studentId,
      period_key: d.periodKey,
      doc_type: d.docType,
      number: d.number,
      total_fen: d.totalFen,
      due_date: d.dueDate,
      issued_by: d.issuedBy,
    }));
    await tx.execute(sql`INSERT INTO invoices (school_id, id, term_id, student_id, period_key, doc_type, number, status, total_fen, due_date, issued_by)
      SELECT school_id, id, term_id, student_id, period_key, doc_type, number, 'issued', total_fen, due_date, issued_by
        FROM json_to_recordset(${JSON.stringify(chunk)}::json) AS r(school_id uuid, id uuid, term_id uuid, student_id uuid, period_key text,
             doc_type text, number text, total_fen bigint, due_date text, issued_by uuid)`);
  }
  for (let i = 0; i < lines.length; i += 5000) {
    const chunk = lines.slice(i, i + 5000).map((l) => ({
      school_id: l.schoolId,
      invoice_id: l.invoiceId,
      idx: l.idx,
      kind: l.kind,
      offering_id: l.offeringId,
      description: l.description,
      quantity: l.quantity,
      unit_fen: l.unitFen,
      amount_fen: l.amountFen,
    }));
    await tx.execute(sql`INSERT INTO invoice_lines (school_id, invoice_id, idx, kind, offering_id, description, quantity, unit_fen, amount_fen)
      SELECT school_id, invoice_id, idx, kind, offering_id, description, quantity, unit_fen, amount_fen
        FROM json_to_recordset(${JSON.stringify(chunk)}::json) AS r(school_id uuid, invoice_id uuid, idx smallint, kind text, offering_id uuid,
             description text, quantity integer, unit_fen bigint, amount_fen bigint)`);
  }
}

const PREFIX = { invoice: 'ZD', supplement: 'BJ', credit_note: 'TK' } as const;

/**
 * Issues the documents that bring `ids` to their desired bills, inside the caller's transaction
 * (which must hold `lockBilling`). Returns the number of documents issued.
 */
export async function settleStudents(tx: Db, ctx: TermContext, ids: string[], actorId: string | null): Promise<number> {
  if (ids.length === 0) return 0;
  await applyHardship(tx, ctx, ids, actorId);
  const desired = await desiredBills(tx, ctx, ids);
  const { posted, lineKinds } = await postedOf(tx, ctx, ids);
  let seq = await nextNumber(tx, ctx.schoolId);
  const docs: (typeof invoices.$inferInsert)[] = [];
  const docLines: (typeof invoiceLines.$inferInsert)[] = [];
  const postings: PostOptions[] = [];
  const dueDate = addDays(ctx.today, ctx.settings.dueDays);
  for (const id of ids) {
    const bill = desired.get(id) ?? new Map<string, DesiredLine[]>();
    const periods = new Set([...bill.keys()]);
    for (const k of posted.keys()) if (k.startsWith(`${id}|`)) periods.add(k.slice(id.length + 1));
    for (const period of [...periods].sort()) {
      const before = posted.get(key(id, period)) ?? new Map<string, Posted>();
      const want = new Map((bill.get(period) ?? []).map((l) => [l.offeringId, l]));
      const offeringIds = new Set([...want.keys(), ...before.keys()]);
      const lines: (typeof invoiceLines.$inferInsert)[] = [];
      const ledger: Record<'invoice' | 'waiver' | 'credit', Map<LedgerAccount, number>> = {
        invoice: new Map(),
        waiver: new Map(),
        credit: new Map(),
      };
      const add = (kind: 'invoice' | 'waiver' | 'credit', account: LedgerAccount, fen: number) =>
        ledger[kind].set(account, (ledger[kind].get(account) ?? 0) + fen);
      const invoiceId = newId();
      for (const offeringId of [...offeringIds].sort()) {
        const w = want.get(offeringId);
        const p = before.get(offeringId) ?? { charge: 0, waived: 0, credited: 0 };
        const lineKind: LineKind = w?.lineKind ?? lineKinds.get(offeringId)?.lineKind ?? 'service';
        const name = w?.name ?? ctx.fees.get(offeringId)?.name ?? '已退出的项目';
        const dCharge = (w?.chargeFen ?? 0) - p.charge;
        const dWaived = (w?.waivedFen ?? 0) - p.waived;
        const dCredited = (w?.creditedFen ?? 0) - p.credited;
        const base = { schoolId: ctx.schoolId, invoiceId, offeringId: offeringId || null };
        if (dCharge !== 0) {
          const exact = w && p.charge === 0 && w.quantity * w.unitFen === dCharge;
          lines.push({
            ...base,
            idx: lines.length,
            kind: lineKind,
            description: p.charge === 0 ? name : `${name}（调整）`,
            quantity: exact ? w.quantity : 1,
            unitFen: exact ? w.unitFen : dCharge,
            amountFen: dCharge,
          });
          add('invoice', 'receivable.guardian', dCharge);
          add('invoice', INCOME[lineKind], -dCharge);
        }
        if (dWaived !== 0) {
          lines.push({
            ...base,
            idx: lines.length,
            kind: 'waiver',
            description: `${name} 减免`,
            quantity: 1,
            unitFen: -dWaived,
            amountFen: -dWaived,
          });
          add('waiver', 'contra.waiver', dWaived);
          add('waiver', 'receivable.guardian', -dWaived);
        }
        if (dCredited !== 0) {
          const days = w?.creditedSessions ?? 0;
          lines.push({
            ...base,
            idx: lines.length,
            kind: 'credit',
            description: `${name} 请假/停课退费`,
            quantity: days || 1,
            unitFen: days && -dCredited % days === 0 ? -dCredited / days : -dCredited,
            amountFen: -dCredited,
          });
          add('credit', lineKind === 'provider' ? 'payable.provider' : 'contra.credit', dCredited);
          add('credit', 'receivable.guardian', -dCredited);
        }
      }
      if (lines.length === 0) continue;
      const total = lines.reduce((a, l) => a + l.amountFen, 0);
      const docType = before.size === 0 ? 'invoice' : total >= 0 ? 'supplement' : 'credit_note';
      docs.push({
        schoolId: ctx.schoolId,
        id: invoiceId,
        termId: ctx.termId,
        studentId: id,
        periodKey: period,
        docType,
        number: `${PREFIX[docType]}${String(seq++).padStart(7, '0')}`,
        totalFen: total,
        dueDate: total > 0 ? dueDate : null,
        issuedBy: actorId,
      });
      docLines.push(...lines);
      for (const kind of ['invoice', 'waiver', 'credit'] as const) {
        const entries = [...ledger[kind]].filter(([, fen]) => fen !== 0);
        if (entries.length === 0) continue;
        postings.push({
          schoolId: ctx.schoolId,
          termId: ctx.termId,
          kind,
          sourceType: 'invoice',
          sourceId: invoiceId,
          postedBy: actorId,
          memo: period,
          lines: entries.map(([account, amountFen]) => ({ account, amountFen, studentId: id })),
        });
      }
    }
  }
  await insertDocuments(tx, docs, docLines);
  await postTransactionsBulk(tx, postings);
  return docs.length;
}

/** Pupils a run concerns: everyone enrolled in the term, and everyone already billed (to credit a withdrawal). */
export async function pupilsToBill(db: Db, schoolId: string, termId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT student_id AS id FROM enrollments WHERE school_id = ${schoolId} AND term_id = ${termId} AND status = 'enrolled'
        UNION SELECT student_id FROM invoices WHERE school_id = ${schoolId} AND term_id = ${termId}
        ORDER BY id`,
  );
  return rows.map((r) => r.id);
}
