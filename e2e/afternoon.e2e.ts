/**
 * The family side of the afternoon on phones: the guardian (13900000001) asks for leave today after
 * the cut-off (refused: call the homeroom teacher) and for tomorrow (pending), and announces a
 * substitute for today; the homeroom teacher writes a hand-over note for the child and records a
 * classmate's leave from a phone call; the care teacher's roster shows both; the guardian shows
 * the pick-up code, the teacher types its 8 digits (the camera's fallback) and releases the child
 * to the guardian, who sees "已由 … 接走" and confirms with one tap.
 */
import { sql } from 'drizzle-orm';
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { queryRows } from '../src/server/db/client';
import { describeE2E, loginAs, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E();
const api = (page: Page, re: RegExp, method = 'POST') =>
  page.waitForResponse((r: Response) => r.request().method() === method && re.test(new URL(r.url()).pathname));

/** A call to the API from inside the page, with the session's CSRF token. */
const call = (page: Page, method: string, url: string, body?: unknown) =>
  page.evaluate(
    async ([m, u, b]) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(u as string, {
        method: m as string,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return res.status;
    },
    [method, url, body] as const,
  );

describeE2E('the family side of the afternoon', () => {
  it('leave, a substitute, the hand-over note on the roster, release with the pick-up code, the guardian’s confirmation', async () => {
    const db = e2e.server.database.db;
    const [child] = await queryRows<{ id: string; name: string; school_id: string; group_id: string }>(
      db,
      sql`SELECT s.id, s.name, s.school_id, a.group_id FROM students s JOIN student_guardians sg ON sg.school_id = s.school_id AND sg.student_id = s.id
            JOIN guardians gd ON gd.school_id = sg.school_id AND gd.id = sg.guardian_id JOIN accounts ac ON ac.id = gd.account_id
            JOIN attendance a ON a.school_id = s.school_id AND a.student_id = s.id
            JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
            JOIN staff t ON t.school_id = g.school_id AND t.id = g.teacher_staff_id JOIN accounts ta ON ta.id = t.account_id
           WHERE ac.phone = '13900000001' AND ta.username = 'teacher' AND g.slot = 'afternoon'
             AND a.day = (SELECT max(day) FROM attendance) LIMIT 1`,
    );
    expect(child, 'the demo parent’s child is in the demo teacher’s group today').toBeTruthy();
    // the afternoon starts again: nobody of the group marked yet
    await db.execute(sql`UPDATE attendance SET status = 'expected', handover = 'none', marked_at = NULL, released_at = NULL, released_to_name = NULL,
                          released_to_pickup_id = NULL, relay_at = NULL WHERE group_id = ${child.group_id}`);
    await db.execute(sql`DELETE FROM missing_cases WHERE group_id = ${child.group_id}`);
    await db.execute(
      sql`DELETE FROM leave_requests WHERE student_id IN (SELECT student_id FROM attendance WHERE group_id = ${child.group_id})`,
    );
    // the school's cut-off: midnight before the day, so today is always too late and tomorrow never
    await db.execute(sql`INSERT INTO afternoon_settings (school_id, settings, code_secret) VALUES (${child.school_id}, '{"leaveCutoffTime":"00:00"}', 'e2e-secret')
                         ON CONFLICT (school_id) DO UPDATE SET settings = EXCLUDED.settings`);
    const [classmate] = await queryRows<{ name: string }>(
      db,
      sql`SELECT s.name FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
           WHERE a.group_id = ${child.group_id} AND a.day = (SELECT max(day) FROM attendance) AND s.class_id = (SELECT class_id FROM students WHERE id = ${child.id})
             AND s.id <> ${child.id} AND s.name <> ${child.name} ORDER BY s.student_no LIMIT 1`,
    );
    expect(classmate).toBeTruthy();

    // ---- the guardian: leave today (too late) and tomorrow; a substitute for today
    const parent = await e2e.phone();
    const errors = watchErrors(parent);
    await loginAs(parent, '13900000001');
    expect(await call(parent, 'POST', '/api/auth/context', { kind: 'school', id: child.school_id })).toBe(200);
    const notice = await parent.evaluate(async () => (await (await fetch('/api/family/notice')).json()).version);
    await call(parent, 'POST', '/api/family/consent', { version: notice, accept: true });
    await parent.goto('/m/family');
    await parent.getByTestId('today-line').first().waitFor();
    await shot(parent, 'afternoon-1-guardian-card');
    await parent.getByRole('button', { name: '请假', exact: true }).first().click();
    await parent.getByText('请哪些托管').waitFor();
    await parent.locator('.adm-selector-item', { hasText: /^今天/ }).click();
    await parent.locator('textarea').fill('看牙医');
    const late = api(parent, /\/leave$/);
    await parent.getByRole('button', { name: '提交请假' }).click();
    expect((await late).status()).toBe(422);
    await parent.getByText('已过请假截止时间').first().waitFor();
    await shot(parent, 'afternoon-2-leave-cutoff');
    await parent.getByRole('button', { name: /我知道了|OK/ }).click();
    await parent.locator('.adm-selector-item', { hasText: /^明天/ }).click();
    const asked = api(parent, /\/leave$/);
    await parent.getByRole('button', { name: '提交请假' }).click();
    expect((await asked).status()).toBe(200);
    await parent.getByText('待审批').first().waitFor();
    await shot(parent, 'afternoon-3-leave-pending');

    await parent.goto('/m/family');
    await parent.getByRole('button', { name: '临时接送人' }).first().click();
    await parent.getByPlaceholder('姓名').fill('王阿姨');
    await parent.locator('.adm-selector-item', { hasText: /^邻居$/ }).click();
    await parent.getByPlaceholder('13800000000').fill('13912345678');
    await parent.getByPlaceholder('123X').fill('123X');
    const announced = api(parent, /\/substitutes$/);
    await parent.getByRole('button', { name: '登记临时接送人' }).click();
    expect((await announced).status()).toBe(200);
    await parent.locator('.adm-list-item', { hasText: '王阿姨' }).waitFor();
    await shot(parent, 'afternoon-4-substitute');

    // ---- the homeroom teacher: a note for the child, a classmate's leave from a phone call
    const homeroom = await e2e.phone();
    await loginAs(homeroom, 'homeroom');
    await homeroom.goto('/m/handover');
    await homeroom.getByRole('button', { name: `${child.name} 备注` }).click();
    await homeroom.locator('.adm-popup textarea').fill('16:00 吃一次感冒药（书包侧袋）');
    const noted = api(homeroom, /\/handover\/notes$/);
    await homeroom.getByRole('button', { name: '保存备注' }).click();
    expect((await noted).status()).toBe(200);
    await homeroom.getByText('用药：16:00 吃一次感冒药').first().waitFor();
    await shot(homeroom, 'afternoon-5-handover');
    await homeroom.goto('/m/leave');
    await homeroom.getByRole('button', { name: '登记电话请假' }).click();
    const search = homeroom.locator('.adm-popup input[type="search"], .adm-popup .adm-search-bar input').first();
    await search.fill(classmate.name);
    await search.press('Enter');
    await homeroom.locator('.adm-popup .adm-list-item', { hasText: classmate.name }).first().click();
    await homeroom.locator('.adm-popup textarea').fill('家长来电：发烧');
    const recorded = api(homeroom, /\/leave\/calls$/);
    await homeroom.getByRole('button', { name: '登记（立即生效）' }).click();
    expect((await recorded).status()).toBe(200);
    await homeroom.getByText('家长来电：发烧').first().waitFor();
    await shot(homeroom, 'afternoon-6-leave-desk');
    // the guardian's request for tomorrow: approved by the homeroom teacher (the school's default), the guardian is told
    const decided = api(homeroom, /\/decide$/);
    await homeroom.getByRole('button', { name: '批准', exact: true }).first().click();
    expect((await decided).status()).toBe(200);
    await homeroom
      .getByText('待审批')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => {});

    // ---- the care teacher: the roster shows the leave and the note; all present
    const teacher = await e2e.phone();
    await loginAs(teacher, 'teacher');
    await teacher.goto(`/m/rollcall/${child.group_id}`);
    await teacher.getByText('请假：家长来电：发烧').waitFor();
    await teacher.getByText('用药：16:00 吃一次感冒药（书包侧袋）').first().waitFor();
    const present = api(teacher, /\/all-present$/);
    await teacher.getByRole('button', { name: /全部到/ }).click();
    expect((await present).status()).toBe(200);
    await teacher.getByRole('button', { name: `${classmate.name} 请假` }).waitFor();
    await shot(teacher, 'afternoon-7-roster');

    // ---- the guardian shows the code; the teacher types its digits and hands the child over
    await parent.goto('/m/family');
    await parent.getByRole('button', { name: '接孩子' }).first().click();
    const digits = (await parent.getByTestId('pickup-digits').textContent())?.replace(/\s/g, '') as string;
    expect(digits).toMatch(/^\d{8}$/);
    await shot(parent, 'afternoon-8-pickup-code');
    await teacher.getByRole('tab', { name: '交接' }).click();
    await teacher.locator('.adm-list-item', { hasText: child.name }).first().click();
    await teacher.getByText('家长登记的今日临时接送人').waitFor();
    await teacher.getByRole('textbox', { name: '8 位接送码' }).fill(digits);
    await shot(teacher, 'afternoon-9-release-dialog');
    const released = api(teacher, /\/release-code$/);
    await teacher.getByRole('button', { name: '核对并交接' }).click();
    expect((await released).status()).toBe(200);
    await teacher
      .getByText(/由 张秀英（母亲，接送码） 接走/)
      .first()
      .waitFor();
    await shot(teacher, 'afternoon-10-released');

    await parent.goto('/m/family');
    await parent
      .getByText(/已由 张秀英（母亲，接送码） 接走/)
      .first()
      .waitFor();
    const confirmed = api(parent, /\/confirm-pickup$/);
    await parent.getByRole('button', { name: '确认已接到孩子' }).click();
    expect((await confirmed).status()).toBe(200);
    await parent.getByText('您已确认接到孩子').waitFor();
    await parent.goto('/m/notifications');
    await parent
      .getByText(/的请假已批准/)
      .first()
      .waitFor();
    await shot(parent, 'afternoon-11-confirmed');
    const [rec] = await queryRows<{ via: string; confirmed_at: Date | null }>(
      db,
      sql`SELECT via, confirmed_at FROM pickup_records WHERE student_id = ${child.id} AND group_id = ${child.group_id}`,
    );
    expect(rec.via).toBe('code');
    expect(rec.confirmed_at).toBeTruthy();

    // ---- the duty leader's line-up count: a short count is flagged on the console
    const duty = await e2e.phone();
    await loginAs(duty, 'duty');
    await duty.goto('/m/duty');
    await duty.getByText('站队清点').waitFor();
    const input = duty.getByRole('textbox', { name: /清点人数$/ }).first();
    await input.fill('1');
    const counted = api(duty, /\/afternoon\/headcounts$/);
    await duty.getByRole('button', { name: '记录', exact: true }).first().click();
    expect((await counted).status()).toBe(200);
    await duty
      .getByText(/^差 -\d+$/)
      .first()
      .waitFor();
    await shot(duty, 'afternoon-12-headcount');
    expect(errors).toEqual([]);
  }, 240_000);
});
