/**
 * Money, the journey: the office bills the term from the published plan's fees; a guardian
 * sees the bill on a phone and applies for a waiver; the office approves it; the guardian pays the
 * rest online through the provider simulator (a real HTTP peer on loopback: its checkout page, its
 * signed notification) and opens the receipt; the office records a cash payment and prints its
 * receipt; the term's accounts are published and the school's public page shows them.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../src/server/db/client';
import { type Simulator, startSimulator } from '../src/server/modules/payments/simulator/server';
import { acceptNotice, type Client, login } from '../src/server/test/harness';
import { describeE2E, loginAs, settle, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E({ scale: 0.3 });
const SECRET = 'e2e-provider-secret-0123456789';

describeE2E('money: bill, waiver, online and cash payment, receipts, published accounts', () => {
  let sim: Simulator;
  let admin: Client;
  let termId: string;
  let schoolCode: string;

  beforeAll(async () => {
    sim = await startSimulator({ secret: SECRET });
    process.env.KEHOU_PAY_PROVIDER_URL = sim.url;
    process.env.KEHOU_PAY_SECRET = SECRET;
    process.env.KEHOU_PUBLIC_URL = e2e.url;
    admin = await login(e2e.server.app, 'admin');
    const db = e2e.server.database.db;
    [{ code: schoolCode }] = await queryRows<{ code: string }>(db, sql`SELECT code FROM schools ORDER BY name LIMIT 1`);
    const terms = await admin.get('/api/terms');
    termId = terms.body[0].id;
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  async function billTheTerm() {
    const run = await admin.post(`/api/billing/terms/${termId}/runs`);
    expect(run.status).toBe(202);
    for (let i = 0; i < 120; i++) {
      const r = await admin.get(`/api/billing/runs/${run.body.id}`);
      if (r.body.status === 'done' || r.body.status === 'failed') {
        expect(r.body.status).toBe('done');
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
    throw new Error('billing run did not finish');
  }

  const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim() ?? '';

  it('the whole journey', async () => {
    await billTheTerm();
    // a family with a fee to pay this term (grades 3–6 pay for care in the demo plan; grades 1–2 do not)
    const [family] = await queryRows<{ phone: string; student_id: string }>(
      e2e.server.database.db,
      sql`SELECT a.phone, l.student_id FROM ledger_entries l
            JOIN student_guardians sg ON sg.school_id = l.school_id AND sg.student_id = l.student_id
            JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
            JOIN accounts a ON a.id = g.account_id
           WHERE l.term_id = ${termId} AND l.account = 'receivable.guardian'
             AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.school_id = l.school_id AND p.student_id = l.student_id)
           GROUP BY a.phone, l.student_id HAVING SUM(l.amount_fen) > 0 ORDER BY a.phone LIMIT 1`,
    );
    await acceptNotice(await login(e2e.server.app, family.phone));

    // the guardian's phone: home → 缴费 → the bill with its lines
    const phone = await e2e.phone();
    const phoneErrors = watchErrors(phone);
    await loginAs(phone, family.phone);
    await phone.goto('/m/family');
    await phone.locator('.adm-list-item').filter({ hasText: '账单、缴费、收据' }).first().waitFor();
    await phone.goto(`/m/invoices/${family.student_id}`);
    await phone.getByTestId('due').waitFor();
    const dueBefore = await textOf(phone, 'due');
    await shot(phone, 'money-1-guardian-bill');
    expect(dueBefore).toMatch(/^¥[\d,]+\.\d{2}$/);
    expect(dueBefore).not.toBe('¥0.00');
    await shot(phone, 'money-1-guardian-bill');

    // the waiver application
    await phone.getByRole('button', { name: '申请减免' }).click();
    await phone.getByText('最低生活保障家庭（低保）').click();
    await phone.locator('textarea').fill('低保家庭，低保证号 371002-2026-0815');
    await phone.getByRole('button', { name: '提交申请' }).click();
    await phone.getByText('审核中').waitFor();
    await shot(phone, 'money-2-guardian-waiver-pending');

    // the office approves half (BILLING's decision route)
    const studentId = new URL(phone.url()).pathname.split('/').pop() as string;
    const [w] = await queryRows<{ id: string }>(
      e2e.server.database.db,
      sql`SELECT id FROM waivers WHERE student_id = ${studentId} AND status = 'pending' AND source = 'application'`,
    );
    const decided = await admin.post(`/api/billing/waivers/${w.id}/decision`, {
      decision: 'approve',
      basisPoints: 5000,
      note: '核实低保证，减免一半',
    });
    expect(decided.status).toBe(200);

    // back on the phone: the outcome, less due; pay it online through the simulator's checkout
    await phone.reload();
    await phone.getByText('已批准').waitFor();
    const dueAfter = await textOf(phone, 'due');
    expect(dueAfter).not.toBe(dueBefore);
    await phone.getByRole('button', { name: /线上缴费/ }).click();
    await phone.waitForURL((u) => u.toString().startsWith(sim.url));
    await phone.getByRole('button', { name: /确认支付/ }).waitFor();
    await shot(phone, 'money-3-provider-checkout');
    await phone.getByRole('button', { name: /确认支付/ }).click();
    await phone.waitForURL(/\/m\/invoices\//);
    await phone.getByTestId('due').filter({ hasText: '¥0.00' }).waitFor();
    await shot(phone, 'money-4-guardian-paid');
    await phone.locator('.adm-list-item').filter({ hasText: '线上支付' }).first().click();
    await phone.getByTestId('receipt').waitFor();
    expect(await phone.getByTestId('receipt').textContent()).toContain('人民币');
    await shot(phone, 'money-5-guardian-receipt');
    expect(phoneErrors).toEqual([]);

    // the office: a cash payment for another billed pupil, then its receipt
    const [other] = await queryRows<{ name: string; student_id: string }>(
      e2e.server.database.db,
      sql`SELECT s.name, l.student_id FROM ledger_entries l JOIN students s ON s.school_id = l.school_id AND s.id = l.student_id
           WHERE l.term_id = ${termId} AND l.account = 'receivable.guardian' AND l.student_id <> ${studentId}
           GROUP BY s.name, l.student_id HAVING SUM(l.amount_fen) >= 10000 ORDER BY s.name LIMIT 1`,
    );
    const desk = await e2e.desktop();
    const deskErrors = watchErrors(desk);
    await loginAs(desk, 'admin');
    await desk.goto('/office/payments');
    await desk.getByRole('button', { name: /登记收款/ }).click();
    await desk.getByLabel('学生').fill(other.name);
    // the option whose label is exactly this pupil (another pupil's name may contain this one)
    await desk.locator(`.ant-select-item-option[title^="${other.name} · "]`).first().click();
    await desk.locator(`.ant-select-content-has-value[title^="${other.name} · "]`).waitFor();
    await desk.getByText(/本学期应缴/).waitFor();
    await desk.getByLabel('金额（元）').fill('100');
    await desk.getByLabel('流水号/凭证号').fill('');
    await desk.getByRole('button', { name: /^\s*确\s*定\s*$|^OK$/ }).click();
    await desk.getByText(/已登记，收据号/).waitFor();
    await settle(desk);
    await shot(desk, 'money-6-office-payments');
    await desk
      .getByRole('button', { name: /收\s*据/ })
      .first()
      .click();
    await desk.getByTestId('receipt').waitFor();
    expect(await desk.getByTestId('receipt').textContent()).toContain('壹佰元整');
    await shot(desk, 'money-7-office-receipt');

    // the term's accounts: other spending, publish, the public page
    await desk.goto('/office/accounts');
    await desk.getByTestId('accounts-report').waitFor();
    await desk.getByRole('button', { name: /登记支出/ }).click();
    await desk.getByLabel('用途').fill('美术与手工耗材');
    await desk.getByLabel('金额（元）').fill('880');
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /^\s*确\s*定\s*$|^OK$/ })
      .click();
    await desk.getByText('已登记').waitFor();
    await desk.getByRole('button', { name: /^\s*公\s*示\s*$/ }).click();
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /^\s*确\s*定\s*$|^OK$/ })
      .click();
    await desk.getByText(/已公示第 \d+ 版/).waitFor();
    await desk.locator('.ant-modal').first().waitFor({ state: 'hidden' });
    await settle(desk);
    await shot(desk, 'money-8-office-accounts');
    expect(deskErrors).toEqual([]);

    const pub = await e2e.desktop();
    await pub.goto(`/accounts/${schoolCode}`);
    await pub.getByTestId('accounts-report').waitFor();
    const sheet = (await pub.getByTestId('accounts-report').textContent()) ?? '';
    expect(sheet).toContain('课后服务收支公示');
    expect(sheet).toContain('耗材与活动材料');
    expect(sheet).toMatch(/第 \d+ 版/);
    await shot(pub, 'money-9-public-accounts');
    await pub.emulateMedia({ media: 'print' });
    await shot(pub, 'money-10-public-accounts-print');
  });
});
