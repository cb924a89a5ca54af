/**
 * The needs survey end to end: the office sees the demand of the open demo survey; the demo
 * guardian, on a phone, finds the survey card at the top of her home, answers for her child
 * (Monday–Friday afternoons, Friday late, sport, 17:30, lunch) and sees "已提交"; the card is gone;
 * the office's demand for Monday afternoon (grades 1–2) has gone up by one; the homeroom teacher
 * sees the class on the phone.
 */
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, loginAs, settle, shot, setupE2E, watchErrors } from './harness';

const e2e = setupE2E();

interface Cell {
  weekday: number;
  slot: string;
  band: string;
  pupils: number;
}

const waitApi = (page: Page, re: RegExp, method = 'GET') =>
  page.waitForResponse((r: Response) => r.request().method() === method && re.test(new URL(r.url()).pathname));

/** Monday afternoon, grades 1–2, as the API and as the office's matrix show it. */
async function mondayAfternoonLow(page: Page, surveyId: string) {
  const res = await page.request.get(`/api/surveys/${surveyId}/demand`);
  const cells = (await res.json()).demand.cells as Cell[];
  return cells.find((c) => c.weekday === 1 && c.slot === 'afternoon' && c.band === 'low')?.pupils ?? -1;
}

describeE2E('needs survey: a guardian answers on the phone, the office sees the demand go up', () => {
  it('answers the survey and the demand goes up by one', async () => {
    // ---- the office: the demand of the open survey
    const office = await e2e.desktop();
    const officeErrors = watchErrors(office);
    await office.goto('/');
    await loginAs(office, 'admin');
    await office.goto('/office/survey');
    await office.getByRole('tab', { name: '需求矩阵' }).waitFor();
    await settle(office);
    const list = await (await office.request.get('/api/surveys')).json();
    const survey = list.items.find((s: { status: string }) => s.status === 'open');
    expect(survey).toBeTruthy();
    const before = await mondayAfternoonLow(office, survey.id);
    expect(before).toBeGreaterThan(0);
    const lowRows = office.locator('tbody tr', { has: office.locator('td', { hasText: /^一、二年级$/ }) });
    // slots in order morning, noon, afternoon, late: the third low-band row is the afternoon's
    const afternoonLow = lowRows.nth(2);
    expect(await afternoonLow.locator('td').first().textContent()).toContain('下午课后服务');
    expect(await afternoonLow.locator('td').nth(2).textContent()).toContain(`${before} 人`);
    await shot(office, 'survey-office-before');

    // ---- the guardian on a phone
    const phone = await e2e.phone();
    const errors = watchErrors(phone);
    await phone.goto('/');
    await loginAs(phone, '13900000001');
    const me = await (await phone.request.get('/api/auth/me')).json();
    const school1 = me.contexts.find((c: { name: string }) => c.name === '环翠区实验小学');
    if (me.active?.id !== school1.id) {
      await phone.request.post('/api/auth/context', {
        data: { kind: 'school', id: school1.id },
        headers: { 'x-csrf-token': me.csrfToken },
      });
      await phone.goto('/m/family');
    }
    if ((await (await phone.request.get('/api/auth/me')).json()).consentRequired) {
      await phone.getByRole('button', { name: /我已阅读并同意/ }).click();
    }
    const card = phone.getByRole('region', { name: survey.title });
    await card.waitFor();
    await shot(phone, 'survey-guardian-home-card');
    await card.getByRole('button', { name: /去\s*填\s*写/ }).click();
    await phone.waitForURL(/\/m\/survey\//);
    await phone.getByRole('button', { name: '下午课后服务 全周' }).click();
    await phone.getByRole('button', { name: '延时托管 五' }).click();
    await phone.getByText('体育', { exact: true }).click();
    await phone.getByText('17:30', { exact: true }).click();
    await phone.getByRole('switch', { name: '在校吃午餐' }).click();
    await phone.getByLabel(/其他需要老师知道的/).fill('周五奶奶接');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // every day toggle is big enough for a thumb
    const box = await phone.getByRole('button', { name: '下午课后服务 一' }).boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
    expect(box?.width).toBeGreaterThanOrEqual(44);
    await shot(phone, 'survey-guardian-form');
    const saved = waitApi(phone, /\/api\/family\/children\/.+\/surveys\/.+/, 'PUT');
    await phone.getByRole('button', { name: /^提\s*交$/ }).click();
    expect((await saved).status()).toBe(200);
    await phone.getByText('已提交，谢谢！').waitFor();
    await shot(phone, 'survey-guardian-submitted');

    // the card on the home page is gone
    await phone.locator('.adm-nav-bar-back').click(); // antd-mobile's back arrow
    await phone.waitForURL(/\/m\/family/);
    await settle(phone);
    expect(await phone.getByRole('region', { name: survey.title }).count()).toBe(0);
    await shot(phone, 'survey-guardian-home-after');
    expect(errors).toEqual([]);

    // ---- the office: one more pupil on Monday afternoon (grades 1–2)
    expect(await mondayAfternoonLow(office, survey.id)).toBe(before + 1);
    await office.reload();
    await office.getByRole('tab', { name: '需求矩阵' }).waitFor();
    await settle(office);
    expect(await lowRows.nth(2).locator('td').nth(2).textContent()).toContain(`${before + 1} 人`);
    await shot(office, 'survey-office-after');
    await office.getByRole('tab', { name: '各班回收率' }).click();
    await shot(office, 'survey-office-rates');
    expect(officeErrors).toEqual([]);
  });

  it('the homeroom teacher sees the class: who has not answered, and the answers', async () => {
    const page = await e2e.phone();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'homeroom');
    await page
      .getByRole('tab', { name: '调查' })
      .or(page.getByText('调查', { exact: true }))
      .first()
      .click();
    await page.waitForURL(/\/m\/class-survey/);
    await page.getByText(/已填写 \d+ \/ \d+ 人/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'survey-homeroom-missing');
    await page.getByText(/^已填写 \(\d+\)$/).click();
    await shot(page, 'survey-homeroom-answered');
    await page.getByText('汇总', { exact: true }).click();
    await shot(page, 'survey-homeroom-summary');
    expect(errors).toEqual([]);
  });
});
