/** The term rota and shift swaps (R8) over HTTP: who sees what, the checks, approval under locks, and the afternoon after a swap. */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { todayInChina } from '../daily/days';

describeEachDb('rota and shift swaps', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  let teacher2: Client;
  let teacher3: Client;
  let homeroom: Client;
  let termId: string;
  let g1: string; // the demo teacher's afternoon group on today's timetable weekday
  let me: string; // 李晓东's staff id
  let zhou: string; // teacher2 (周敏), free in that afternoon
  let busy: { staff: string; group: string }; // teacher3: another afternoon group of that weekday
  let free: string; // a vetted own teacher with no login, free that afternoon
  let weekday: number;
  const today = todayInChina();
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, admin2, teacher, teacher2, homeroom] = await Promise.all(
      ['admin', 'admin2', 'teacher', 'teacher2', 'homeroom'].map((l) => login(env.app, l)),
    );
    const t = (await teacher.get('/api/daily/today')).body;
    weekday = t.weekday;
    g1 = t.groups.find((g: { slot: string }) => g.slot === 'afternoon').id;
    const [g] = await rows<{ term_id: string; teacher_staff_id: string; campus_id: string }>(
      sql`SELECT term_id, teacher_staff_id, campus_id FROM care_groups WHERE id = ${g1}`,
    );
    termId = g.term_id;
    me = g.teacher_staff_id;
    [{ id: zhou }] = await rows<{ id: string }>(
      sql`SELECT s.id FROM staff s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'teacher2'`,
    );
    // teacher3: the teacher of another afternoon group that weekday, given a login for the test
    const [other] = await rows<{ id: string; teacher_staff_id: string }>(
      sql`SELECT g.id, g.teacher_staff_id FROM care_groups g JOIN staff s ON s.school_id = g.school_id AND s.id = g.teacher_staff_id
           WHERE g.term_id = ${termId} AND g.weekday = ${weekday} AND g.slot = 'afternoon' AND g.id <> ${g1} AND s.account_id IS NULL AND s.kind = 'own'
             AND (s.campus_id IS NULL OR s.campus_id = ${g.campus_id}) ORDER BY g.key LIMIT 1`,
    );
    busy = { staff: other.teacher_staff_id, group: other.id };
    await env.database.db.execute(sql`INSERT INTO accounts (id, username, display_name, password_hash)
      SELECT gen_random_uuid(), 'teacher3', '第三位老师', password_hash FROM accounts WHERE username = 'teacher'`);
    await env.database.db.execute(
      sql`UPDATE staff SET account_id = (SELECT id FROM accounts WHERE username = 'teacher3') WHERE id = ${busy.staff}`,
    );
    await env.database.db.execute(sql`INSERT INTO school_roles (school_id, account_id, role)
      SELECT school_id, (SELECT id FROM accounts WHERE username = 'teacher3'), 'teacher' FROM staff WHERE id = ${busy.staff}`);
    teacher3 = await login(env.app, 'teacher3');
    [{ id: free }] = await rows<{ id: string }>(
      sql`SELECT s.id FROM staff s WHERE s.school_id = (SELECT school_id FROM care_groups WHERE id = ${g1}) AND s.kind = 'own' AND s.account_id IS NULL
            AND s.vetting_status = 'clear' AND (s.campus_id IS NULL OR s.campus_id = ${g.campus_id})
            AND NOT EXISTS (SELECT 1 FROM care_groups x WHERE x.term_id = ${termId} AND x.weekday = ${weekday} AND x.slot = 'afternoon' AND x.teacher_staff_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM duty_assignments d WHERE d.term_id = ${termId} AND d.weekday = ${weekday} AND d.staff_id = s.id)
          ORDER BY s.name LIMIT 1`,
    );
  }, 180_000);
  afterAll(() => env?.close());

  /**
   * a future school day following the same timetable weekday as today, with no swap yet (each test
   * that takes one asks for a swap on it, so the next call gets another: the first free one will do,
   * which keeps the tests running until the term's last weeks)
   */
  const futureDay = async () => {
    const r = await teacher.get(`/api/rota/terms/${termId}?from=${today}`);
    const used = new Set((await rows<{ day: string }>(sql`SELECT day::text AS day FROM shift_swap_legs`)).map((x) => x.day));
    const days = r.body.days.filter(
      (d: { date: string; weekday: number; makeup: boolean }) => d.date > today && d.weekday === weekday && !d.makeup && !used.has(d.date),
    );
    return days[0].date as string;
  };

  it('requires authentication', async () => {
    expect((await request(env.app, 'GET', `/api/rota/terms/${termId}`)).status).toBe(401);
    expect((await request(env.app, 'GET', '/api/swaps')).status).toBe(401);
    expect((await request(env.app, 'POST', '/api/swaps', {})).status).toBe(401);
  });

  it('denies those without the permission: homeroom reads no rota; a teacher neither exports nor approves (not even their own swap)', async () => {
    expect((await homeroom.get(`/api/rota/terms/${termId}`)).status).toBe(403);
    expect((await teacher.get(`/api/rota/terms/${termId}/export`)).status).toBe(403);
    const [pending] = await rows<{ id: string }>(sql`SELECT id FROM shift_swaps WHERE status = 'requested' LIMIT 1`);
    const own = await teacher.post(`/api/swaps/${pending.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('FORBIDDEN');
  });

  it('the office’s rota: every service day of the term (no holidays, make-up days on their timetable, the season’s times)', async () => {
    const r = await admin.get(`/api/rota/terms/${termId}`);
    expect(r.status).toBe(200);
    const dates = new Set(r.body.days.map((d: { date: string }) => d.date));
    const ex = await rows<{ day: string; kind: string; as_weekday: number | null }>(
      sql`SELECT day::text AS day, kind, as_weekday FROM term_days WHERE term_id = ${termId}`,
    );
    for (const e of ex.filter((x) => x.kind === 'holiday')) expect(dates.has(e.day)).toBe(false);
    for (const e of ex.filter((x) => x.kind === 'makeup')) {
      const d = r.body.days.find((x: { date: string }) => x.date === e.day);
      expect(d).toMatchObject({ makeup: true, weekday: e.as_weekday });
    }
    for (const d of r.body.days) expect(new Date(`${d.date}T00:00:00Z`).getUTCDay() % 6 === 0).toBe(d.makeup);
    const [groups] = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM care_groups WHERE term_id = ${termId} AND weekday = ${weekday}`,
    );
    const day = r.body.days.find((d: { date: string }) => d.date === today);
    expect(day.entries.filter((e: { groupId: string | null }) => e.groupId).length).toBe(groups.n);
    expect(day.entries.some((e: { groupId: string | null }) => !e.groupId)).toBe(true);
    expect(day.entries[0].time).toMatch(/^\d{2}:\d{2}–\d{2}:\d{2}$/);
    // another school's term is not found
    expect((await admin2.get(`/api/rota/terms/${termId}`)).status).toBe(404);
    expect((await admin.get(`/api/rota/terms/${termId}?from=2026-13-01`)).status).toBe(400);
  });

  it('a teacher sees only their own shifts; the demo’s approved swap shows in both rotas', async () => {
    const mine = await teacher.get(`/api/rota/terms/${termId}`);
    expect(mine.status).toBe(200);
    for (const d of mine.body.days) for (const e of d.entries) expect(e.staffId).toBe(me);
    const [demo] = await rows<{ day: string }>(
      sql`SELECT l.day::text AS day FROM shift_swap_legs l JOIN shift_swaps s ON s.id = l.swap_id WHERE s.status = 'approved'`,
    );
    expect(mine.body.days.some((d: { date: string }) => d.date === demo.day)).toBe(false);
    const theirs = await teacher2.get(`/api/rota/terms/${termId}`);
    const shift = theirs.body.days.find((d: { date: string }) => d.date === demo.day).entries[0];
    expect(shift).toMatchObject({ groupId: g1, staffId: zhou, swapped: true });
  });

  it('exports the rota as .xlsx, by month and by teacher', async () => {
    for (const by of ['month', 'teacher']) {
      const res = await admin.get(`/api/rota/terms/${termId}/export?by=${by}`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
      const first = wb.worksheets[0];
      expect(first.getRow(1).getCell(1).value).toBe(by === 'month' ? '日期' : '姓名');
      expect(first.rowCount).toBeGreaterThan(2);
      if (by === 'teacher') expect(wb.worksheets.some((w) => w.name === '周敏')).toBe(true);
    }
  });

  it('refuses an unvetted or barred taker, a shift that is not yours, a day without service, and another school', async () => {
    const [unvetted] = await rows<{ id: string }>(
      sql`SELECT id FROM staff WHERE school_id = (SELECT school_id FROM care_groups WHERE id = ${g1}) AND vetting_status <> 'clear' LIMIT 1`,
    );
    const bad = await teacher.post('/api/swaps', { colleagueStaffId: unvetted.id, give: { day: today, groupId: g1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('STAFF_NOT_ELIGIBLE');
    const notMine = await teacher.post('/api/swaps', { colleagueStaffId: free, give: { day: today, groupId: busy.group } });
    expect(notMine.status).toBe(409);
    expect(notMine.body.code).toBe('NOT_THEIR_SHIFT');
    const past = await teacher.post('/api/swaps', { colleagueStaffId: free, give: { day: '2020-01-06', groupId: g1 } });
    expect(past.body.code).toBe('SWAP_IN_PAST');
    const [s2] = await rows<{ id: string }>(
      sql`SELECT id FROM staff WHERE school_id <> (SELECT school_id FROM care_groups WHERE id = ${g1}) LIMIT 1`,
    );
    expect((await teacher.post('/api/swaps', { colleagueStaffId: s2.id, give: { day: today, groupId: g1 } })).status).toBe(404);
    expect((await teacher.post('/api/swaps', { colleagueStaffId: 'x', give: { day: today } })).status).toBe(400);
    const [{ n }] = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM shift_swaps WHERE requester_staff_id = ${me} AND status = 'requested'`,
    );
    expect(n).toBe(1); // only the demo's
  });

  it('a swap that would double-book is refused with the clash named', async () => {
    const res = await teacher.post('/api/swaps', { colleagueStaffId: busy.staff, give: { day: today, groupId: g1 } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOUBLE_BOOKED');
    expect(res.body.message).toMatch(/下午课后服务会同时负责/);
    // an exchange of the two groups in the same slot books nobody twice
    const day = await futureDay();
    const swap = await teacher.post('/api/swaps', {
      colleagueStaffId: busy.staff,
      give: { day, groupId: g1 },
      take: { day, groupId: busy.group },
      reason: '互换',
    });
    expect(swap.status).toBe(201);
    expect((await teacher3.post(`/api/swaps/${swap.body.id}/accept`)).status).toBe(200); // the colleague agrees
    expect((await teacher.post(`/api/swaps/${swap.body.id}/cancel`)).body.status).toBe('cancelled');
  });

  it('ask → colleague accepts → office approves: everyone told, the colleague takes today’s roll, the giver no longer can; twice → 409', async () => {
    const asked = await teacher.post('/api/swaps', { colleagueStaffId: zhou, give: { day: today, groupId: g1 }, reason: '临时开会' });
    expect(asked.status).toBe(201);
    const id = asked.body.id;
    const told = async (kind: string) =>
      (
        await rows<{ username: string }>(
          sql`SELECT a.username FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE n.kind = ${kind} AND n.payload->>'swapId' = ${id}`,
        )
      )
        .map((r) => r.username)
        .sort();
    expect(await told('swap.requested')).toEqual(['admin', 'teacher2']);
    expect((await admin2.post(`/api/swaps/${id}/approve`, {})).status).toBe(404);
    expect((await teacher3.post(`/api/swaps/${id}/accept`)).status).toBe(404);
    expect((await teacher.post(`/api/swaps/${id}/accept`)).body.code).toBe('SWAP_WRONG_PARTY');
    expect((await teacher2.post(`/api/swaps/${id}/accept`)).body.status).toBe('accepted');
    expect(await told('swap.accepted')).toEqual(['teacher']);
    const ok = await admin.post(`/api/swaps/${id}/approve`, { note: '同意' });
    expect(ok.status).toBe(200);
    expect(await told('swap.approved')).toEqual(['teacher', 'teacher2']);
    const twice = await admin.post(`/api/swaps/${id}/approve`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('SWAP_ALREADY_DECIDED');
    expect((await admin.post(`/api/swaps/${id}/refuse`, {})).status).toBe(409);
    // the afternoon follows the swap
    const theirs = await teacher2.get('/api/daily/today');
    expect(theirs.body.groups.map((g: { id: string }) => g.id)).toContain(g1);
    expect((await teacher.get('/api/daily/today')).body.groups.map((g: { id: string }) => g.id)).not.toContain(g1);
    expect((await teacher2.post(`/api/daily/groups/${g1}/checkin`)).status).toBe(200);
    expect((await teacher2.post(`/api/daily/groups/${g1}/all-present`)).status).toBe(200);
    expect((await teacher.post(`/api/daily/groups/${g1}/all-present`)).status).toBe(403);
    const duty = await admin.get('/api/daily/duty');
    expect(duty.body.groups.find((g: { id: string }) => g.id === g1).teacherName).toBe('周敏');
    expect(duty.body.leaders.length).toBeGreaterThanOrEqual(2);
    const list = await teacher2.get('/api/swaps');
    expect(list.body.swaps.find((s: { id: string }) => s.id === id)).toMatchObject({
      status: 'approved',
      role: 'colleague',
      colleagueName: '周敏',
    });
    expect((await teacher3.get('/api/swaps')).body.swaps.some((s: { id: string }) => s.id === id)).toBe(false);
  });

  it('the office cannot approve a swap it is a party to', async () => {
    const day = await futureDay();
    const [adminAccount] = await rows<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'admin'`);
    await env.database.db.execute(sql`UPDATE staff SET account_id = ${adminAccount.id} WHERE id = ${free}`);
    const asked = await teacher.post('/api/swaps', { colleagueStaffId: free, give: { day, groupId: g1 } });
    expect(asked.status).toBe(201);
    const self = await admin.post(`/api/swaps/${asked.body.id}/approve`, {});
    expect(self.status).toBe(422);
    expect(self.body.message).toBe('不能审批自己参与的调班');
    await env.database.db.execute(sql`UPDATE staff SET account_id = NULL WHERE id = ${free}`);
    expect((await teacher.post(`/api/swaps/${asked.body.id}/cancel`)).body.status).toBe('cancelled');
    expect((await admin.post(`/api/swaps/${asked.body.id}/approve`, {})).status).toBe(409);
  });

  it('a duty day changes hands: the taker leads that day, the giver no longer does', async () => {
    const day = await futureDay();
    const duty = await login(env.app, 'duty');
    const [chen] = await rows<{ id: string }>(
      sql`SELECT s.id FROM staff s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'duty'`,
    );
    await env.database.db.execute(sql`INSERT INTO duty_assignments (school_id, term_id, weekday, staff_id)
      SELECT school_id, ${termId}, ${weekday}, id FROM staff WHERE id = ${chen.id} ON CONFLICT DO NOTHING`);
    const asked = await duty.post('/api/swaps', { colleagueStaffId: free, give: { day, groupId: null }, reason: '外出培训' });
    expect(asked.status).toBe(201);
    // a taker already leading that day would be booked twice
    const [other] = await rows<{ staff_id: string }>(
      sql`SELECT staff_id FROM duty_assignments WHERE term_id = ${termId} AND weekday = ${weekday} AND staff_id <> ${chen.id} LIMIT 1`,
    );
    const twice = await duty.post('/api/swaps', { colleagueStaffId: other.staff_id, give: { day, groupId: null } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('DOUBLE_BOOKED');
    expect((await admin.post(`/api/swaps/${asked.body.id}/approve`, {})).status).toBe(200);
    const r = await admin.get(`/api/rota/terms/${termId}?from=${day}&to=${day}`);
    const leaders = r.body.days[0].entries.filter((e: { groupId: string | null }) => !e.groupId).map((e: { staffId: string }) => e.staffId);
    expect(leaders).toContain(free);
    expect(leaders).not.toContain(chen.id);
  });

  it('two approvals that would book the same person twice: one wins, the other is refused (row locks)', async () => {
    const day = await futureDay();
    const a = await teacher.post('/api/swaps', { colleagueStaffId: free, give: { day, groupId: g1 } });
    const b = await teacher3.post('/api/swaps', { colleagueStaffId: free, give: { day, groupId: busy.group } });
    expect([a.status, b.status]).toEqual([201, 201]);
    const results = await Promise.all([a, b].map((s) => admin.post(`/api/swaps/${s.body.id}/approve`, {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('DOUBLE_BOOKED');
    const taken = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM shift_swap_legs l JOIN shift_swaps s ON s.id = l.swap_id WHERE s.status = 'approved' AND l.day = ${day}::date AND l.to_staff_id = ${free}`,
    );
    expect(taken[0].n).toBe(1);
    const refuse = await admin.post(`/api/swaps/${(results[0].status === 409 ? a : b).body.id}/refuse`, { note: '会重复排班' });
    expect(refuse.body.status).toBe('refused');
  });
});

describe('rota xlsx helpers', () => {
  it('reads minutes off a slot time', async () => {
    const { minutesOf } = await import('./xlsx');
    expect(minutesOf('16:30–18:00')).toBe(90);
    expect(minutesOf('')).toBe(0);
  });
});
