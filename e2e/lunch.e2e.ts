/**
 * Lunch and subsidies in Chromium: the office sees last month's lunch statement and the menu; the
 * subsidies page generates the month from the rota and check-ins and approves one; the district
 * sees budget against spending for its schools; the guardian's phone shows this week's menu, the
 * child's lunch bill and (as a parent-committee member) the lunch accounts.
 */
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, loginAs, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E();
const api = (page: Page, re: RegExp, method = 'POST') =>
  page.waitForResponse((r: Response) => r.request().method() === method && re.test(new URL(r.url()).pathname));

describeE2E('lunch and subsidies', () => {
  it('office lunch, subsidies with approval, district funding, the guardian’s lunch on the phone', async () => {
    const office = await e2e.desktop();
    const errors = watchErrors(office);
    await loginAs(office, 'admin');
    await office.goto('/office/lunch');
    await office.getByText('威海鲜厨餐饮管理有限公司').first().waitFor();
    await shot(office, 'lunch-1-statements');
    // a family's lunch money for the month: collected at the desk, the line shows it paid
    await office
      .getByRole('button', { name: /明\s*细/ })
      .first()
      .click();
    const drawer = office.getByRole('dialog');
    await drawer.locator('tbody tr').first().waitFor();
    await shot(office, 'lunch-1a-detail');
    const due = drawer.locator('tr', { has: office.getByText(/^待缴/) }).first();
    await due.waitFor();
    const pupil = (await due.locator('td').nth(1).innerText()).trim();
    await due.getByRole('button', { name: /收\s*费/ }).click();
    const collected = api(office, /\/api\/lunch\/statements\/.+\/payments$/);
    await office.getByRole('button', { name: /确\s*定|OK/ }).click();
    expect((await collected).status()).toBe(200);
    await drawer.locator('tr', { hasText: pupil }).getByText('已缴').waitFor();
    await shot(office, 'lunch-1b-collected');
    await office.keyboard.press('Escape');
    await office.getByRole('tab', { name: '每周菜单' }).click();
    await office.getByLabel('周一').waitFor();
    expect(await office.getByLabel('周一').inputValue()).toContain('红烧鸡腿');
    await shot(office, 'lunch-2-menu');
    await office.getByRole('tab', { name: '陪餐记录' }).click();
    await shot(office, 'lunch-3-accompany');

    await office.goto('/office/subsidies');
    await office.getByText('托管教师').first().waitFor();
    const generated = api(office, /\/subsidies\/statements$/);
    await office.getByRole('button', { name: /按排班与到岗生成/ }).click();
    expect((await generated).status()).toBe(200);
    await office.locator('.ant-table-row').first().waitFor();
    await shot(office, 'lunch-4-subsidies');

    const district = await e2e.desktop();
    await loginAs(district, 'district');
    await district.goto('/district/funding');
    await district.getByText('偏远').first().waitFor();
    await shot(district, 'lunch-5-funding');

    const parent = await e2e.phone();
    await loginAs(parent, '13900000001');
    await parent.goto('/m/family');
    if ((await (await parent.request.get('/api/auth/me')).json()).consentRequired) {
      await parent.getByRole('button', { name: /我已阅读并同意/ }).click();
    }
    await parent.getByText('本周菜单和午餐费').first().click();
    await parent.getByText('本周菜单').waitFor();
    await parent.getByText('家委会：午餐账目').waitFor();
    await shot(parent, 'lunch-6-family');
    expect(errors).toEqual([]);
  });
});
