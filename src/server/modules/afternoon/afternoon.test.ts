/**
 * The family side of the afternoon over HTTP, on PGlite and PostgreSQL: leave (cut-off, approval,
 * recorded calls, cancelling; its effect on today's roll call and the absence alert), the substitute
 * for a day, the pick-up code (expired, foreign, another child's), the guardian's confirmation, the
 * homeroom hand-over notes on the care roster, the headcount; another school's ids answer 404.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client';
import { acceptNotice, type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { todayInChina } from '../daily/days';
import { signPickupToken } from './pickup-code';

const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describeEachDb('afternoon: leave, substitutes, pick-up code, hand-over', (kind) => {
  let env: TestEnv;
  let db: Db;
  let admin: Client;
  let duty: Client;
  let homeroom: Client;
  let parent: Client;
  let school1: string;
  let child: string;
  let childGroup: string;
  const today = todayInChina();
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(db, q);
  const statusOf = async (studentId: string) =>
    (
      await rows<{ status: string }>(
        sql`SELECT a.status FROM attendance a JOIN care_groups g ON g.id = a.group_id WHERE a.student_id = ${studentId} AND a.day = ${today}::date AND g.slot = 'afternoon'`,
      )
    )[0]?.status;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    [admin, duty, homeroom, parent] = await Promise.all(['admin', 'duty', 'homeroom', '13900000001'].map((l) => login(env.app, l)));
    school1 = (await admin.get('/api/auth/me')).body.active.id;
    await parent.post('/api/auth/context', { kind: 'school', id: school1 });
    await acceptNotice(parent);
    const kids = await parent.get('/api/family/children');
    expect(kids.status).toBe(200);
    child = kids.body[0].id;
    await duty.get('/api/daily/duty'); // materialises today
    const [g] = await rows<{ group_id: string }>(
      sql`SELECT a.group_id FROM attendance a JOIN care_groups g ON g.id = a.group_id WHERE a.student_id = ${child} AND a.day = ${today}::date ORDER BY g.slot = 'afternoon' DESC LIMIT 1`,
    );
    childGroup = g?.group_id;
  }, 120_000);
  afterAll(() => env?.close());

  it('the demo shows the feature in use: leave (recorded call, pending), a substitute today, hand-over notes, headcounts', async () => {
    const [n] = await rows<{ calls: number; pending: number; subs: number; notes: number; counts: number; short: number }>(
      sql`SELECT (SELECT count(*) FROM leave_requests WHERE source = 'call' AND status = 'approved')::int AS calls,
                 (SELECT count(*) FROM leave_requests WHERE source = 'app' AND status = 'pending')::int AS pending,
                 (SELECT count(*) FROM pickup_substitutes WHERE day = ${today}::date)::int AS subs,
                 (SELECT count(*) FROM handover_notes WHERE day = ${today}::date)::int AS notes,
                 (SELECT count(*) FROM headcounts WHERE day = ${today}::date)::int AS counts,
                 (SELECT count(*) FROM headcounts WHERE day = ${today}::date AND counted <> expected)::int AS short`,
    );
    expect(n).toEqual({ calls: 1, pending: 1, subs: 1, notes: expect.any(Number), counts: 2, short: 1 });
    expect(n.notes).toBeGreaterThanOrEqual(2);
    // the pupil the teacher marked 请假 has the recorded leave; the approved call sets no alert
    const [l] = await rows<{ status: string }>(
      sql`SELECT a.status FROM leave_requests l JOIN attendance a ON a.student_id = l.student_id AND a.day = l.from_day WHERE l.source = 'call'`,
    );
    expect(l.status).toBe('leave');
    // clean slate for the tests below (they count leave and notifications themselves)
    await db.execute(sql`DELETE FROM leave_requests`);
  });

  it('requires authentication; other roles are refused', async () => {
    for (const [m, url] of [
      ['GET', `/api/afternoon/children/${child}/today`],
      ['POST', `/api/afternoon/children/${child}/leave`],
      ['GET', '/api/afternoon/leave'],
      ['POST', '/api/afternoon/headcounts'],
      ['GET', '/api/afternoon/handover'],
    ] as const)
      expect((await request(env.app, m, url, m === 'POST' ? {} : undefined)).status, url).toBe(401);
    expect((await duty.post(`/api/afternoon/children/${child}/leave`, {})).status).toBe(403);
    expect((await parent.get('/api/afternoon/leave')).status).toBe(403);
    expect((await parent.post('/api/afternoon/leave/calls', {})).status).toBe(403);
    expect((await homeroom.post('/api/afternoon/headcounts', { counted: 3, campusId: school1 })).status).toBe(403);
    expect((await duty.get('/api/afternoon/handover')).status).toBe(403);
  });

  it('leave from the app after the cut-off is refused with LEAVE_CUTOFF; before it, pending until approved', async () => {
    // 72 hours before the slot starts: tomorrow is already too late, whatever the time of day
    const set = await admin.send('PUT', '/api/afternoon/settings', {
      leaveCutoffMode: 'hours',
      leaveCutoffHours: 72,
      leaveApprover: 'office',
    });
    expect(set.status).toBe(200);
    const late = await parent.post(`/api/afternoon/children/${child}/leave`, {
      fromDay: plusDays(today, 1),
      toDay: plusDays(today, 1),
      slots: ['afternoon'],
      reason: '看牙医',
    });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('LEAVE_CUTOFF');
    expect(late.body.message).toContain('班主任');
    expect((await rows(sql`SELECT 1 FROM leave_requests WHERE student_id = ${child}`)).length).toBe(0);
    const past = await parent.post(`/api/afternoon/children/${child}/leave`, {
      fromDay: plusDays(today, -1),
      toDay: today,
      slots: ['afternoon'],
      reason: 'x',
    });
    expect(past.body.code).toBe('LEAVE_CUTOFF');

    const far = { fromDay: plusDays(today, 10), toDay: plusDays(today, 11), slots: ['afternoon', 'late'], reason: '回老家' };
    const ok = await parent.post(`/api/afternoon/children/${child}/leave`, far);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('pending');
    const dup = await parent.post(`/api/afternoon/children/${child}/leave`, far);
    expect(dup.status).toBe(409);
    // office approval: the homeroom teacher may not decide, the office does, the guardian is told
    const list = await admin.get('/api/afternoon/leave?status=pending');
    expect(list.body.items.map((l: { id: string }) => l.id)).toContain(ok.body.id);
    expect(list.body.canApprove).toBe(true);
    const [{ homeroom_led: led }] = await rows<{ homeroom_led: boolean }>(
      sql`SELECT EXISTS (SELECT 1 FROM students s JOIN classes c ON c.id = s.class_id JOIN staff h ON h.id = c.homeroom_staff_id JOIN accounts a ON a.id = h.account_id
                          WHERE s.id = ${child} AND a.username = 'homeroom') AS homeroom_led`,
    );
    // the homeroom teacher of the child's class may not decide when the office approves; of another class: 404
    expect((await homeroom.post(`/api/afternoon/leave/${ok.body.id}/decide`, { approve: true })).status).toBe(led ? 403 : 404);
    const decided = await admin.post(`/api/afternoon/leave/${ok.body.id}/decide`, { approve: true, note: '已批准' });
    expect(decided.status).toBe(200);
    expect((await admin.post(`/api/afternoon/leave/${ok.body.id}/decide`, { approve: false })).status).toBe(409);
    const told = await rows<{ title: string }>(
      sql`SELECT n.title FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.phone = '13900000001' AND n.kind = 'leave.approved'`,
    );
    expect(told.length).toBe(1);
    const mine = await parent.get(`/api/afternoon/children/${child}/leave`);
    expect(mine.body.items[0]).toMatchObject({ id: ok.body.id, status: 'approved', source: 'app', slots: ['afternoon', 'late'] });
    const cancelled = await parent.post(`/api/afternoon/leave/${ok.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await parent.post(`/api/afternoon/leave/${ok.body.id}/cancel`)).status).toBe(409);
    await admin.send('PUT', '/api/afternoon/settings', { leaveApprover: 'homeroom' });
  });

  it('a recorded call makes today “leave”, never an absence alert; cancelling restores “expected”', async () => {
    // the homeroom teacher records calls for their own class only (another class: 404 like a missing pupil)
    const [own] = await rows<{ id: string }>(
      sql`SELECT s.id FROM students s JOIN classes c ON c.id = s.class_id JOIN staff h ON h.id = c.homeroom_staff_id JOIN accounts ac ON ac.id = h.account_id
           WHERE ac.username = 'homeroom' LIMIT 1`,
    );
    const [other] = await rows<{ id: string }>(
      sql`SELECT s.id FROM students s JOIN classes c ON c.id = s.class_id LEFT JOIN staff h ON h.id = c.homeroom_staff_id LEFT JOIN accounts ac ON ac.id = h.account_id
           WHERE s.school_id = ${school1} AND (ac.username IS DISTINCT FROM 'homeroom') LIMIT 1`,
    );
    const later = { fromDay: plusDays(today, 20), toDay: plusDays(today, 20), slots: ['afternoon'], reason: '家长来电' };
    expect((await homeroom.post('/api/afternoon/leave/calls', { ...later, studentId: other.id })).status).toBe(404);
    expect((await homeroom.post('/api/afternoon/leave/calls', { ...later, studentId: own.id })).body.status).toBe('approved');
    // an unmarked pupil with an afternoon group today
    const [p] = await rows<{ student_id: string; group_id: string }>(
      sql`SELECT a.student_id, a.group_id FROM attendance a JOIN care_groups g ON g.id = a.group_id
           WHERE a.school_id = ${school1} AND a.day = ${today}::date AND a.status = 'expected' AND g.slot = 'afternoon' AND a.student_id <> ${child}
           ORDER BY a.student_id DESC LIMIT 1`,
    );
    expect(p).toBeTruthy();
    const call = { studentId: p.student_id, fromDay: today, toDay: today, slots: ['afternoon'], reason: '家长来电：发烧' };
    const rec = await admin.post('/api/afternoon/leave/calls', call);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ status: 'approved', days: [today] });
    expect(await statusOf(p.student_id)).toBe('leave');
    // the roster and the group notes show it
    const notes = await duty.get(`/api/afternoon/groups/${p.group_id}/notes`);
    expect(notes.body.pupils.find((x: { studentId: string }) => x.studentId === p.student_id).leaveReason).toBe('家长来电：发烧');
    // revoked (the guardian called again): back to expected
    const revoked = await admin.post(`/api/afternoon/leave/${rec.body.id}/revoke`);
    expect(revoked.body.days).toEqual([today]);
    expect(await statusOf(p.student_id)).toBe('expected');
    // recorded again, then the teacher taps 未到 anyway: no alert, no case
    await admin.post('/api/afternoon/leave/calls', call);
    const before = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'attendance.absent'`);
    const mark = await duty.post(`/api/daily/groups/${p.group_id}/attendance`, { marks: [{ studentId: p.student_id, status: 'absent' }] });
    expect(mark.status).toBe(200);
    const after = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'attendance.absent'`);
    expect(after[0].n).toBe(before[0].n);
    expect(await rows(sql`SELECT 1 FROM missing_cases WHERE student_id = ${p.student_id} AND status = 'open'`)).toEqual([]);
  });

  it('a leave approved after an absence resolves the missing case', async () => {
    const [p] = await rows<{ student_id: string; group_id: string }>(
      sql`SELECT a.student_id, a.group_id FROM attendance a JOIN care_groups g ON g.id = a.group_id
           WHERE a.school_id = ${school1} AND a.day = ${today}::date AND a.status = 'expected' AND g.slot = 'afternoon' AND a.student_id <> ${child} LIMIT 1`,
    );
    await duty.post(`/api/daily/groups/${p.group_id}/attendance`, { marks: [{ studentId: p.student_id, status: 'absent' }] });
    expect((await rows(sql`SELECT 1 FROM missing_cases WHERE student_id = ${p.student_id} AND status = 'open'`)).length).toBe(1);
    const rec = await admin.post('/api/afternoon/leave/calls', {
      studentId: p.student_id,
      fromDay: today,
      toDay: today,
      slots: ['afternoon'],
      reason: '家长补请假',
    });
    expect(rec.status).toBe(200);
    expect(await statusOf(p.student_id)).toBe('leave');
    expect((await rows(sql`SELECT 1 FROM missing_cases WHERE student_id = ${p.student_id} AND status = 'open'`)).length).toBe(0);
  });

  it('the pick-up code: expired, foreign-school and another child’s codes are refused; a valid typed code releases to the guardian', async () => {
    expect(childGroup).toBeTruthy();
    await duty.post(`/api/daily/groups/${childGroup}/all-present`);
    const code = await parent.get(`/api/afternoon/children/${child}/pickup-code`);
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^\d{8}$/);
    const [{ code_secret: secret }] = await rows<{ code_secret: string }>(
      sql`SELECT code_secret FROM afternoon_settings WHERE school_id = ${school1}`,
    );
    const parts = (code.body.token as string).split('.');
    const claims = { schoolId: parts[1], studentId: parts[2], guardianId: parts[3], day: parts[4] };
    const url = `/api/afternoon/groups/${childGroup}/release-code`;
    const expired = await duty.post(url, { code: signPickupToken(secret, { ...claims, expires: Math.floor(Date.now() / 1000) - 1 }) });
    expect(expired.status).toBe(422);
    expect(expired.body.code).toBe('PICKUP_CODE_EXPIRED');
    const [s2] = await rows<{ id: string }>(sql`SELECT id FROM schools WHERE id <> ${school1} LIMIT 1`);
    const foreign = await duty.post(url, {
      code: signPickupToken(secret, { ...claims, schoolId: s2.id, expires: Math.floor(Date.now() / 1000) + 60 }),
    });
    expect(foreign.body.code).toBe('PICKUP_CODE_OTHER_SCHOOL');
    const [classmate] = await rows<{ student_id: string }>(
      sql`SELECT student_id FROM attendance WHERE group_id = ${childGroup} AND day = ${today}::date AND student_id <> ${child} LIMIT 1`,
    );
    const otherChild = await duty.post(url, { studentId: classmate.student_id, code: code.body.token });
    expect(otherChild.body.code).toBe('PICKUP_CODE_OTHER_CHILD');
    const wrong = await duty.post(url, { studentId: child, code: code.body.code === '00000000' ? '00000001' : '00000000' });
    expect(wrong.body.code).toBe('PICKUP_CODE_INVALID');
    expect((await duty.post(url, { code: code.body.code })).status).toBe(400);
    expect(await rows(sql`SELECT 1 FROM attendance WHERE student_id = ${child} AND handover = 'released'`)).toEqual([]);

    // the guardian cannot confirm before the release
    expect((await parent.post(`/api/afternoon/children/${child}/confirm-pickup`)).body.code).toBe('NOT_RELEASED');
    const ok = await duty.post(url, { studentId: child, code: code.body.code });
    expect(ok.status).toBe(200);
    expect(ok.body.releasedToName).toContain('张秀英');
    const [rec] = await rows<{ via: string }>(sql`SELECT via FROM pickup_records WHERE student_id = ${child} AND day = ${today}::date`);
    expect(rec.via).toBe('code');
    const state = await parent.get(`/api/afternoon/children/${child}/today`);
    const session = state.body.sessions.find((s: { handover: string }) => s.handover === 'released');
    expect(session.releasedToName).toContain('张秀英');
    expect(session.confirmedAt).toBeNull();
    const confirm = await parent.post(`/api/afternoon/children/${child}/confirm-pickup`);
    expect(confirm.status).toBe(200);
    expect(confirm.body.confirmedAt).toBeTruthy();
  });

  it('a substitute announced for today may collect the pupil, nobody else; not another day', async () => {
    // another family in the same group: its guardian announces a substitute
    const [p] = await rows<{ student_id: string; phone: string }>(
      sql`SELECT a.student_id, ac.phone FROM attendance a JOIN student_guardians sg ON sg.student_id = a.student_id JOIN guardians gd ON gd.id = sg.guardian_id
            JOIN accounts ac ON ac.id = gd.account_id
           WHERE a.group_id = ${childGroup} AND a.day = ${today}::date AND a.status = 'present' AND a.handover = 'none' AND ac.phone <> '13900000001' LIMIT 1`,
    );
    const g = await login(env.app, p.phone);
    await acceptNotice(g);
    const sub = { name: '王阿姨', phone: '13912345678', relation: '邻居', idLast4: '123X' };
    expect((await g.post(`/api/afternoon/children/${p.student_id}/substitutes`, { ...sub, day: plusDays(today, -1) })).body.code).toBe(
      'DAY_PASSED',
    );
    expect((await g.post(`/api/afternoon/children/${p.student_id}/substitutes`, { ...sub, day: today, idLast4: '12' })).status).toBe(400);
    const tomorrow = await g.post(`/api/afternoon/children/${p.student_id}/substitutes`, { ...sub, day: plusDays(today, 1) });
    expect(tomorrow.status).toBe(200);
    const todays = await g.post(`/api/afternoon/children/${p.student_id}/substitutes`, { ...sub, day: today });
    expect(todays.status).toBe(200);
    expect((await parent.post(`/api/afternoon/children/${p.student_id}/substitutes`, { ...sub, day: today })).status).toBe(404);
    const url = `/api/afternoon/groups/${childGroup}/release-substitute`;
    const info = await duty.get(`/api/afternoon/groups/${childGroup}/pupils/${p.student_id}/today`);
    expect(info.body.substitutes.map((s: { id: string }) => s.id)).toEqual([todays.body.id]);
    const notToday = await duty.post(url, { studentId: p.student_id, substituteId: tomorrow.body.id });
    expect(notToday.status).toBe(422);
    expect(notToday.body).toMatchObject({ code: 'NOT_AUTHORISED_PICKUP', message: '家长没有为今天登记此临时接送人，不能接走学生' });
    const ok = await duty.post(url, { studentId: p.student_id, substituteId: todays.body.id });
    expect(ok.status).toBe(200);
    expect(ok.body.releasedToName).toBe('王阿姨（邻居，临时接送人）');
    const [r] = await rows<{ handover: string; released_to_name: string }>(
      sql`SELECT handover, released_to_name FROM attendance WHERE student_id = ${p.student_id} AND group_id = ${childGroup} AND day = ${today}::date`,
    );
    expect(r).toEqual({ handover: 'released', released_to_name: '王阿姨（邻居，临时接送人）' });
  });

  it('hand-over notes reach the care roster; the class is marked handed; the headcount flags a discrepancy', async () => {
    const ho = await homeroom.get('/api/afternoon/handover');
    expect(ho.status).toBe(200);
    const cls = ho.body.classes[0];
    expect(cls.pupils.length).toBeGreaterThan(0);
    const pupil = cls.pupils[0];
    const note = await homeroom.post('/api/afternoon/handover/notes', {
      studentId: pupil.studentId,
      kind: 'medicine',
      text: '16:00 吃退烧药',
    });
    expect(note.status).toBe(200);
    expect(
      (
        await homeroom.post('/api/afternoon/handover/notes', {
          studentId: child === pupil.studentId ? pupil.studentId : child,
          kind: 'x',
          text: 'y',
        })
      ).status,
    ).toBe(400);
    const [{ group_id: gid }] = await rows<{ group_id: string }>(
      sql`SELECT group_id FROM attendance WHERE student_id = ${pupil.studentId} AND day = ${today}::date LIMIT 1`,
    );
    const notes = await duty.get(`/api/afternoon/groups/${gid}/notes`);
    expect(notes.body.pupils.find((x: { studentId: string }) => x.studentId === pupil.studentId).notes).toContainEqual({
      kind: 'medicine',
      text: '16:00 吃退烧药',
    });
    const done = await homeroom.post(`/api/afternoon/handover/classes/${cls.id}/done`);
    expect(done.status).toBe(200);
    expect(done.body.pupils).toBeGreaterThan(0);

    const counts = await duty.get('/api/afternoon/headcounts');
    const grp = counts.body.groups[0];
    const rec = await duty.post('/api/afternoon/headcounts', { groupId: grp.groupId, counted: grp.expected - 1, note: '少一人' });
    expect(rec.status).toBe(200);
    expect(rec.body.discrepancy).toBe(-1);
    const again = await duty.get('/api/afternoon/headcounts');
    expect(again.body.groups.find((x: { groupId: string }) => x.groupId === grp.groupId)).toMatchObject({
      counted: grp.expected - 1,
      discrepancy: -1,
    });
    expect((await duty.post('/api/afternoon/headcounts', { counted: 3 })).status).toBe(400);
  });

  describe('bad input and other schools', () => {
    it('answers 400 for malformed input, never 500', async () => {
      expect(
        (
          await parent.post(`/api/afternoon/children/${child}/leave`, {
            fromDay: '2026-13-01',
            toDay: '2026-13-01',
            slots: ['afternoon'],
            reason: 'x',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await parent.post(`/api/afternoon/children/${child}/leave`, {
            fromDay: today,
            toDay: plusDays(today, -2),
            slots: ['afternoon'],
            reason: 'x',
          })
        ).status,
      ).toBe(400);
      expect(
        (await parent.post(`/api/afternoon/children/${child}/leave`, { fromDay: today, toDay: today, slots: [], reason: 'x' })).status,
      ).toBe(400);
      expect((await parent.post(`/api/afternoon/children/not-a-uuid/leave`, {})).status).toBe(400);
      expect((await duty.post(`/api/afternoon/groups/${childGroup}/release-code`, { code: 'x' })).status).toBe(400);
      expect((await admin.send('PUT', '/api/afternoon/settings', { leaveCutoffTime: '25:00' })).status).toBe(400);
    });
    it('another school’s child, leave and group answer 404', async () => {
      const admin2 = await login(env.app, 'admin2');
      const [l] = await rows<{ id: string }>(sql`SELECT id FROM leave_requests WHERE school_id = ${school1} LIMIT 1`);
      expect((await admin2.post(`/api/afternoon/leave/${l.id}/decide`, { approve: true })).status).toBe(404);
      expect((await admin2.post(`/api/afternoon/leave/${l.id}/revoke`)).status).toBe(404);
      expect(
        (
          await admin2.post('/api/afternoon/leave/calls', {
            studentId: child,
            fromDay: today,
            toDay: today,
            slots: ['afternoon'],
            reason: 'x',
          })
        ).status,
      ).toBe(404);
      expect((await admin2.get(`/api/afternoon/groups/${childGroup}/notes`)).status).toBe(404);
      expect((await admin2.post(`/api/afternoon/groups/${childGroup}/release-code`, { studentId: child, code: '12345678' })).status).toBe(
        404,
      );
      // the guardian acting in school one does not reach a child of school two
      const [other] = await rows<{ id: string }>(sql`SELECT id FROM students WHERE school_id <> ${school1} LIMIT 1`);
      expect((await parent.get(`/api/afternoon/children/${other.id}/today`)).status).toBe(404);
      expect((await parent.get(`/api/afternoon/children/${other.id}/pickup-code`)).status).toBe(404);
    });
  });
});
