/**
 * The office's group edits and swap approvals (R5, R8) over HTTP: giving a teacher a group checks the
 * approved swaps of the dates ahead, an approval checks the edited timetable, and the two take the
 * same staff-row locks in the same order, so racing each other one waits, the second sees the first
 * and is refused with 409 DOUBLE_BOOKED (the race itself on real PostgreSQL only: PGlite has one
 * connection, so nothing can interleave there).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';

describeEachDb('group edits and swap approvals lock the same staff rows', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let teacher: Client;
  let duty: Client;
  let termId: string;
  let weekday: number;
  let today: string;
  let g1: string; // the demo teacher's afternoon group on today's weekday
  let other: { id: string; teacher: string }; // another afternoon group of that weekday on the same campus
  let free: string; // a vetted own teacher with no login, free that afternoon (no group, no duty)
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, teacher, duty] = await Promise.all(['admin', 'teacher', 'duty'].map((l) => login(env.app, l)));
    const t = (await teacher.get('/api/daily/today')).body;
    today = t.day;
    weekday = t.weekday;
    g1 = t.groups.find((g: { slot: string }) => g.slot === 'afternoon').id;
    const [g] = await rows<{ term_id: string; campus_id: string }>(sql`SELECT term_id, campus_id FROM care_groups WHERE id = ${g1}`);
    termId = g.term_id;
    [other] = await rows<{ id: string; teacher: string }>(
      sql`SELECT g.id, g.teacher_staff_id AS teacher FROM care_groups g
           WHERE g.term_id = ${termId} AND g.weekday = ${weekday} AND g.slot = 'afternoon' AND g.id <> ${g1}
             AND g.campus_id = ${g.campus_id} AND g.teacher_staff_id IS NOT NULL ORDER BY g.key LIMIT 1`,
    );
    [{ id: free }] = await rows<{ id: string }>(
      sql`SELECT s.id FROM staff s WHERE s.school_id = (SELECT school_id FROM care_groups WHERE id = ${g1}) AND s.kind = 'own' AND s.active
            AND s.account_id IS NULL AND s.vetting_status = 'clear' AND (s.campus_id IS NULL OR s.campus_id = ${g.campus_id})
            AND NOT EXISTS (SELECT 1 FROM care_groups x WHERE x.term_id = ${termId} AND x.weekday = ${weekday} AND x.slot = 'afternoon' AND x.teacher_staff_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM duty_assignments d WHERE d.term_id = ${termId} AND d.weekday = ${weekday} AND d.staff_id = s.id)
          ORDER BY s.name LIMIT 1`,
    );
  }, 180_000);
  afterAll(() => env?.close());

  /** a future school day on today's timetable weekday with no swap yet */
  const futureDay = async () => {
    const r = await admin.get(`/api/rota/terms/${termId}?from=${today}`);
    const used = new Set((await rows<{ day: string }>(sql`SELECT day::text AS day FROM shift_swap_legs`)).map((x) => x.day));
    const d = r.body.days.find(
      (x: { date: string; weekday: number; makeup: boolean }) => x.date > today && x.weekday === weekday && !x.makeup && !used.has(x.date),
    );
    return d.date as string;
  };
  const teacherOf = async (groupId: string) =>
    (await rows<{ t: string }>(sql`SELECT teacher_staff_id AS t FROM care_groups WHERE id = ${groupId}`))[0].t;
  const askFor = async (day: string) => {
    const asked = await teacher.post('/api/swaps', { colleagueStaffId: free, give: { day, groupId: g1 }, reason: '培训' });
    expect(asked.status).toBe(201);
    return asked.body.id as string;
  };

  it('requires authentication', async () => {
    expect((await request(env.app, 'PATCH', `/api/daily/groups/${other.id}`, { teacherStaffId: free })).status).toBe(401);
    expect((await request(env.app, 'POST', `/api/swaps/${crypto.randomUUID()}/approve`, {})).status).toBe(401);
  });

  it('denies those without group.write: a care teacher and a duty leader cannot edit the board', async () => {
    for (const c of [teacher, duty]) {
      const res = await c.patch(`/api/daily/groups/${other.id}`, { teacherStaffId: free });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect(await teacherOf(other.id)).toBe(other.teacher);
  });

  it('the office’s edit sees approved swaps: a teacher whom a swap gives another shift at that time is refused (409, the date named)', async () => {
    const day = await futureDay();
    const id = await askFor(day);
    expect((await admin.post(`/api/swaps/${id}/approve`, {})).status).toBe(200);
    const res = await admin.patch(`/api/daily/groups/${other.id}`, { teacherStaffId: free });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOUBLE_BOOKED');
    expect(res.body.message).toContain(day);
    expect(res.body.details.clash).toMatchObject({ staffId: free, day, slot: 'afternoon' });
    expect(await teacherOf(other.id)).toBe(other.teacher);
    // a room edit of the same group changes no one's shifts: still allowed
    const [{ v }] = await rows<{ v: string | null }>(sql`SELECT venue_id AS v FROM care_groups WHERE id = ${other.id}`);
    expect((await admin.patch(`/api/daily/groups/${other.id}`, { venueId: v })).status).toBe(200);
    await env.database.db.execute(sql`DELETE FROM shift_swaps WHERE id = ${id}`);
  });

  it('an approval after the office’s edit sees it and is refused; the edit undone, the approval passes', async () => {
    const day = await futureDay();
    const id = await askFor(day);
    const edit = await admin.patch(`/api/daily/groups/${other.id}`, { teacherStaffId: free });
    expect(edit.status).toBe(200);
    const refused = await admin.post(`/api/swaps/${id}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('DOUBLE_BOOKED');
    expect((await admin.patch(`/api/daily/groups/${other.id}`, { teacherStaffId: other.teacher })).status).toBe(200);
    expect((await admin.post(`/api/swaps/${id}/approve`, {})).status).toBe(200);
    await env.database.db.execute(sql`DELETE FROM shift_swaps WHERE id = ${id}`);
  });

  it.skipIf(kind !== 'postgres')(
    'racing: both wait on the teacher’s staff row, one wins and the other is refused with DOUBLE_BOOKED',
    async () => {
      const day = await futureDay();
      const id = await askFor(day);
      const pool = env.database.pool;
      if (!pool) throw new Error('no pool');
      // hold the contested person's row so that both requests are in flight at once
      const blocker = await pool.connect();
      let results: Awaited<ReturnType<Client['post']>>[] = [];
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT id FROM staff WHERE id = $1 FOR UPDATE', [free]);
        const racing = Promise.all([
          admin.post(`/api/swaps/${id}/approve`, {}),
          admin.patch(`/api/daily/groups/${other.id}`, { teacherStaffId: free }),
        ]);
        // both requests must come to wait for the person's row lock (without the locks neither would)
        let waiting = 0;
        for (let i = 0; i < 200 && waiting < 2; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const w = await blocker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          waiting = w.rows[0].n;
        }
        await blocker.query('ROLLBACK');
        results = await racing;
        expect(waiting).toBe(2);
      } finally {
        blocker.release();
      }
      const statuses = results.map((r) => r.status);
      expect([...statuses].sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('DOUBLE_BOOKED');
      // whichever won, the teacher has one group that afternoon on that date
      const approved = statuses[0] === 200;
      expect(await teacherOf(other.id)).toBe(approved ? other.teacher : free);
      const [swap] = await rows<{ status: string }>(sql`SELECT status FROM shift_swaps WHERE id = ${id}`);
      expect(swap.status).toBe(approved ? 'approved' : 'requested');
      if (!approved) expect((await admin.patch(`/api/daily/groups/${other.id}`, { teacherStaffId: other.teacher })).status).toBe(200);
      await env.database.db.execute(sql`DELETE FROM shift_swaps WHERE id = ${id}`);
    },
  );
});
