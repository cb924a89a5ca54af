/**
 * The day's duty leader by the rota (R5, R8) over HTTP: a care teacher without the duty role who
 * takes a duty day through an approved swap runs that day's duty console and its actions (cases,
 * headcount, patrols, relay, closing the day), and on any other day is refused as before. The same
 * relationship makes a timetabled duty leader without the role the day's leader.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';

describeEachDb('the duty day taken through a swap', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let duty: Client;
  let teacher: Client;
  let teacher2: Client;
  let today: string;
  let weekday: number;
  let termId: string;
  let g1: string; // the demo teacher's afternoon group today
  let chen: string; // the duty account's staff record (standing duty role)
  let zhou: string; // teacher2's staff record (care teacher only), free this afternoon
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, duty, teacher, teacher2] = await Promise.all(['admin', 'duty', 'teacher', 'teacher2'].map((l) => login(env.app, l)));
    const t = (await teacher.get('/api/daily/today')).body;
    today = t.day;
    weekday = t.weekday;
    g1 = t.groups.find((g: { slot: string }) => g.slot === 'afternoon').id;
    [{ term_id: termId }] = await rows<{ term_id: string }>(sql`SELECT term_id FROM care_groups WHERE id = ${g1}`);
    [{ id: chen }] = await rows<{ id: string }>(
      sql`SELECT s.id FROM staff s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'duty'`,
    );
    [{ id: zhou }] = await rows<{ id: string }>(
      sql`SELECT s.id FROM staff s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'teacher2'`,
    );
    // 陈建国 is on today's duty in the timetable, so that he can give the day away
    await env.database.db.execute(sql`INSERT INTO duty_assignments (school_id, term_id, weekday, staff_id)
      SELECT school_id, ${termId}, ${weekday}, id FROM staff WHERE id = ${chen} ON CONFLICT DO NOTHING`);
  }, 180_000);
  afterAll(() => env?.close());

  it('requires authentication', async () => {
    expect((await request(env.app, 'GET', '/api/daily/duty')).status).toBe(401);
    expect((await request(env.app, 'POST', '/api/daily/close', {})).status).toBe(401);
  });

  it('denies a care teacher who does not lead today’s duty: the console and its actions are 403, /me says so', async () => {
    const me = (await teacher2.get('/api/auth/me')).body;
    expect(me).toMatchObject({ roles: ['teacher'], dutyToday: null });
    expect(me.permissions).not.toContain('duty.read');
    expect((await teacher2.get('/api/daily/duty')).status).toBe(403);
    expect((await teacher2.post('/api/daily/close')).status).toBe(403);
    expect((await teacher2.get('/api/afternoon/headcounts')).status).toBe(403);
    expect((await teacher2.post('/api/carelog/patrols', { rating: 4 })).status).toBe(403);
    // another teacher's group today is not theirs
    expect((await teacher2.get(`/api/daily/groups/${g1}/roster`)).status).toBe(403);
  });

  it('asked, accepted and approved: the taker holds duty today and runs the console — cases, headcount, patrols, relay, close', async () => {
    const asked = await duty.post('/api/swaps', { colleagueStaffId: zhou, give: { day: today, groupId: null }, reason: '区里开会' });
    expect(asked.status).toBe(201);
    expect((await teacher2.post(`/api/swaps/${asked.body.id}/accept`)).body.status).toBe('accepted');
    // not before the office approves (R8)
    expect((await teacher2.get('/api/daily/duty')).status).toBe(403);
    expect((await admin.post(`/api/swaps/${asked.body.id}/approve`, { note: '同意' })).status).toBe(200);

    const me = (await teacher2.get('/api/auth/me')).body;
    expect(me).toMatchObject({ roles: ['duty', 'teacher'], dutyToday: today });
    expect(me.permissions).toEqual(expect.arrayContaining(['duty.read', 'day.close', 'headcount.write', 'patrol.write', 'incident.close']));
    const console = await teacher2.get('/api/daily/duty');
    expect(console.status).toBe(200);
    expect(console.body.leaders.map((l: { id: string }) => l.id)).toContain(zhou);
    expect(console.body.leaders.map((l: { id: string }) => l.id)).not.toContain(chen);

    // the demo's open missing case gets its outcome
    const open = console.body.cases.find((c: { status: string }) => c.status === 'open');
    expect(open).toBeDefined();
    const resolved = await teacher2.post(`/api/daily/cases/${open.id}/resolve`, { outcome: 'guardian_confirmed', note: '' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');

    // the line-up headcount and a patrol
    const counts = await teacher2.get('/api/afternoon/headcounts');
    expect(counts.status).toBe(200);
    const campusId = counts.body.campuses[0].campusId;
    const counted = await teacher2.post('/api/afternoon/headcounts', { campusId, counted: 30 });
    expect(counted.status).toBeLessThan(300);
    expect((await teacher2.post('/api/carelog/patrols', { groupId: g1, rating: 5, note: '秩序良好' })).status).toBe(201);

    // relay care: the care teacher hands the uncollected pupils over, the day's leader releases one
    expect((await teacher2.get('/api/daily/today')).body.groups.map((g: { id: string }) => g.id)).toContain(g1);
    const relayed = await teacher.post(`/api/daily/groups/${g1}/relay`);
    expect(relayed.status).toBe(200);
    const roster = await teacher2.get(`/api/daily/groups/${g1}/roster`);
    expect(roster.status).toBe(200);
    const inRelay = roster.body.pupils.filter((p: { handover: string }) => p.handover === 'relay');
    expect(inRelay.length).toBeGreaterThan(0);
    let released = false;
    for (const p of inRelay) {
      const adults = (await teacher2.get(`/api/daily/groups/${g1}/pupils/${p.studentId}/pickups`)).body.adults;
      if (!adults.length) continue;
      const r = await teacher2.post(`/api/daily/groups/${g1}/release`, { studentId: p.studentId, pickupPersonId: adults[0].id });
      expect(r.status).toBe(200);
      released = true;
      break;
    }
    expect(released).toBe(true);

    // closing the day passes the gate; the day is refused while pupils are not accounted for
    const close = await teacher2.post('/api/daily/close');
    expect(close.status).toBe(409);
    expect(close.body.code).toBe('DAY_NOT_ACCOUNTED');
    // what they did is audited under their own account, with the roles they acted in that day
    const audited = await rows<{ action: string; role: string }>(
      sql`SELECT l.action, l.role FROM audit_log l JOIN accounts a ON a.id = l.account_id
           WHERE a.username = 'teacher2' AND l.action IN ('missing_case.resolve', 'patrol.record') ORDER BY l.action`,
    );
    expect(audited).toEqual([
      { action: 'missing_case.resolve', role: 'duty,teacher' },
      { action: 'patrol.record', role: 'duty,teacher' },
    ]);
  });

  it('on another day the taker is a care teacher again (403); a timetabled duty day without the role counts the same way', async () => {
    const r = await admin.get(`/api/rota/terms/${termId}?from=${today}`);
    const hers = new Set(
      (await rows<{ weekday: number }>(sql`SELECT weekday FROM duty_assignments WHERE term_id = ${termId} AND staff_id = ${zhou}`)).map(
        (d) => d.weekday,
      ),
    );
    // a later service day on which 周敏 has no duty in the timetable
    const other = r.body.days.find((d: { date: string; weekday: number }) => d.date > today && !hers.has(d.weekday));
    expect(other).toBeDefined();
    const otherDay: string = other.date;
    // the same database seen on that date (the clock of AppDeps)
    const app = await buildApp({ database: { ...env.database }, clock: () => new Date(`${otherDay}T15:00:00+08:00`) });
    await app.ready();
    try {
      const c = await login(app, 'teacher2');
      expect((await c.get('/api/auth/me')).body).toMatchObject({ roles: ['teacher'], dutyToday: null });
      const refused = await c.get('/api/daily/duty');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      expect((await c.post('/api/daily/close')).status).toBe(403);
      // the timetable puts 周敏 on that weekday's duty: she leads that day, from the next request on
      await env.database.db.execute(sql`INSERT INTO duty_assignments (school_id, term_id, weekday, staff_id)
        SELECT school_id, ${termId}, ${other.weekday}, id FROM staff WHERE id = ${zhou} ON CONFLICT DO NOTHING`);
      expect((await c.get('/api/auth/me')).body.dutyToday).toBe(otherDay);
      expect((await c.get('/api/daily/duty')).status).toBe(200);
      await env.database.db.execute(
        sql`DELETE FROM duty_assignments WHERE term_id = ${termId} AND weekday = ${other.weekday} AND staff_id = ${zhou}`,
      );
      expect((await c.get('/api/daily/duty')).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
