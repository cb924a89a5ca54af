/**
 * Payments over HTTP: offline payments with idempotency keys, receipts, refunds never above what
 * was paid, closed terms, another school's pupils, reconciliation of a statement, and the guardian's
 * bill and waiver application. Every refused request leaves the money tables as they were.
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client';
import { type Client, acceptNotice, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { type DemoIds, demoIds } from '../../test/route-samples';
import { closeTerm, termImbalance } from '../ledger';
import { billPupil, moneyRows, termOf } from './testkit';

describeEachDb('payments', (kind) => {
  let env: TestEnv;
  let db: Db;
  let ids: DemoIds;
  let admin: Client;
  let teacher: Client;
  let parent: Client;
  let term1: string;
  let term2: string;
  let pupil: string; // the demo parent's child in school 1
  let other: string; // another pupil of school 1, not the parent's
  let invoiceId: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    ids = await demoIds(db);
    [admin, teacher, parent] = await Promise.all(['admin', 'teacher', '13900000001'].map((l) => login(env.app, l)));
    await acceptNotice(parent);
    term1 = await termOf(db, ids.s1.school);
    term2 = await termOf(db, ids.s2.school);
    pupil = ids.s1.pupil;
    other = ids.s1.classPupil === pupil ? ids.s1.more.students : ids.s1.classPupil;
    invoiceId = await billPupil(db, { schoolId: ids.s1.school, termId: term1, studentId: pupil, amountFen: 36_000 });
    await billPupil(db, { schoolId: ids.s1.school, termId: term1, studentId: other, amountFen: 50_000 });
    await billPupil(db, { schoolId: ids.s2.school, termId: term2, studentId: ids.s2.pupil, amountFen: 20_000 });
  }, 120_000);
  afterAll(() => env?.close());

  const pay = (c: Client, body: Record<string, unknown>, key?: string) =>
    c.send('POST', '/api/payments', body, key ? { 'idempotency-key': key } : {});

  it('requires authentication, and the payment permission', async () => {
    expect((await request(env.app, 'GET', '/api/payments')).status).toBe(401);
    expect((await request(env.app, 'POST', '/api/payments', {})).status).toBe(401);
    expect((await teacher.get('/api/payments')).status).toBe(403);
    expect((await parent.get('/api/payments')).status).toBe(403);
    const denied = await pay(teacher, { studentId: pupil, termId: term1, method: 'cash', amountFen: 100 });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('records a cash payment once per idempotency key, posts it, and prints a receipt in capitals', async () => {
    const before = await moneyRows(db, ids.s1.school);
    const body = { studentId: pupil, termId: term1, invoiceId, method: 'cash', amountFen: 20_000, note: '现金' };
    const first = await pay(admin, body, 'cash-key-0001');
    expect(first.status).toBe(201);
    expect(first.body.payment).toMatchObject({ status: 'succeeded', amountFen: 20_000, method: 'cash' });
    expect(first.body.payment.receiptNo).toMatch(/^\d{4}-\d{6}$/);
    const replay = await pay(admin, body, 'cash-key-0001');
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ replayed: true, payment: { id: first.body.payment.id } });
    const mismatch = await pay(admin, { ...body, amountFen: 100 }, 'cash-key-0001');
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.code).toBe('IDEMPOTENCY_MISMATCH');
    const after = await moneyRows(db, ids.s1.school);
    expect(after.p - before.p).toBe(1);
    expect(after.l - before.l).toBe(2);
    expect(await termImbalance(db, ids.s1.school, term1)).toBe(0);
    const summary = await admin.get(`/api/payments/pupils/${pupil}/terms/${term1}`);
    expect(summary.body).toMatchObject({ dueFen: 16_000, paidFen: 20_000, refundedFen: 0 });
    const receipt = await admin.get(`/api/payments/${first.body.payment.id}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ amountYuan: '200.00', amountCapital: '贰佰元整', methodLabel: '现金' });
    expect(receipt.body.student.name).toBeTruthy();
    // the guardian sees the same receipt for their own child
    const mine = await parent.get(`/api/family/payments/${first.body.payment.id}/receipt`);
    expect(mine.status).toBe(200);
    expect(mine.body.receiptNo).toBe(first.body.payment.receiptNo);
  });

  it('refuses fractions of a fen, more than is due, an invoice of another pupil, and another school’s pupil, writing nothing', async () => {
    const before = await moneyRows(db, ids.s1.school);
    const frac = await pay(admin, { studentId: pupil, termId: term1, method: 'cash', amountFen: 100.5 });
    expect(frac.status).toBe(400);
    expect(frac.body.code).toBe('VALIDATION');
    const tooMuch = await pay(admin, { studentId: pupil, termId: term1, method: 'cash', amountFen: 16_001 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('PAYMENT_EXCEEDS_DUE');
    const wrongInvoice = await pay(admin, { studentId: other, termId: term1, invoiceId, method: 'cash', amountFen: 100 });
    expect(wrongInvoice.status).toBe(404);
    const otherSchool = await pay(admin, { studentId: ids.s2.pupil, termId: term1, method: 'cash', amountFen: 100 });
    expect(otherSchool.status).toBe(404);
    expect(otherSchool.body).toMatchObject({ code: 'NOT_FOUND' });
    const [s2payment] = await queryRows<{ id: string }>(db, sql`SELECT id FROM payments WHERE school_id = ${ids.s2.school} LIMIT 1`);
    if (s2payment) expect((await admin.get(`/api/payments/${s2payment.id}`)).status).toBe(404);
    expect(await moneyRows(db, ids.s1.school)).toEqual(before);
  });

  it('refunds never exceed what was paid less earlier refunds', async () => {
    const p = await pay(admin, { studentId: other, termId: term1, method: 'transfer', amountFen: 30_000, externalRef: 'B-REF-77' });
    expect(p.status).toBe(201);
    const id = p.body.payment.id;
    const before = await moneyRows(db, ids.s1.school);
    const over = await admin.send('POST', `/api/payments/${id}/refunds`, { amountFen: 30_001, reason: '多收' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'REFUND_EXCEEDS_PAID' });
    expect(await moneyRows(db, ids.s1.school)).toEqual(before);
    const part = await admin.send(
      'POST',
      `/api/payments/${id}/refunds`,
      { amountFen: 10_000, reason: '请假退费' },
      { 'idempotency-key': 'refund-key-01' },
    );
    expect(part.status).toBe(201);
    expect(part.body.refund).toMatchObject({ status: 'succeeded', amountFen: 10_000 });
    const again = await admin.send(
      'POST',
      `/api/payments/${id}/refunds`,
      { amountFen: 10_000, reason: '请假退费' },
      { 'idempotency-key': 'refund-key-01' },
    );
    expect(again.body.replayed).toBe(true);
    const rest = await admin.send('POST', `/api/payments/${id}/refunds`, { amountFen: 20_001, reason: '再退' });
    expect(rest.status).toBe(422);
    expect((await admin.send('POST', `/api/payments/${id}/refunds`, { amountFen: 20_000, reason: '再退' })).status).toBe(201);
    const detail = await admin.get(`/api/payments/${id}`);
    expect(detail.body.refundableFen).toBe(0);
    expect(detail.body.refunds).toHaveLength(2);
    const summary = await admin.get(`/api/payments/pupils/${other}/terms/${term1}`);
    expect(summary.body).toMatchObject({ dueFen: 50_000, paidFen: 30_000, refundedFen: 30_000 });
    expect((await teacher.send('POST', `/api/payments/${id}/refunds`, { amountFen: 1, reason: 'x' })).status).toBe(403);
    expect(await termImbalance(db, ids.s1.school, term1)).toBe(0);
  });

  it('reconciles a bank statement: matched by reference and by day, unmatched on both sides', async () => {
    const a = await pay(admin, { studentId: other, termId: term1, method: 'transfer', amountFen: 1_234, externalRef: 'SERIAL-1' });
    const b = await pay(admin, { studentId: other, termId: term1, method: 'transfer', amountFen: 2_500 });
    const c = await pay(admin, { studentId: other, termId: term1, method: 'transfer', amountFen: 777 });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const res = await admin.post('/api/payments/statements', {
      source: 'bank',
      lines: [
        { occurredOn: today, amountFen: 1_234, reference: 'serial-1', payer: '家长甲' },
        { occurredOn: today, amountFen: 2_500, reference: '', payer: '家长乙' },
        { occurredOn: today, amountFen: 9_999, reference: 'NOPE', payer: '不明' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lines: 3, matched: 2 });
    const rec = await admin.get(`/api/payments/reconciliation?source=bank&from=${today}&to=${today}`);
    expect(rec.status).toBe(200);
    // (the demo district may hold a reconciled statement of its own for today)
    const matchedIds = rec.body.matched.map((l: { matchedPaymentId: string }) => l.matchedPaymentId);
    expect(matchedIds).toEqual(expect.arrayContaining([a.body.payment.id, b.body.payment.id]));
    expect(matchedIds).not.toContain(c.body.payment.id);
    const leftOver = rec.body.unmatchedLines.map((l: { amountFen: number }) => l.amountFen);
    expect(leftOver).toContain(9_999);
    expect(leftOver).not.toContain(1_234);
    const open = rec.body.unmatchedPayments.map((p: { id: string }) => p.id);
    expect(open).toContain(c.body.payment.id);
    expect(open).not.toContain(a.body.payment.id);
    // the same statement as a spreadsheet: the third payment now matches, amounts in yuan
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['日期', '金额（元）', '流水号', '付款人']);
    ws.addRow([today, '7.77', '', '家长丙']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await admin.send('POST', '/api/payments/statements/import?source=bank', buf, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ lines: 1, matched: 1 });
    const bad = new ExcelJS.Workbook();
    bad.addWorksheet('s').addRows([
      ['日期', '金额'],
      [today, '1.234'],
    ]);
    const refused = await admin.send('POST', '/api/payments/statements/import?source=bank', Buffer.from(await bad.xlsx.writeBuffer()), {
      'content-type': 'application/octet-stream',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('STATEMENT_INVALID');
    expect((await teacher.get(`/api/payments/reconciliation?source=bank&from=${today}&to=${today}`)).status).toBe(403);
  });

  it('guardian: sees the bill with its lines and what is paid; applies for a waiver once; not for another child', async () => {
    const list = await parent.get('/api/family/money');
    expect(list.status).toBe(200);
    const child = list.body.children.find((c: { id: string }) => c.id === pupil);
    expect(child.terms.find((t: { termId: string }) => t.termId === term1)).toMatchObject({ dueFen: 16_000, invoices: 1 });
    const bill = await parent.get(`/api/family/money/${pupil}/terms/${term1}`);
    expect(bill.status).toBe(200);
    expect(bill.body.invoices[0].lines[0]).toMatchObject({ amountFen: 36_000, quantity: 1 });
    expect(bill.body).toMatchObject({ dueFen: 16_000, paidFen: 20_000 });
    expect((await parent.get(`/api/family/money/${other}/terms/${term1}`)).status).toBe(404);
    expect((await admin.get(`/api/family/money/${pupil}/terms/${term1}`)).status).toBe(403);
    const before = await moneyRows(db, ids.s1.school);
    const tooMuch = await parent.post('/api/family/waivers', {
      studentId: pupil,
      termId: term1,
      category: 'dibao',
      basisPoints: 10_001,
      reason: '低保家庭',
    });
    expect(tooMuch.status).toBe(400);
    const notMine = await parent.post('/api/family/waivers', {
      studentId: other,
      termId: term1,
      category: 'dibao',
      basisPoints: 5_000,
      reason: '低保家庭',
    });
    expect(notMine.status).toBe(404);
    expect(await moneyRows(db, ids.s1.school)).toEqual(before);
    const ok = await parent.post('/api/family/waivers', {
      studentId: pupil,
      termId: term1,
      category: 'dibao',
      basisPoints: 10_000,
      reason: '低保家庭，附低保证',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.waiver).toMatchObject({ source: 'application', status: 'pending', basisPoints: 10_000 });
    const twice = await parent.post('/api/family/waivers', {
      studentId: pupil,
      termId: term1,
      category: 'other',
      basisPoints: 5_000,
      reason: '再申请',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('WAIVER_PENDING');
    const shown = await parent.get(`/api/family/money/${pupil}/terms/${term1}`);
    expect(shown.body.waivers).toHaveLength(1);
    expect((await request(env.app, 'POST', '/api/family/waivers', {})).status).toBe(401);
  });

  it('a closed term takes no payment, refund or waiver application', async () => {
    const [paid] = await queryRows<{ id: string }>(
      db,
      sql`SELECT id FROM payments WHERE school_id = ${ids.s1.school} AND student_id = ${pupil} AND status = 'succeeded' LIMIT 1`,
    );
    await db.transaction((tx) => closeTerm(tx, { schoolId: ids.s1.school, termId: term1, closedBy: null }));
    const before = await moneyRows(db, ids.s1.school);
    const p = await pay(admin, { studentId: pupil, termId: term1, method: 'cash', amountFen: 100 });
    expect(p.status).toBe(409);
    expect(p.body).toMatchObject({ code: 'TERM_CLOSED' });
    const r = await admin.send('POST', `/api/payments/${paid.id}/refunds`, { amountFen: 100, reason: '结账后退款' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('TERM_CLOSED');
    expect(await moneyRows(db, ids.s1.school)).toEqual(before);
  });
});
