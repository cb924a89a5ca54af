/**
 * A term from plan to seat, across every role, in Chromium:
 * the office (desktop) adds the spring term with an open application window, starts its plan from
 * the autumn plan, adds a lottery club for grades 1–2 and submits the plan; the district (`district`)
 * files it from the filing queue; the office publishes it; the demo guardian (13900000001, phone)
 * reads the public notice, answers the needs survey, signs the two agreements and applies for her
 * child — regular care on chosen weekdays and the lottery club; the homeroom teacher (phone)
 * approves the class's applications; the office draws the club's lottery (seed recorded and shown);
 * the guardian sees her child's seat or her place on the waitlist.
 */
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, loginAs, settle, shot, setupE2E, watchErrors } from './harness';

const e2e = setupE2E();

/** A button by its label: antd puts a space between two Chinese characters ("保 存"), an icon adds its name. */
const btn = (label: string) => new RegExp(`(^|\\s)${[...label].join('\\s*')}\\s*$`);

const api = (page: Page, path: RegExp, method = 'GET') =>
  page.waitForResponse((r: Response) => r.request().method() === method && path.test(new URL(r.url()).pathname));

const TERM = '2026—2027学年第二学期';
const CLUB = '航模社';

/** YYYY-MM-DD HH:mm in Asia/Shanghai, `days` from now. */
function shanghai(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/** Types a date into an antd picker input and confirms it. */
async function typeDate(input: ReturnType<Page['locator']>, value: string) {
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/** The guardian's active school is 环翠区实验小学 (she has a child at each school). */
async function guardianAtSchoolOne(page: Page) {
  const me = await (await page.request.get('/api/auth/me')).json();
  const school1 = me.contexts.find((c: { name: string }) => c.name === '环翠区实验小学');
  if (me.active?.id !== school1.id) {
    await page.request.post('/api/auth/context', { data: { kind: 'school', id: school1.id }, headers: { 'x-csrf-token': me.csrfToken } });
    await page.goto('/m/family');
  }
  if ((await (await page.request.get('/api/auth/me')).json()).consentRequired) {
    await page.getByRole('button', { name: /我已阅读并同意/ }).click();
  }
}

describeE2E('enrolment: plan → filing → publication → survey → application → review → lottery → seat', () => {
  let planId = '';
  let schoolCode = '';
  let termId = '';

  it('the office adds the spring term, writes its plan with a lottery club and submits it', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'admin');
    await page.goto('/office/plans');
    await page.getByRole('button', { name: btn('新增学期') }).click();
    const dialog = page.getByRole('dialog', { name: '新增学期' });
    await dialog.waitFor();
    await dialog.getByLabel('学期名称').fill(TERM);
    const dates = dialog.locator('.ant-picker-range').first().locator('input');
    await typeDate(dates.nth(0), '2027-02-22');
    await typeDate(dates.nth(1), '2027-07-02');
    const window = dialog.locator('.ant-picker-range').nth(1).locator('input');
    await typeDate(window.nth(0), shanghai(-1));
    await typeDate(window.nth(1), shanghai(30));
    await shot(page, 'enrol-01-term-form');
    const saved = api(page, /^\/api\/terms$/, 'POST');
    await dialog.getByRole('button', { name: btn('保存') }).click();
    expect((await saved).status()).toBe(200);
    const row = page.locator('tbody tr', { hasText: TERM });
    await row.waitFor();

    // the plan, copied from the autumn plan
    await row.getByRole('button', { name: btn('制定方案') }).click();
    const create = page.getByRole('dialog', { name: new RegExp(`制定方案 · ${TERM}`) });
    await create.waitFor();
    await create.locator('.ant-select').click();
    await page.locator('.ant-select-item-option').first().click();
    const created = api(page, /^\/api\/plans$/, 'POST');
    await create.getByRole('button', { name: /确\s*定|OK/ }).click();
    planId = ((await (await created).json()) as { id: string }).id;
    await page.waitForURL(`**/office/plans/${planId}`);
    schoolCode = ((await (await page.request.get('/api/school')).json()) as { code: string }).code;
    termId = ((await (await page.request.get(`/api/plans/${planId}`)).json()) as { termId: string }).termId;
    await settle(page);
    await shot(page, 'enrol-02-plan-slots');

    // a new lottery club for grades 1–2 on Tuesdays and Thursdays, two seats
    await page
      .getByRole('button', { name: /服务项目/ })
      .first()
      .click();
    await page.getByRole('button', { name: btn('新增项目') }).click();
    const form = page.getByRole('dialog', { name: '新增项目' });
    await form.waitFor();
    await form.getByLabel('项目名称').fill(CLUB);
    await form.getByLabel('类别').click();
    await page.locator('.ant-select-item-option', { hasText: '科技' }).click();
    const handles = form.getByRole('slider');
    await handles.nth(0).focus();
    for (let i = 0; i < 2; i++) await handles.nth(0).press('ArrowLeft');
    await handles.nth(1).focus();
    for (let i = 0; i < 4; i++) await handles.nth(1).press('ArrowLeft');
    await form.getByRole('checkbox', { name: '周二' }).check();
    await form.getByRole('checkbox', { name: '周四' }).check();
    await form.getByLabel('名额').fill('2');
    await form.getByLabel('录取方式').click();
    await page.locator('.ant-select-item-option', { hasText: '摇号' }).click();
    await shot(page, 'enrol-03-offering-form');
    const added = api(page, new RegExp(`^/api/plans/${planId}/offerings$`), 'POST');
    await form.getByRole('button', { name: /确\s*定|保\s*存|OK/ }).click();
    expect((await added).status(), await (await added).text()).toBe(200);
    await page.locator('tbody tr', { hasText: CLUB }).waitFor();
    await form.waitFor({ state: 'hidden' });
    await shot(page, 'enrol-04-offerings');

    // submit to the district
    const submit = page.getByRole('button', { name: btn('提交区教育局备案') });
    expect(await submit.isEnabled()).toBe(true);
    await submit.click();
    const submitted = api(page, new RegExp(`^/api/plans/${planId}/submit$`), 'POST');
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    expect((await submitted).status()).toBe(200);
    await page.getByText('方案正在区教育局审核中').waitFor();
    await shot(page, 'enrol-05-plan-submitted');
    expect((await (await page.request.get(`/api/plans/${planId}`)).json()).status).toBe('submitted');
    expect(errors).toEqual([]);
  });
  it('the district files the plan from its queue', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'district');
    await page.goto('/district/filing');
    const row = page.locator('tbody tr', { hasText: TERM });
    await row.waitFor();
    await shot(page, 'enrol-06-filing-queue');
    await row.click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByRole('button', { name: btn('予以备案') }).waitFor();
    await page.waitForTimeout(500); // the drawer slides in
    await shot(page, 'enrol-07-filing-drawer');
    await drawer.getByRole('button', { name: btn('予以备案') }).click();
    const filed = api(page, /\/versions\/\d+\/file$/, 'POST');
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    expect((await filed).status()).toBe(200);
    await settle(page);
    await shot(page, 'enrol-08-filed');
    expect(errors).toEqual([]);
  });

  it('the office publishes the filed plan; the public notice shows the club', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'admin');
    await page.goto(`/office/plans/${planId}`);
    await page.getByRole('button', { name: btn('向家长公示') }).click();
    const published = api(page, new RegExp(`^/api/plans/${planId}/publish$`), 'POST');
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    expect((await published).status()).toBe(200);
    await settle(page);
    await shot(page, 'enrol-09-published');
    expect(errors).toEqual([]);
  });

  it('the guardian reads the notice, answers the survey, signs and applies on her phone', async () => {
    const page = await e2e.phone();
    const errors = watchErrors(page);
    // the public notice, without logging in
    await page.goto(`/notice/${schoolCode}?term=${termId}`);
    await page.getByText(CLUB).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'enrol-10-notice-phone');

    await page.goto('/');
    await loginAs(page, '13900000001');
    await guardianAtSchoolOne(page);
    // the needs survey, from the card on her home page
    const surveys = await (await page.request.get('/api/family/surveys')).json().catch(() => null);
    const card = page.getByRole('region').filter({ has: page.getByRole('button', { name: /去\s*填\s*写/ }) });
    // the home page renders its cards after its queries answer: wait for the card, not a snapshot count
    const shown = await card
      .first()
      .waitFor({ timeout: 20_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) {
      await card
        .first()
        .getByRole('button', { name: /去\s*填\s*写/ })
        .click();
      await page.waitForURL(/\/m\/survey\//);
      await page.getByRole('button', { name: '下午课后服务 二' }).click();
      await page.getByRole('button', { name: '下午课后服务 四' }).click();
      await page.getByText('科技', { exact: true }).click();
      await page.getByText('17:30', { exact: true }).click();
      const saved = api(page, /\/api\/family\/children\/.+\/surveys\/.+/, 'PUT');
      await page.getByRole('button', { name: /^提\s*交$/ }).click();
      expect((await saved).status()).toBe(200);
      await page.getByText('已提交，谢谢！').waitFor();
      await shot(page, 'enrol-11-survey-answered');
    } else {
      throw new Error(`no survey card on the guardian's home: ${JSON.stringify(surveys)}`);
    }

    // apply for the spring term
    await page.goto('/m/apply');
    await page.waitForURL(/\/m\/apply\/.+/);
    await page.getByText(TERM).first().waitFor();
    await shot(page, 'enrol-12-apply-start');
    await page.getByText('我已阅读并同意以上两份协议').click();
    const signed = api(page, /^\/api\/family\/agreements\/sign$/, 'POST');
    await page.getByRole('button', { name: /签署协议/ }).click();
    expect((await signed).status()).toBe(200);
    await page.getByText('② 选择托管的日子和项目').waitFor();
    // regular care on Tuesday and Thursday, the lottery club, lunch
    for (const day of ['二', '四']) await page.locator(`[aria-label="普通托管（一二年级） 周${day}"]`).first().click();
    const club = page
      .locator('div', { has: page.getByText(CLUB, { exact: false }) })
      .filter({ has: page.getByRole('button', { name: /^报名$/ }) })
      .last();
    await club.getByRole('button', { name: /^报名$/ }).click();
    await page
      .getByRole('switch', { name: '午餐' })
      .or(page.getByRole('switch', { name: /午餐/ }))
      .first()
      .click();
    await shot(page, 'enrol-13-apply-form');
    const applied = api(page, /^\/api\/family\/applications$/, 'POST');
    await page.getByRole('button', { name: /提交申请/ }).click();
    const res = await applied;
    expect(res.status(), await res.text()).toBe(200);
    await page.getByText('待审核').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'enrol-14-applied');
    expect(errors).toEqual([]);
  });

  it('the homeroom teacher approves the class on her phone', async () => {
    const page = await e2e.phone();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'homeroom');
    await page.goto('/m/review');
    await page.getByText(TERM).first().click();
    const mine = page.locator('.adm-list-item', { hasText: CLUB });
    await mine.first().waitFor();
    await shot(page, 'enrol-15-review');
    // tick the class's applications (全选 appears only when several wait)
    const all = page.getByText('全选');
    if (await all.isVisible()) await all.click();
    else await mine.first().locator('.adm-checkbox').click();
    const reviewed = api(page, /^\/api\/applications\/review$/, 'POST');
    await page.getByRole('button', { name: /通过所选/ }).click();
    expect((await reviewed).status()).toBe(200);
    await page.getByText(/已通过 \d+ 份申请/).waitFor();
    await shot(page, 'enrol-16-reviewed');
    expect(errors).toEqual([]);
  });

  it('the office sees the reviewed applications and draws the lottery with a recorded seed', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'admin');
    // the office's desktop review: the whole school in a table, the spring term, approved ones
    await page.goto('/office/review');
    await page.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: TERM }).click();
    await page.getByText('已通过', { exact: true }).first().click();
    await page.locator('tbody tr', { hasText: CLUB }).first().waitFor();
    await shot(page, 'enrol-17a-office-review');
    await page.goto('/office/enrollment');
    const row = page.locator('tbody tr', { hasText: CLUB });
    await row.waitFor();
    await shot(page, 'enrol-17-enrollment-before');
    await row.getByRole('button', { name: /摇号/ }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: CLUB });
    await dialog.waitFor();
    await dialog.getByRole('textbox').fill('spring-2027-e2e');
    const drawn = api(page, /^\/api\/enrollment\/lottery$/, 'POST');
    await dialog.getByRole('button', { name: /开始摇号/ }).click();
    const res = await drawn;
    const run = await res.json();
    expect(res.status(), JSON.stringify(run)).toBe(200);
    expect(run.seed).toBe('spring-2027-e2e');
    await page.getByText('spring-2027-e2e').first().waitFor();
    await shot(page, 'enrol-18-lottery-result');
    expect(errors).toEqual([]);
  });

  it('the guardian sees the seat or her place on the waitlist', async () => {
    const page = await e2e.phone();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, '13900000001');
    await guardianAtSchoolOne(page);
    await page.goto('/m/apply');
    await page.waitForURL(/\/m\/apply\/.+/);
    const places = page.locator('.adm-card', { hasText: CLUB });
    await places.first().waitFor();
    await expect(places.first().textContent()).resolves.toMatch(/已录取|候补第 \d+ 位/);
    await shot(page, 'enrol-19-guardian-result');
    expect(errors).toEqual([]);
  });
});
