/**
 * Roll call without network on a phone: the app is installable (manifest, icons, service worker);
 * 我已到岗 tapped offline is sent when back online; the teacher opens the group, the phone goes offline, three taps are shown at once and wait on the
 * phone ("3 条待同步"), survive a reload from the service worker's cache, and are sent in order when
 * the network is back; the duty leader then sees the marks, and sending the same writes again with
 * their keys changes nothing.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../src/server/db/client';
import { describeE2E, loginAs, setupE2E, shot, watchErrors } from './harness';

const e2e = setupE2E({ scale: 0.3 });
const NEXT: Record<string, string> = { 未点: '到', 到: '迟到', 迟到: '请假', 请假: '未到', 未到: '到' };

describeE2E('roll call offline', () => {
  it('installs, marks offline, syncs once back online, and a replay does not duplicate', async () => {
    const teacher = await e2e.phone();
    const errors = watchErrors(teacher);
    await loginAs(teacher, 'teacher');
    await teacher.goto('/m/rollcall');

    // installable: the manifest is linked and complete, the service worker controls the page
    const manifest = await teacher.evaluate(async () => {
      const link = document.querySelector('link[rel="manifest"]') as HTMLLinkElement;
      return (await fetch(link.href)).json();
    });
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    await teacher.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 20_000 });
    const cdp = await teacher.context().newCDPSession(teacher);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors.map((e: { errorId: string }) => e.errorId).filter((id: string) => id !== 'in-incognito')).toEqual([]);

    // 我已到岗 offline: shown at once, one write waiting, sent when back online (the demo checked in already: undo that)
    const db = e2e.server.database.db;
    await db.execute(sql`DELETE FROM teacher_checkins WHERE account_id = (SELECT id FROM accounts WHERE username = 'teacher')`);
    await teacher.reload();
    await teacher
      .getByRole('button', { name: /我已到岗/ })
      .first()
      .waitFor();
    await teacher.context().setOffline(true);
    await teacher
      .getByRole('button', { name: /我已到岗/ })
      .first()
      .click();
    await teacher
      .getByText(/已到岗 \d\d:\d\d/)
      .first()
      .waitFor();
    await teacher.getByText('离线：1 条待同步，已保存在本机，联网后自动同步').waitFor();
    await shot(teacher, 'offline-0-checkin');
    await teacher.context().setOffline(false);
    await teacher.getByText('已全部同步').waitFor({ timeout: 30_000 });
    const checkins = await queryRows(
      db,
      sql`SELECT 1 FROM teacher_checkins WHERE account_id = (SELECT id FROM accounts WHERE username = 'teacher')`,
    );
    expect(checkins.length).toBeGreaterThan(0);

    await teacher.getByRole('button', { name: '点名 / 交接' }).first().click();
    await teacher.locator('button[aria-label]').first().waitFor();
    const groupId = new URL(teacher.url()).pathname.split('/').pop() as string;
    const audits = async () =>
      (
        await queryRows<{ n: number }>(
          e2e.server.database.db,
          sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'attendance.mark' AND entity_id = ${groupId}`,
        )
      )[0].n;
    const before = await audits();

    // offline: three taps, shown at once, waiting on the phone
    await teacher.context().setOffline(true);
    await teacher.getByText(/^离线/).waitFor();
    const buttons = teacher.locator('button[aria-label]:not([disabled])');
    const expected: Record<string, string> = {};
    for (let i = 0; i < 3; i++) {
      const label = (await buttons.nth(i).getAttribute('aria-label')) as string;
      const [name, status] = label.split(' ');
      expected[name] = NEXT[status];
      await buttons.nth(i).click();
      await teacher.getByRole('button', { name: `${name} ${NEXT[status]}` }).waitFor();
    }
    await teacher.getByText('离线：3 条待同步，已保存在本机，联网后自动同步').waitFor();
    await shot(teacher, 'offline-1-waiting');
    expect(await audits()).toBe(before);

    // a reload without network: the shell and the roster come from the service worker, the taps from the queue
    await teacher.reload();
    await teacher.getByText('离线：3 条待同步，已保存在本机，联网后自动同步').waitFor();
    for (const [name, status] of Object.entries(expected)) await teacher.getByRole('button', { name: `${name} ${status}` }).waitFor();
    const queued = await teacher.evaluate(
      () =>
        new Promise<{ key: string; url: string; body: unknown }[]>((resolve, reject) => {
          const open = indexedDB.open('kehou-offline');
          open.onsuccess = () => {
            const req = open.result.transaction('writes').objectStore('writes').getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          };
        }),
    );
    expect(queued).toHaveLength(3);
    await shot(teacher, 'offline-2-reloaded');

    // back online: sent in order, the banner says so, the server has the three marks once
    await teacher.context().setOffline(false);
    await teacher.getByText('已全部同步').waitFor({ timeout: 30_000 });
    await shot(teacher, 'offline-3-synced');
    expect(await audits()).toBe(before + 3);

    const duty = await e2e.phone();
    await loginAs(duty, 'duty');
    const roster = await duty.evaluate(async (id) => (await fetch(`/api/daily/groups/${id}/roster`)).json(), groupId);
    const zh: Record<string, string> = { 到: 'present', 迟到: 'late', 请假: 'leave', 未到: 'absent' };
    for (const [name, status] of Object.entries(expected))
      expect(roster.pupils.find((p: { name: string }) => p.name === name).status).toBe(zh[status]);
    await duty.goto('/m/duty');
    await duty
      .getByText(/未到个案|值班/)
      .first()
      .waitFor();
    await shot(duty, 'offline-4-duty');

    // the same writes again (an answer lost on the way back): replayed, nothing new
    const notices = async () =>
      (await queryRows<{ n: number }>(e2e.server.database.db, sql`SELECT count(*)::int AS n FROM notifications`))[0].n;
    const n0 = await notices();
    const replays = await teacher.evaluate(async (writes) => {
      const me = await (await fetch('/api/auth/me')).json();
      const out: unknown[] = [];
      for (const w of writes)
        out.push(
          await (
            await fetch(`/api${w.url}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, 'idempotency-key': w.key },
              body: JSON.stringify(w.body),
            })
          ).json(),
        );
      return out;
    }, queued);
    expect(replays.every((r) => (r as { replayed: boolean }).replayed)).toBe(true);
    expect(await audits()).toBe(before + 3);
    expect(await notices()).toBe(n0);

    // a refusal on replay is shown, not dropped: offline the teacher changes a pupil whom the duty leader
    // meanwhile hands to a guardian; back online the server refuses the mark and the banner says so
    await teacher.context().setOffline(true);
    await teacher.getByText(/^离线/).waitFor();
    const target = teacher.locator('button[aria-label$=" 到"]:not([disabled])').first();
    const who = ((await target.getAttribute('aria-label')) as string).split(' ')[0];
    await target.click();
    await teacher.getByRole('button', { name: `${who} 迟到` }).waitFor();
    const studentId = roster.pupils.find((p: { name: string }) => p.name === who).studentId;
    const handed = await duty.evaluate(
      async ({ id, sid }) => {
        const me = await (await fetch('/api/auth/me')).json();
        const { adults } = await (await fetch(`/api/daily/groups/${id}/pupils/${sid}/pickups`)).json();
        const res = await fetch(`/api/daily/groups/${id}/release`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({ studentId: sid, pickupPersonId: adults[0].id }),
        });
        return res.status;
      },
      { id: groupId, sid: studentId },
    );
    expect(handed).toBe(200);
    await teacher.context().setOffline(false);
    await teacher.getByText(new RegExp(`未能同步：${who} 迟到。${who} 已被接走`)).waitFor({ timeout: 30_000 });
    // the screen shows the server's state again: handed over, the mark unchanged
    await teacher.locator(`button[aria-label="${who} 到"][disabled]`).waitFor();
    await shot(teacher, 'offline-5-refused');
    await teacher.getByRole('button', { name: '知道了' }).click();
    await teacher.getByText(/未能同步/).waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  }, 180_000);
});
