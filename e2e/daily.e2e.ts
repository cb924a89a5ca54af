/**
 * Every afternoon on a phone and a desktop: the care teacher opens today's group, marks a pupil
 * absent with one tap (the homeroom teacher of 一(1)班 gets the alert), releases a pupil to an adult
 * allowed today, sends the rest to relay care; the duty leader sees the missing case and the relay
 * pupils, and 结束今日 is refused with the list of pupils still unaccounted for.
 */
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, loginAs, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E();
const btn = (label: string) => new RegExp(`(^|\\s)${[...label].join('\\s*')}`);
const api = (page: Page, re: RegExp, method = 'POST') =>
  page.waitForResponse((r: Response) => r.request().method() === method && re.test(new URL(r.url()).pathname));

describeE2E('every afternoon', () => {
  it('roll call, absence alert, release, relay, and a day that cannot close with a child unaccounted for', async () => {
    const teacher = await e2e.phone();
    const errors = watchErrors(teacher);
    await loginAs(teacher, 'teacher');
    await teacher.goto('/m/rollcall');
    await teacher.getByRole('button', { name: '点名 / 交接' }).first().click();
    await teacher.getByRole('button', { name: btn('全部到') }).waitFor();
    await shot(teacher, 'daily-1-rollcall');

    // one tap cycles a present pupil to 迟到; three more to 未到 (each saved at once)
    const present = teacher.locator('button[aria-label$=" 到"]').first();
    const label = (await present.getAttribute('aria-label')) as string;
    const name = label.replace(/ 到$/, '');
    for (const next of ['迟到', '请假', '未到']) {
      const saved = api(teacher, /\/attendance$/);
      await teacher.getByRole('button', { name: new RegExp(`^${name} `) }).click();
      expect((await saved).status()).toBe(200);
      await teacher.getByRole('button', { name: `${name} ${next}` }).waitFor();
    }

    // the release list: tap a waiting pupil, choose the first adult allowed today
    await teacher.getByRole('tab', { name: '交接' }).click();
    await teacher.locator('.adm-list-item-content-arrow').first().click();
    await teacher.getByText(/今天可接/).waitFor();
    const released = api(teacher, /\/release$/);
    await teacher.locator('.adm-popup .adm-list-item').first().click();
    expect((await released).status()).toBe(200);
    await shot(teacher, 'daily-2-release');
    const relayed = api(teacher, /\/relay$/);
    await teacher.getByRole('button', { name: /移交值班/ }).click();
    await teacher.getByRole('button', { name: /确定|OK/ }).click();
    expect((await relayed).status()).toBe(200);

    // the homeroom teacher of the absent pupil's class was told (when the pupil is in 一(1)班, the demo login)
    const groupId = new URL(teacher.url()).pathname.split('/').pop() as string;
    const roster = await teacher.evaluate(async (id) => (await fetch(`/api/daily/groups/${id}/roster`)).json(), groupId);
    const pupil = roster.pupils.find((p: { name: string }) => p.name === name);
    expect(pupil.status).toBe('absent');
    expect(pupil.caseOpen).toBe(true);
    if (pupil.className === '一(1)班') {
      const homeroom = await e2e.phone();
      await loginAs(homeroom, 'homeroom');
      await homeroom.goto('/m/notifications');
      await homeroom.getByText(`${name} 托管点名未到`).first().waitFor();
      await shot(homeroom, 'daily-homeroom-alert');
    }

    const duty = await e2e.phone();
    await loginAs(duty, 'duty');
    await duty.goto('/m/duty');
    await duty.getByText(/未到个案/).waitFor();
    await expect(duty.getByText(name).first().isVisible()).resolves.toBe(true);
    const refused = api(duty, /\/daily\/close$/);
    await duty.getByRole('button', { name: btn('结束今日') }).click();
    expect((await refused).status()).toBe(409);
    await duty.getByText(/还有学生未交接或去向不明/).waitFor();
    await shot(duty, 'daily-3-duty-refused');
    expect(errors).toEqual([]);
  }, 180_000);
});
