/**
 * The online payment flow against the provider simulator over real HTTP: the app listens on a
 * loopback port, the simulator on another; the guardian's order, the simulator's signed
 * notification, a replayed notification, a bad signature, another school's order, an amount that
 * is not the order's, and a refund through the provider.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client';
import { type Client, acceptNotice, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { type DemoIds, demoIds } from '../../test/route-samples';
import { termImbalance } from '../ledger';
import { SIGNATURE_HEADER, sign, verify } from './signature';
import { type Simulator, startSimulator } from './simulator/server';
import { billPupil, moneyRows, termOf } from './testkit';

const SECRET = 'test-secret-0123456789abcdef';

describe('signatures', () => {
  it('verifies its own signature, and refuses another body, another secret, an old one and garbage', () => {
    const body = '{"a":1}';
    const s = sign(SECRET, body);
    expect(verify(SECRET, body, s)).toBe(true);
    expect(verify(SECRET, '{"a":2}', s)).toBe(false);
    expect(verify('other-secret', body, s)).toBe(false);
    expect(verify(SECRET, body, sign(SECRET, body, Date.now() - 10 * 60_000))).toBe(false);
    expect(verify(SECRET, body, 't=1,v1=zz')).toBe(false);
    expect(verify(SECRET, body, undefined)).toBe(false);
  });
});

describeEachDb('online payment through the provider simulator', (kind) => {
  let env: TestEnv;
  let db: Db;
  let ids: DemoIds;
  let sim: Simulator;
  let admin: Client;
  let parent: Client;
  let base: string;
  let term: string;
  let code: string;

  /** Calls the simulator's API as the school would (signed). */
  const simCall = async (path: string, body: unknown = {}) => {
    const text = JSON.stringify(body);
    const r = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(SECRET, text) },
      body: text,
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const notifyDirect = (schoolCode: string, body: unknown, signature?: string) => {
    const text = JSON.stringify(body);
    return fetch(`${base}/api/payments/notify/${schoolCode}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature ?? sign(SECRET, text) },
      body: text,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  };

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    ids = await demoIds(db);
    sim = await startSimulator({ secret: SECRET });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = env.app.server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
    process.env.KEHOU_PAY_PROVIDER_URL = sim.url;
    process.env.KEHOU_PAY_SECRET = SECRET;
    process.env.KEHOU_PUBLIC_URL = base;
    [admin, parent] = await Promise.all(['admin', '13900000001'].map((l) => login(env.app, l)));
    await acceptNotice(parent);
    term = await termOf(db, ids.s1.school);
    [{ code }] = await queryRows<{ code: string }>(db, sql`SELECT code FROM schools WHERE id = ${ids.s1.school}`);
    await billPupil(db, { schoolId: ids.s1.school, termId: term, studentId: ids.s1.pupil, amountFen: 36_050 });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await env?.close();
  });

  it('requires a session and the guardian’s own child to pay', async () => {
    expect((await request(env.app, 'POST', `/api/family/money/${ids.s1.pupil}/terms/${term}/pay`)).status).toBe(401);
    expect((await admin.post(`/api/family/money/${ids.s1.pupil}/terms/${term}/pay`)).status).toBe(403);
    expect((await parent.post(`/api/family/money/${ids.s1.classPupil}/terms/${term}/pay`)).status).toBe(404);
  });

  it('guardian pays the due amount: order → checkout → signed notification → receipt; a replay changes nothing', async () => {
    const order = await parent.post(`/api/family/money/${ids.s1.pupil}/terms/${term}/pay`);
    expect(order.status).toBe(201);
    expect(order.body.payment).toMatchObject({ status: 'pending', amountFen: 36_050, method: 'online' });
    expect(order.body.checkoutUrl.startsWith(sim.url)).toBe(true);
    // a second tap reuses the open order
    const again = await parent.post(`/api/family/money/${ids.s1.pupil}/terms/${term}/pay`);
    expect(again.body.payment.id).toBe(order.body.payment.id);
    // the checkout page is a real page of the simulator
    const page = await fetch(order.body.checkoutUrl);
    expect(await page.text()).toContain('¥360.50');
    const orderId = order.body.payment.externalRef as string;
    const paid = await simCall(`/v1/orders/${orderId}/pay`);
    expect(paid.status).toBe(200);
    expect(paid.body.notified).toBe(200);
    const bill = await parent.get(`/api/family/money/${ids.s1.pupil}/terms/${term}`);
    expect(bill.body).toMatchObject({ dueFen: 0, paidFen: 36_050 });
    const p = bill.body.payments[0];
    expect(p).toMatchObject({ status: 'succeeded', method: 'online' });
    const receipt = await parent.get(`/api/family/payments/${p.id}/receipt`);
    expect(receipt.body).toMatchObject({ amountCapital: '叁佰陆拾元伍角整', methodLabel: '线上支付' });
    const before = await moneyRows(db, ids.s1.school);
    const replay = await simCall(`/v1/orders/${orderId}/notify`);
    expect(replay.body.notified).toBe(200);
    expect(await moneyRows(db, ids.s1.school)).toEqual(before);
    expect(await termImbalance(db, ids.s1.school, term)).toBe(0);
    // nothing more is due: no new order
    expect((await parent.post(`/api/family/money/${ids.s1.pupil}/terms/${term}/pay`)).status).toBe(409);
  });

  it('refuses a bad signature, another school’s order and a wrong amount with 4xx {code,message}', async () => {
    const [p] = await queryRows<{ id: string; external_ref: string; amount_fen: string }>(
      db,
      sql`SELECT id, external_ref, amount_fen::text FROM payments WHERE school_id = ${ids.s1.school} AND student_id = ${ids.s1.pupil} AND method = 'online' AND status = 'succeeded' LIMIT 1`,
    );
    const n = {
      event: 'order.paid',
      orderId: p.external_ref,
      outTradeNo: p.id,
      merchantId: code,
      amountFen: Number(p.amount_fen),
      paidAt: new Date().toISOString(),
    };
    // a pending order, notified with another amount
    await billPupil(db, { schoolId: ids.s1.school, termId: term, studentId: ids.s1.pupil, amountFen: 1_000 });
    const order = await parent.post(`/api/family/money/${ids.s1.pupil}/terms/${term}/pay`);
    expect(order.status).toBe(201);
    const before = await moneyRows(db, ids.s1.school);
    const forged = await notifyDirect(code, n, sign('wrong-secret', JSON.stringify(n)));
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'BAD_SIGNATURE' });
    expect(typeof forged.body.message).toBe('string');
    const [{ code: code2 }] = await queryRows<{ code: string }>(db, sql`SELECT code FROM schools WHERE id = ${ids.s2.school}`);
    const elsewhere = await notifyDirect(code2, { ...n, merchantId: code2 });
    expect(elsewhere.status).toBe(404);
    // a pending order, notified with another amount
    const wrong = await notifyDirect(code, {
      ...n,
      orderId: order.body.payment.externalRef,
      outTradeNo: order.body.payment.id,
      amountFen: 1,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('AMOUNT_MISMATCH');
    const garbage = await fetch(`${base}/api/payments/notify/${code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(garbage.status).toBe(400);
    expect(await moneyRows(db, ids.s1.school)).toEqual(before);
    // the office asks the provider: still unpaid, nothing settled
    const sync = await admin.post(`/api/payments/${order.body.payment.id}/sync`);
    expect(sync.body).toMatchObject({ providerStatus: 'created', settled: false });
  });

  it('refunds an online payment through the provider, never above what was paid', async () => {
    const [p] = await queryRows<{ id: string; external_ref: string }>(
      db,
      sql`SELECT id, external_ref FROM payments WHERE school_id = ${ids.s1.school} AND student_id = ${ids.s1.pupil} AND method = 'online' AND status = 'succeeded' LIMIT 1`,
    );
    const over = await admin.post(`/api/payments/${p.id}/refunds`, { amountFen: 36_051, reason: '超额' });
    expect(over.status).toBe(422);
    const ok = await admin.post(`/api/payments/${p.id}/refunds`, { amountFen: 5_000, reason: '请假半月退费' });
    expect(ok.status).toBe(201);
    expect(ok.body.refund).toMatchObject({ status: 'succeeded', amountFen: 5_000 });
    expect(ok.body.refund.externalRef).toMatch(/^SIMR/);
    expect(sim.orders.get(p.external_ref)?.refundedFen).toBe(5_000);
    const [cash] = await queryRows<{ total: string }>(
      db,
      sql`SELECT SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${ids.s1.school} AND term_id = ${term} AND account = 'cash.online' AND student_id = ${ids.s1.pupil}`,
    );
    expect(Number(cash.total)).toBe(36_050 - 5_000);
    expect(await termImbalance(db, ids.s1.school, term)).toBe(0);
  });
});
