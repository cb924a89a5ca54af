/** Issue 4 over HTTP: groups, roll call only for one's own group today, absence alerts, idempotent replays, R7 release, closing the day. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';

describeEachDb('daily: every afternoon', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let teacher: Client;
  let duty: Client;
  let homeroom: Client;
  let groupId: string;
  let pupils: { studentId: string; name: string; status: string; handover: string }[];
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, teacher, duty, homeroom] = await Promise.all(['admin', 'teacher', 'duty', 'homeroom'].map((l) => login(env.app, l)));
    const today = await teacher.get('/api/daily/today');
    expect(today.status).toBe(200);
    expect(today.body.groups.length).toBeGreaterThan(0);
    groupId = today.body.groups[0].id;
    const roster = await teacher.get(`/api/daily/groups/${groupId}/roster`);
    expect(roster.status).toBe(200);
    pupils = roster.body.pupils;
  }, 120_000);
  afterAll(() => env?.close());

  it('office generates groups and sees the board; a rule-breaking edit is refused with the violations', async () => {
    const [term] = await rows<{ term_id: string }>(sql`SELECT term_id FROM care_groups WHERE id = ${groupId}`);
    const board = await admin.get(`/api/daily/terms/${term.term_id}/groups?slot=afternoon`);
    expect(board.status).toBe(200);
    expect(board.body.groups.length).toBeGreaterThan(0);
    expect(board.body.groups.every((g: { pupils: unknown[] }) => g.pupils.length <= 35)).toBe(true);
    // two groups of the same weekday and slot cannot share a room
    const [a, b] = board.body.groups.filter(
      (g: { weekday: number; venueId: string | null }) => g.weekday === board.body.groups[0].weekday && g.venueId,
    );
    const clash = await admin.patch(`/api/daily/groups/${b.id}`, { venueId: a.venueId });
    expect(clash.status).toBe(422);
    expect(clash.body.code).toBe('GROUPING_VIOLATION');
    expect(clash.body.details.violations.map((v: { code: string }) => v.code)).toContain('VENUE_DOUBLE_BOOKED');
    expect((await teacher.patch(`/api/daily/groups/${b.id}`, { venueId: a.venueId })).status).toBe(403);
  });

  it('roll call only for the teacher’s own group today', async () => {
    const all = await duty.get('/api/daily/today');
    const other = all.body.groups.find((g: { id: string }) => g.id !== groupId);
    const res = await teacher.post(`/api/daily/groups/${other.id}/attendance`, {
      marks: [{ studentId: pupils[0].studentId, status: 'present' }],
    });
    expect(res.status).toBe(403);
    // a group of another weekday is not today's
    const [notToday] = await rows<{ id: string }>(
      sql`SELECT id FROM care_groups WHERE weekday <> (SELECT weekday FROM care_groups WHERE id = ${groupId}) LIMIT 1`,
    );
    if (notToday) expect((await duty.post(`/api/daily/groups/${notToday.id}/all-present`)).status).toBe(404);
    expect((await homeroom.post(`/api/daily/groups/${groupId}/all-present`)).status).toBe(403);
  });

  it('absent → homeroom teacher and guardians notified and an open case, once; a replay is a no-op', async () => {
    const target = pupils.find((p) => p.status === 'present' && p.handover === 'none') ?? pupils[pupils.length - 1];
    const before = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'attendance.absent'`);
    const key = `test-absent-${target.studentId}`;
    const send = () =>
      teacher.send(
        'POST',
        `/api/daily/groups/${groupId}/attendance`,
        { marks: [{ studentId: target.studentId, status: 'absent' }] },
        { 'idempotency-key': key },
      );
    const first = await send();
    expect(first.status).toBe(200);
    const after = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'attendance.absent'`);
    const told = await rows<{ account_id: string }>(
      sql`SELECT account_id FROM notifications WHERE kind = 'attendance.absent' AND payload->>'studentId' = ${target.studentId}`,
    );
    const [homeroomAcc] = await rows<{ account_id: string | null }>(
      sql`SELECT st.account_id FROM students s JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id LEFT JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id WHERE s.id = ${target.studentId}`,
    );
    const guardians = await rows<{ account_id: string }>(
      sql`SELECT g.account_id FROM student_guardians l JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id WHERE l.student_id = ${target.studentId} AND g.account_id IS NOT NULL`,
    );
    const expected = new Set([...(homeroomAcc.account_id ? [homeroomAcc.account_id] : []), ...guardians.map((g) => g.account_id)]);
    expect(new Set(told.map((t) => t.account_id))).toEqual(expected);
    expect(after[0].n - before[0].n).toBe(expected.size);
    const cases = await rows<{ status: string }>(
      sql`SELECT status FROM missing_cases WHERE student_id = ${target.studentId} AND group_id = ${groupId}`,
    );
    expect(cases).toEqual([{ status: 'open' }]);
    const replay = await send();
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    const again = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'attendance.absent'`);
    expect(again[0].n).toBe(after[0].n);
    const console = await duty.get('/api/daily/duty');
    expect(console.status).toBe(200);
    expect(console.body.cases[0].status).toBe('open');
    expect(console.body.cases.some((c: { studentId: string }) => c.studentId === target.studentId)).toBe(true);
  });

  it('release: an unauthorised adult is refused, a valid pick-up adult recorded, twice is a no-op, a released pupil cannot be marked absent', async () => {
    await teacher.post(`/api/daily/groups/${groupId}/all-present`);
    const roster = (await teacher.get(`/api/daily/groups/${groupId}/roster`)).body.pupils as typeof pupils;
    const target = roster.find((p) => p.status === 'present' && p.handover === 'none') as (typeof pupils)[number];
    const [stranger] = await rows<{ id: string }>(sql`SELECT id FROM pickup_persons WHERE student_id <> ${target.studentId} LIMIT 1`);
    const bad = await teacher.post(`/api/daily/groups/${groupId}/release`, { studentId: target.studentId, pickupPersonId: stranger.id });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'NOT_AUTHORISED_PICKUP', message: '此人不在授权接送名单中，不能接走学生' });
    const adults = await teacher.get(`/api/daily/groups/${groupId}/pupils/${target.studentId}/pickups`);
    expect(adults.status).toBe(200);
    expect(adults.body.adults.length).toBeGreaterThan(0);
    const adult = adults.body.adults[0];
    const ok = await teacher.post(`/api/daily/groups/${groupId}/release`, { studentId: target.studentId, pickupPersonId: adult.id });
    expect(ok.status).toBe(200);
    expect(ok.body.releasedToName).toContain(adult.name);
    const twice = await teacher.post(`/api/daily/groups/${groupId}/release`, { studentId: target.studentId, pickupPersonId: adult.id });
    expect(twice.status).toBe(200);
    expect(twice.body.replayed).toBe(true);
    const [row] = await rows<{ handover: string; released_by: string; released_to_pickup_id: string }>(
      sql`SELECT handover, released_by, released_to_pickup_id FROM attendance WHERE group_id = ${groupId} AND student_id = ${target.studentId}`,
    );
    expect(row.handover).toBe('released');
    expect(row.released_to_pickup_id).toBe(adult.id);
    const absent = await teacher.post(`/api/daily/groups/${groupId}/attendance`, {
      marks: [{ studentId: target.studentId, status: 'absent' }],
    });
    expect(absent.status).toBe(409);
  });

  it('close day is refused with the list, then succeeds when everyone is accounted for', async () => {
    const refused = await duty.post('/api/daily/close');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('DAY_NOT_ACCOUNTED');
    expect(refused.body.details.pupils.length).toBeGreaterThan(0);
    // relay what is left in every group, release relay pupils, mark the rest on leave, resolve the cases
    const console = (await duty.get('/api/daily/duty')).body;
    for (const g of console.groups) {
      await duty.post(`/api/daily/groups/${g.id}/all-present`);
      expect((await duty.post(`/api/daily/groups/${g.id}/relay`)).status).toBe(200);
    }
    const relay = (await duty.get('/api/daily/duty')).body.relay as {
      studentId: string;
      groupId: string;
      handover: string;
      guardians: { phone: string }[];
    }[];
    expect(relay.length).toBeGreaterThan(0);
    expect(relay[0].guardians[0].phone).toBeTruthy();
    for (const p of relay.filter((r) => r.handover === 'relay')) {
      const [adult] = await rows<{ id: string }>(
        sql`SELECT id FROM pickup_persons WHERE student_id = ${p.studentId} AND valid_to IS NULL LIMIT 1`,
      );
      const res = adult
        ? await duty.post(`/api/daily/groups/${p.groupId}/release`, { studentId: p.studentId, pickupPersonId: adult.id })
        : await duty.post(`/api/daily/groups/${p.groupId}/attendance`, { marks: [{ studentId: p.studentId, status: 'leave' }] });
      expect([200, 409]).toContain(res.status);
      if (res.status === 409)
        await env.database.db.execute(
          sql`UPDATE attendance SET handover = 'released', released_at = now() WHERE student_id = ${p.studentId} AND group_id = ${p.groupId}`,
        );
    }
    const stillRefused = await duty.post('/api/daily/close');
    expect(stillRefused.status).toBe(409);
    expect(stillRefused.body.details.pupils.every((p: { status: string }) => p.status === 'absent')).toBe(true);
    for (const c of (await duty.get('/api/daily/duty')).body.cases.filter((x: { status: string }) => x.status === 'open')) {
      expect((await duty.post(`/api/daily/cases/${c.id}/resolve`, { outcome: 'other' })).status).toBe(400);
      expect(
        (await duty.post(`/api/daily/cases/${c.id}/resolve`, { outcome: 'guardian_confirmed', note: '家长电话确认已接回' })).status,
      ).toBe(200);
    }
    const closed = await duty.post('/api/daily/close');
    expect(closed.status).toBe(200);
    expect((await teacher.post(`/api/daily/groups/${groupId}/all-present`)).body.code).toBe('DAY_CLOSED');
  });

  describe('bad input and other schools', () => {
    it('answers 400, never 500', async () => {
      expect((await teacher.post(`/api/daily/groups/not-a-uuid/attendance`, { marks: [] })).status).toBe(400);
      expect(
        (await teacher.post(`/api/daily/groups/${groupId}/attendance`, { marks: [{ studentId: pupils[0].studentId, status: 'gone' }] }))
          .status,
      ).toBe(400);
      expect((await teacher.post(`/api/daily/groups/${groupId}/release`, { studentId: pupils[0].studentId })).status).toBe(400);
      expect(
        (await teacher.post(`/api/daily/groups/${groupId}/release`, { studentId: pupils[0].studentId, pickupPersonId: 'x' })).status,
      ).toBe(400);
      expect((await admin.get('/api/daily/terms/123/groups')).status).toBe(400);
    });
    it('another school’s ids answer 404', async () => {
      const admin2 = await login(env.app, 'admin2');
      expect((await admin2.get(`/api/daily/groups/${groupId}/roster`)).status).toBe(404);
      expect((await admin2.post(`/api/daily/groups/${groupId}/all-present`)).status).toBe(404);
      expect((await admin2.patch(`/api/daily/groups/${groupId}`, { venueId: null })).status).toBe(404);
      const [term] = await rows<{ term_id: string }>(sql`SELECT term_id FROM care_groups WHERE id = ${groupId}`);
      expect((await admin2.get(`/api/daily/terms/${term.term_id}/groups`)).status).toBe(404);
      expect((await admin2.post(`/api/daily/terms/${term.term_id}/groups/generate`)).status).toBe(404);
    });
  });
});
