/**
 * A pupil's bills for a term and what is paid and due, derived from the ledger (nothing about money
 * is stored apart from it). Exported for the guardian's pages (payments module) and the office.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';

export interface InvoiceLineView {
  idx: number;
  kind: string;
  offeringId: string | null;
  description: string;
  quantity: number;
  unitFen: number;
  amountFen: number;
}

export interface InvoiceView {
  id: string;
  number: string;
  /** invoice | supplement | credit_note */
  docType: string;
  periodKey: string;
  status: string;
  totalFen: number;
  dueDate: string | null;
  issuedAt: string;
  lines: InvoiceLineView[];
}

export interface StudentTotals {
  /** fees billed (net of supplements and credit notes for fees) */
  chargedFen: number;
  waivedFen: number;
  creditedFen: number;
  paidFen: number;
  refundedFen: number;
  /** what the family still owes (negative: paid more than owed) */
  dueFen: number;
}

export interface InvoiceSummary {
  termId: string;
  studentId: string;
  invoices: InvoiceView[];
  totals: StudentTotals;
}

/**
 * Totals from the pupil's `receivable.guardian` lines by kind: invoice (+), waiver (−), credit (−),
 * payment (−), refund (+); due is their sum. The caller has already checked it may see this pupil.
 */
export async function studentTotals(db: Db, schoolId: string, termId: string, studentId: string): Promise<StudentTotals> {
  const rows = await queryRows<{ kind: string; total: string }>(
    db,
    sql`SELECT kind, SUM(amount_fen)::text AS total FROM ledger_entries
         WHERE school_id = ${schoolId} AND term_id = ${termId} AND student_id = ${studentId} AND account = 'receivable.guardian'
         GROUP BY kind`,
  );
  const by = new Map(rows.map((r) => [r.kind, Number(r.total)]));
  const get = (k: string) => by.get(k) ?? 0;
  return {
    chargedFen: get('invoice'),
    waivedFen: -get('waiver'),
    creditedFen: -get('credit'),
    paidFen: -get('payment'),
    refundedFen: get('refund'),
    dueFen: rows.reduce((a, r) => a + Number(r.total), 0),
  };
}

export async function invoiceSummaryForStudent(db: Db, schoolId: string, termId: string, studentId: string): Promise<InvoiceSummary> {
  // one after another: callers may pass a transaction, whose statements share one connection
  const docs = await queryRows<{
    id: string;
    number: string;
    doc_type: string;
    period_key: string;
    status: string;
    total_fen: string;
    due_date: string | null;
    issued_at: Date | string;
  }>(
    db,
    sql`SELECT id, number, doc_type, period_key, status, total_fen::text, due_date, issued_at FROM invoices
           WHERE school_id = ${schoolId} AND term_id = ${termId} AND student_id = ${studentId}
           ORDER BY issued_at, number`,
  );
  const lines = await queryRows<{
    invoice_id: string;
    idx: number;
    kind: string;
    offering_id: string | null;
    description: string;
    quantity: number;
    unit_fen: string;
    amount_fen: string;
  }>(
    db,
    sql`SELECT l.invoice_id, l.idx, l.kind, l.offering_id, l.description, l.quantity, l.unit_fen::text, l.amount_fen::text
            FROM invoice_lines l JOIN invoices i ON i.school_id = l.school_id AND i.id = l.invoice_id
           WHERE i.school_id = ${schoolId} AND i.term_id = ${termId} AND i.student_id = ${studentId}
           ORDER BY l.invoice_id, l.idx`,
  );
  const totals = await studentTotals(db, schoolId, termId, studentId);
  const byDoc = new Map<string, InvoiceLineView[]>();
  for (const l of lines) {
    const list = byDoc.get(l.invoice_id) ?? [];
    list.push({
      idx: l.idx,
      kind: l.kind,
      offeringId: l.offering_id,
      description: l.description,
      quantity: l.quantity,
      unitFen: Number(l.unit_fen),
      amountFen: Number(l.amount_fen),
    });
    byDoc.set(l.invoice_id, list);
  }
  return {
    termId,
    studentId,
    invoices: docs.map((d) => ({
      id: d.id,
      number: d.number,
      docType: d.doc_type,
      periodKey: d.period_key,
      status: d.status,
      totalFen: Number(d.total_fen),
      dueDate: d.due_date,
      issuedAt: new Date(d.issued_at).toISOString(),
      lines: byDoc.get(d.id) ?? [],
    })),
    totals,
  };
}
