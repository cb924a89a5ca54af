/**
 * The care log in Chromium: the duty leader keeps the console open on a phone; the care teacher
 * reports an injury on a phone; the console shows it live (SSE), the homeroom teacher or the school
 * leader finds the notification and acknowledges it; the duty leader records a patrol and closes the
 * incident with an outcome; the office sees the console on a desktop and the outbox page.
 */
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, loginAs, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E();
const btn = (label: string) => new RegExp(`(^|\\s)${[...label].join('\\s*')}`);
const api = (page: Page, re: RegExp, method = 'POST') =>
  page.waitForResponse((r: Response) => r.request().method() === method && re.test(new URL(r.url()).pathname));

describeE2E('care log', () => {
  it('an incident reported on a phone reaches the duty console live and the people told; a patrol; closing', async () => {
    const duty = await e2e.phone();
    const dutyErrors = watchErrors(duty);
    await loginAs(duty, 'duty');
    await duty.goto('/m/duty');
    await duty.getByTestId('incidents-panel').waitFor();
    await duty.getByText(/托管事件 \(0\)/).waitFor();

    const teacher = await e2e.phone();
    const errors = watchErrors(teacher);
    await loginAs(teacher, 'teacher');
    await teacher.goto('/m/carelog');
    await teacher.getByText('涉及的学生').waitFor();
    // a pupil of 一(1)班 when there is one (its homeroom teacher is a demo login)
    const groupId = await teacher.evaluate(async () => (await (await fetch('/api/daily/today?mine=1')).json()).groups[0].id);
    const roster = await teacher.evaluate(async (id) => (await (await fetch(`/api/daily/groups/${id}/roster`)).json()).pupils, groupId);
    const pupil = roster.find((p: { className: string }) => p.className === '一(1)班') ?? roster[0];
    await teacher.locator('.adm-checkbox').filter({ hasText: pupil.name }).first().click();
    await teacher
      .locator('.adm-selector-item')
      .filter({ hasText: /^受伤$/ })
      .click();
    await teacher
      .locator('.adm-selector-item')
      .filter({ hasText: /^较重$/ })
      .click();
    await teacher.getByTestId('incident-description').locator('textarea').fill('跳绳时摔倒，右膝擦伤出血');
    await shot(teacher, 'carelog-1-teacher-incident');
    await teacher.getByTestId('incident-submit').click();
    const sent = api(teacher, /\/carelog\/incidents$/);
    await teacher
      .locator('.adm-dialog')
      .getByRole('button', { name: /^\s*确定\s*$/ })
      .click();
    expect((await sent).status()).toBe(201);
    await teacher.getByText(/已报告，已通知 \d+ 人/).waitFor();

    // the console, untouched, shows it through the live stream
    await duty.getByTestId('incidents-panel').getByText('跳绳时摔倒，右膝擦伤出血').waitFor({ timeout: 15_000 });
    await duty.getByText(/托管事件 \(1\)/).waitFor();
    await shot(duty, 'carelog-2-duty-live');

    // the person told sees the notification and acknowledges it
    const told = await e2e.phone();
    await loginAs(told, pupil.className === '一(1)班' ? 'homeroom' : 'admin');
    await told.goto('/m/notifications');
    await told.getByText(`托管事件（较重）：${pupil.name} 受伤`).first().waitFor();
    await shot(told, 'carelog-3-notification');
    await told.goto('/m/carelog');
    await told.getByTestId('incident-ack').first().waitFor();
    await shot(told, 'carelog-3b-acknowledge');
    const acked = api(told, /\/ack$/);
    await told.getByTestId('incident-ack').first().click();
    expect((await acked).status()).toBe(200);
    await duty
      .getByText(/已确认 1\//)
      .first()
      .waitFor({ timeout: 15_000 });

    // a patrol of the teacher's group
    await duty.getByTestId('patrol-add').click();
    await duty.locator('.ant-modal .ant-select').click();
    await duty.locator('.ant-select-item-option').first().click();
    await duty.getByTestId('patrol-note').fill('秩序良好，学生在写作业');
    const patrolled = api(duty, /\/carelog\/patrols$/);
    await duty
      .locator('.ant-modal')
      .getByRole('button', { name: btn('确定') })
      .click();
    expect((await patrolled).status()).toBe(201);
    await duty.getByText('秩序良好，学生在写作业').waitFor();

    // closing with an outcome
    await duty
      .getByTestId('incidents-panel')
      .getByRole('button', { name: btn('结案') })
      .first()
      .click();
    await duty.getByPlaceholder('处理结果（必填）').fill('已联系家长接回，伤口已处理');
    const closed = api(duty, /\/close$/);
    await duty
      .locator('.ant-modal')
      .filter({ hasText: /结案：/ })
      .getByRole('button', { name: btn('确定') })
      .click();
    expect((await closed).status()).toBe(200);
    await duty.getByText('✔ 已联系家长接回，伤口已处理').waitFor();
    await shot(duty, 'carelog-4-duty-closed');

    // the office on a desktop: the console and the outbox page
    const office = await e2e.desktop();
    await loginAs(office, 'admin');
    await office.goto('/office/duty');
    await office.getByText('巡视记录 (3)').waitFor();
    await shot(office, 'carelog-5-office-duty');
    await office.goto('/office/outbox');
    await office.getByText('外发渠道', { exact: true }).waitFor();
    await shot(office, 'carelog-6-office-outbox');
    expect(errors).toEqual([]);
    expect(dutyErrors).toEqual([]);
  }, 180_000);
});
