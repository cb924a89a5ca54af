/**
 * The office's billing desk in Chromium: fee standards from the published plan, 生成账单 with its
 * progress, a pupil's printable statement, deciding a guardian's waiver application, and the term's
 * reconciliation before closing. (The guardian's side and payments: e2e/money journey of PAYMENTS.)
 */
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, loginAs, settle, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E();
const api = (page: Page, re: RegExp, method = 'POST') =>
  page.waitForResponse((r: Response) => r.request().method() === method && re.test(new URL(r.url()).pathname));

describeE2E('billing', () => {
  it('fees, a billing run with progress, a statement, a waiver decision, the reconciliation', async () => {
    const office = await e2e.desktop();
    const errors = watchErrors(office);
    await loginAs(office, 'admin');

    await office.goto('/office/billing/fees');
    await office.getByText('普通托管（三至六年级）').waitFor();
    await settle(office);
    await shot(office, 'billing-1-fees');

    await office.goto('/office/billing');
    const started = api(office, /\/billing\/terms\/[^/]+\/runs$/);
    await office.getByRole('button', { name: /生成/ }).click();
    expect((await started).status()).toBe(202);
    await office.getByText(/完成：/).waitFor({ timeout: 60_000 });
    await settle(office);
    await shot(office, 'billing-2-bills');

    await office.locator('.ant-table-row').first().click();
    await office.getByText('课后服务费用明细').waitFor();
    await settle(office);
    await shot(office, 'billing-3-statement');
    await office.emulateMedia({ media: 'print' });
    await shot(office, 'billing-3-statement-print');
    await office.emulateMedia({ media: 'screen' });

    await office.goto('/office/billing/waivers');
    await office
      .getByRole('button', { name: /^批\s*准$/ })
      .first()
      .click();
    const decided = api(office, /\/billing\/waivers\/[^/]+\/decision$/);
    await office
      .locator('.ant-modal')
      .getByRole('button', { name: /OK|确\s*定/ })
      .click();
    expect((await decided).status()).toBe(200);
    await office.getByText('没有待审批的申请').waitFor();
    await shot(office, 'billing-4-waivers');

    await office.goto('/office/billing/close');
    await office.getByText(/账目平衡/).waitFor();
    await settle(office);
    await shot(office, 'billing-5-close');
    expect(errors).toEqual([]);
  }, 180_000);
});
