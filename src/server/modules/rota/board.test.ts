/** The groups board's edits over HTTP (the routes GroupEdit calls): checked against the grouping rules, nothing saved when blocked. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';

describeEachDb('groups board edits', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  type G = {
    id: string;
    weekday: number;
    slot: string;
    offering_id: string;
    campus_id: string;
    teacher_staff_id: string | null;
    n: number;
  };
  let groups: G[];
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, admin2, teacher] = await Promise.all(['admin', 'admin2', 'teacher'].map((l) => login(env.app, l)));
    groups = await rows<G>(
      sql`SELECT g.id, g.weekday, g.slot, g.offering_id, g.campus_id, g.teacher_staff_id,
                 (SELECT count(*)::int FROM care_group_members m WHERE m.group_id = g.id) AS n
            FROM care_groups g JOIN schools s ON s.id = g.school_id WHERE s.name = '环翠区实验小学' ORDER BY g.weekday, g.slot, g.key`,
    );
  }, 120_000);
  afterAll(() => env?.close());

  /** two groups of one day and offering, the first with at least two pupils */
  const pair = () => {
    for (const a of groups)
      for (const b of groups)
        if (a.id !== b.id && a.weekday === b.weekday && a.offering_id === b.offering_id && a.n >= 2) return [a, b] as const;
    throw new Error('no two groups of one offering on a day');
  };
  const members = (id: string) =>
    rows<{ student_id: string }>(sql`SELECT student_id FROM care_group_members WHERE group_id = ${id} ORDER BY student_id`);

  it('requires authentication; a teacher may not edit; another school’s group is not found', async () => {
    const [a, b] = pair();
    expect((await request(env.app, 'PATCH', `/api/daily/groups/${a.id}`, { venueId: null })).status).toBe(401);
    expect((await teacher.post(`/api/daily/groups/${a.id}/move`, { studentId: a.id, toGroupId: b.id })).status).toBe(403);
    expect((await admin2.patch(`/api/daily/groups/${a.id}`, { venueId: null })).status).toBe(404);
  });

  it('moves a pupil to another group of the same day and offering; a pupil not in the group is not found', async () => {
    const [a, b] = pair();
    const [pupil] = await members(a.id);
    const res = await admin.post(`/api/daily/groups/${a.id}/move`, { studentId: pupil.student_id, toGroupId: b.id });
    expect(res.status).toBe(200);
    expect((await members(b.id)).map((m) => m.student_id)).toContain(pupil.student_id);
    expect((await admin.post(`/api/daily/groups/${a.id}/move`, { studentId: pupil.student_id, toGroupId: b.id })).status).toBe(404);
    // back again, so the grouping is whole
    expect((await admin.post(`/api/daily/groups/${b.id}/move`, { studentId: pupil.student_id, toGroupId: a.id })).status).toBe(200);
  });

  it('refuses a teacher already busy in that slot or unvetted, and saves nothing', async () => {
    const busy = groups.filter((g) => g.teacher_staff_id && g.weekday === groups[0].weekday && g.slot === 'afternoon');
    const [a, b] = [busy[0], busy.find((g) => g.campus_id === busy[0].campus_id && g.id !== busy[0].id) as G];
    const res = await admin.patch(`/api/daily/groups/${b.id}`, { teacherStaffId: a.teacher_staff_id });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('GROUPING_VIOLATION');
    expect(res.body.details.violations.map((v: { code: string }) => v.code)).toContain('TEACHER_DOUBLE_BOOKED');
    expect(res.body.message).toMatch(/^调整违反编班规则：/);
    const [barred] = await rows<{ id: string }>(
      sql`SELECT id FROM staff WHERE school_id = (SELECT school_id FROM care_groups WHERE id = ${b.id}) AND vetting_status <> 'clear' LIMIT 1`,
    );
    const unvetted = await admin.patch(`/api/daily/groups/${b.id}`, { teacherStaffId: barred.id });
    expect(unvetted.status).toBe(422);
    expect(unvetted.body.details.violations.map((v: { code: string }) => v.code)).toContain('TEACHER_NOT_ELIGIBLE');
    const [after] = await rows<{ teacher_staff_id: string }>(sql`SELECT teacher_staff_id FROM care_groups WHERE id = ${b.id}`);
    expect(after.teacher_staff_id).toBe(b.teacher_staff_id);
  });
});
