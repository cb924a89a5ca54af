/** Reads shared by the office's and the guardian's payment routes. */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { payments, refunds } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { type ReceiptFacts, presentReceipt } from './presenter';
import type { PaymentRow } from './service';

export async function paymentById(db: Db, schoolId: string, id: string): Promise<PaymentRow> {
  const [p] = await db.select().from(payments).where(sql`${payments.schoolId} = ${schoolId} AND ${payments.id} = ${id}`);
  if (!p) throw notFound('收款记录');
  return p;
}

export async function refundsOf(db: Db, schoolId: string, paymentId: string) {
  return db
    .select()
    .from(refunds)
    .where(sql`${refunds.schoolId} = ${schoolId} AND ${refunds.paymentId} = ${paymentId}`)
    .orderBy(refunds.createdAt);
}

export async function receiptOf(db: Db, schoolId: string, p: PaymentRow) {
  if (p.status !== 'succeeded' || !p.receiptNo) throw notFound('收据');
  const [f] = await queryRows<{
    school_name: string;
    code: string;
    address: string;
    phone: string;
    student_name: string;
    student_no: string;
    class_name: string | null;
    term_name: string;
    recorder: string | null;
  }>(
    db,
    sql`SELECT sc.name AS school_name, sc.code, sc.address, sc.phone, s.name AS student_name, s.student_no,
               c.name AS class_name, t.name AS term_name, a.display_name AS recorder
          FROM schools sc
          JOIN students s ON s.school_id = sc.id AND s.id = ${p.studentId}
          JOIN terms t ON t.school_id = sc.id AND t.id = ${p.termId}
          LEFT JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          LEFT JOIN accounts a ON a.id = ${p.recordedBy}
         WHERE sc.id = ${schoolId}`,
  );
  const facts: ReceiptFacts = {
    school: { name: f.school_name, code: f.code, address: f.address, phone: f.phone },
    student: { name: f.student_name, studentNo: f.student_no, className: f.class_name ?? '' },
    termName: f.term_name,
    recordedByName: p.method === 'online' ? '线上支付' : (f.recorder ?? ''),
  };
  return presentReceipt(p, facts, await refundsOf(db, schoolId, p.id));
}
