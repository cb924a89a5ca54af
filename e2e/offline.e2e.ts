/**
 * Roll call without network on a phone: the app is installable (manifest, icons, service worker);
 * 我已到岗 tapped offline is sent when back online; the teacher opens the group, the phone goes offline, three taps are shown at once and wait on the
 * phone ("3 条待同步"), survive a reload from the service worker's cache, and are sent in order when
 * the network is back; the duty leader then sees the marks, and sending the same writes again with
 * their keys changes nothing. The release dialog offline: the pupil's substitute (临时接送人) is on the
 * phone, the release to them waits in the queue and is sent when back online (one release, one
 * audit row, a replay with its key changes nothing); a typed pick-up code queued offline is checked
 * when it arrives, and a wrong one is refused and stays in the banner until read.
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

  it('releases to the substitute and by pick-up code offline; sent when back online, a wrong code refused on screen', async () => {
    const db = e2e.server.database.db;
    // the pupil of the demo teacher's group whose guardian announced a substitute for today (afternoon/demo.ts)
    const [sub] = await queryRows<{ id: string; name: string; student_id: string; pupil: string; group_id: string; day: string }>(
      db,
      sql`SELECT ps.id, ps.name, ps.student_id, s.name AS pupil, a.group_id, a.day::text AS day FROM pickup_substitutes ps
            JOIN students s ON s.school_id = ps.school_id AND s.id = ps.student_id
            JOIN attendance a ON a.school_id = ps.school_id AND a.student_id = ps.student_id AND a.day = ps.day
            JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id AND g.slot = 'afternoon'
            JOIN teacher_checkins ck ON ck.school_id = g.school_id AND ck.group_id = g.id AND ck.day = a.day
           WHERE ck.account_id = (SELECT id FROM accounts WHERE username = 'teacher') AND ps.cancelled_at IS NULL LIMIT 1`,
    );
    expect(sub, 'the demo has a substitute today in the demo teacher’s group').toBeTruthy();
    // a classmate whose guardian will show a (wrong) pick-up code
    const [mate] = await queryRows<{ student_id: string; pupil: string }>(
      db,
      sql`SELECT a.student_id, s.name AS pupil FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
           WHERE a.group_id = ${sub.group_id} AND a.day = ${sub.day}::date AND a.student_id <> ${sub.student_id} AND s.name <> ${sub.pupil}
           ORDER BY s.student_no LIMIT 1`,
    );
    // both are here and not collected yet (the journey above may have changed them)
    await db.execute(sql`UPDATE attendance SET status = 'present', handover = 'none', released_at = NULL, released_to_name = NULL,
                          released_to_pickup_id = NULL, released_by = NULL, relay_at = NULL
                          WHERE group_id = ${sub.group_id} AND day = ${sub.day}::date AND student_id IN (${sub.student_id}, ${mate.student_id})`);
    await db.execute(sql`DELETE FROM pickup_records WHERE group_id = ${sub.group_id} AND day = ${sub.day}::date`);
    const released = async (studentId: string) =>
      (
        await queryRows<{ handover: string; released_to_name: string | null; audits: number; via: string | null }>(
          db,
          sql`SELECT a.handover, a.released_to_name,
                     (SELECT count(*)::int FROM audit_log WHERE action = 'attendance.release' AND entity_id = ${studentId} AND detail->>'day' = ${sub.day}) AS audits,
                     (SELECT via FROM pickup_records WHERE student_id = ${studentId} AND group_id = ${sub.group_id} AND day = ${sub.day}::date) AS via
                FROM attendance a WHERE a.group_id = ${sub.group_id} AND a.day = ${sub.day}::date AND a.student_id = ${studentId}`,
        )
      )[0];
    const audits0 = (await released(sub.student_id)).audits;

    const teacher = await e2e.phone();
    const errors = watchErrors(teacher);
    await loginAs(teacher, 'teacher');
    await teacher.goto('/m/rollcall');
    await teacher.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 20_000 });
    // online, the group page fetches the release dialog of the pupil with a substitute ahead
    const ahead = teacher.waitForResponse((r) => new URL(r.url()).pathname.endsWith(`/pupils/${sub.student_id}/today`));
    await teacher.goto(`/m/rollcall/${sub.group_id}`);
    await teacher
      .getByText(new RegExp(`今日代接：.*${sub.name}`))
      .first()
      .waitFor();
    expect((await ahead).status()).toBe(200);

    // offline: the dialog shows the substitute from the phone; the tap waits in the queue
    await teacher.context().setOffline(true);
    await teacher.getByText(/^离线/).waitFor();
    await teacher.getByRole('tab', { name: '交接' }).click();
    await teacher.locator('.adm-list-item', { hasText: sub.pupil }).first().click();
    await teacher.getByText('家长登记的今日临时接送人').waitFor();
    await teacher.getByText(/离线：接送码要联网后才能核对/).waitFor();
    await shot(teacher, 'offline-6-release-dialog');
    await teacher.locator('.adm-popup .adm-list-item', { hasText: sub.name }).click();
    await teacher.getByText('离线：1 条待同步，已保存在本机，联网后自动同步').waitFor();
    await teacher
      .getByText(new RegExp(`由 ${sub.name}（邻居，临时接送人） 接走`))
      .first()
      .waitFor();
    // and the classmate by the digits the guardian shows (checked by the server only when it arrives)
    await teacher.locator('.adm-list-item', { hasText: mate.pupil }).first().click();
    await teacher.getByRole('textbox', { name: '8 位接送码' }).fill('00000000');
    await teacher.getByRole('button', { name: '核对并交接' }).click();
    await teacher.getByText('离线：2 条待同步，已保存在本机，联网后自动同步').waitFor();
    await teacher.getByText('由 家长（接送码，待核对） 接走').waitFor();
    await teacher.getByText(/^今天可接/).waitFor({ state: 'hidden' });
    await shot(teacher, 'offline-7-release-queued');
    expect(await released(sub.student_id)).toMatchObject({ handover: 'none', audits: audits0, via: null });
    const queued = await teacher.evaluate(
      () =>
        new Promise<{ key: string; url: string; body: unknown; state: string }[]>((resolve, reject) => {
          const open = indexedDB.open('kehou-offline');
          open.onsuccess = () => {
            const req = open.result.transaction('writes').objectStore('writes').getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          };
        }),
    );
    expect(queued.map((w) => [w.url, w.body])).toEqual([
      [`/afternoon/groups/${sub.group_id}/release-substitute`, { studentId: sub.student_id, substituteId: sub.id }],
      [`/afternoon/groups/${sub.group_id}/release-code`, { studentId: mate.student_id, code: '00000000' }],
    ]);

    // back online: the release to the substitute is made once; the wrong code is refused and kept on screen
    await teacher.context().setOffline(false);
    await teacher.getByText(new RegExp(`未能同步：${mate.pupil} → 家长（接送码）。接送码不正确或已过期`)).waitFor({ timeout: 30_000 });
    expect(await released(sub.student_id)).toEqual({
      handover: 'released',
      released_to_name: `${sub.name}（邻居，临时接送人）`,
      audits: audits0 + 1,
      via: 'substitute',
    });
    expect(await released(mate.student_id)).toMatchObject({ handover: 'none', via: null });
    // the screen shows the server's state: collected by the substitute; the classmate still to be collected
    await teacher
      .getByText(new RegExp(`由 ${sub.name}（邻居，临时接送人） 接走`))
      .first()
      .waitFor({ timeout: 15_000 });
    await teacher.locator('.adm-list-item', { hasText: mate.pupil }).locator('.adm-list-item-content-arrow').first().waitFor();
    await shot(teacher, 'offline-8-release-synced');

    // the release sent again with its key (an answer lost on the way back): its first result, nothing new
    const replay = await teacher.evaluate(async (w) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(`/api${w.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, 'idempotency-key': w.key },
        body: JSON.stringify(w.body),
      });
      return { status: res.status, body: await res.json() };
    }, queued[0]);
    expect(replay).toMatchObject({ status: 200, body: { replayed: true, releasedToName: `${sub.name}（邻居，临时接送人）` } });
    expect((await released(sub.student_id)).audits).toBe(audits0 + 1);
    await teacher.getByRole('button', { name: '知道了' }).click();
    await teacher.getByText(/未能同步/).waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  }, 180_000);
});
