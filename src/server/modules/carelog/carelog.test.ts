/** The care log over HTTP: patrols, activity records, incidents with acknowledgement, escalation and closing. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { escalateOverdue } from './escalation';
import { carelogEnv } from './test-env';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const HUGE = `data:image/jpeg;base64,${'A'.repeat(300_001)}`;

describeEachDb('carelog: patrols, activities, incidents', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  let duty: Client;
  let homeroom: Client;
  let groupId: string;
  let otherGroupId: string;
  let pupils: { studentId: string; name: string }[];
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await carelogEnv(kind);
    [admin, admin2, teacher, duty, homeroom] = await Promise.all(
      ['admin', 'admin2', 'teacher', 'duty', 'homeroom'].map((l) => login(env.app, l)),
    );
    groupId = (await teacher.get('/api/daily/today')).body.groups[0].id;
    otherGroupId = (await duty.get('/api/daily/today')).body.groups.find((g: { id: string }) => g.id !== groupId).id;
    pupils = (await teacher.get(`/api/daily/groups/${groupId}/roster`)).body.pupils;
  }, 120_000);
  afterAll(() => env?.close());

  it('requires authentication', async () => {
    for (const [m, u] of [
      ['POST', '/api/carelog/patrols'],
      ['GET', '/api/carelog/patrols'],
      ['GET', '/api/carelog/incidents'],
      ['POST', `/api/carelog/incidents/${groupId}/ack`],
      ['PUT', `/api/carelog/groups/${groupId}/activity`],
    ])
      expect((await request(env.app, m, u, m === 'GET' ? undefined : {})).status).toBe(401);
  });

  it('denies those without the permission', async () => {
    expect((await teacher.post('/api/carelog/patrols', { groupId, rating: 3 })).status).toBe(403);
    expect((await homeroom.post('/api/carelog/incidents', {})).status).toBe(403);
    expect((await teacher.post(`/api/carelog/incidents/${groupId}/close`, { outcome: 'x' })).status).toBe(403);
    expect((await homeroom.send('PUT', `/api/carelog/groups/${groupId}/activity`, { category: 'reading', content: 'x' })).status).toBe(403);
    expect((await teacher.send('PUT', '/api/carelog/grade-heads', { heads: [] })).status).toBe(403);
  });

  it('patrols: recorded with a rating and photo, listed per day, audited; bad input and another school’s group refused', async () => {
    const ok = await duty.post('/api/carelog/patrols', { groupId, rating: 4, note: '秩序良好', photo: PNG });
    expect(ok.status).toBe(201);
    const list = await duty.get('/api/carelog/patrols');
    expect(list.status).toBe(200);
    expect(list.body.patrols[0]).toMatchObject({ id: ok.body.id, rating: 4, note: '秩序良好', groupId, photo: PNG });
    expect(list.body.patrols[0].recordedBy).toBeTruthy();
    const [a] = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patrol.record' AND entity_id = ${ok.body.id}`,
    );
    expect(a.n).toBe(1);
    expect((await duty.post('/api/carelog/patrols', { groupId, rating: 6 })).status).toBe(400);
    expect((await duty.post('/api/carelog/patrols', { rating: 3 })).status).toBe(400);
    expect((await duty.post('/api/carelog/patrols', { groupId, rating: 3, photo: HUGE })).status).toBe(400);
    expect((await duty.post('/api/carelog/patrols', { groupId, rating: 3, photo: 'data:image/gif;base64,R0lGOD' })).status).toBe(400);
    const foreign = await admin2.post('/api/carelog/patrols', { groupId, rating: 3 });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect((await admin2.get('/api/carelog/patrols')).body.patrols).toEqual([]);
  });

  it('activity: the teacher records their own group’s session once per day (edited in place); not another group; photo size checked', async () => {
    const put = (c: Client, g: string, body: unknown) => c.send('PUT', `/api/carelog/groups/${g}/activity`, body);
    expect((await put(teacher, groupId, { category: 'reading', content: '阅读《小王子》', photos: [PNG] })).status).toBe(200);
    expect((await put(teacher, groupId, { category: 'sports', content: '跳绳比赛', photos: [] })).status).toBe(200);
    const mine = await teacher.get('/api/carelog/activities');
    expect(mine.body.activities).toHaveLength(1);
    expect(mine.body.activities[0]).toMatchObject({ groupId, category: 'sports', content: '跳绳比赛', photos: [] });
    expect((await put(teacher, otherGroupId, { category: 'reading', content: 'x' })).status).toBe(403);
    expect((await put(teacher, groupId, { category: 'reading', content: 'x', photos: [HUGE] })).status).toBe(400);
    expect((await put(teacher, groupId, { category: 'reading', content: 'x', photos: [PNG, PNG, PNG, PNG] })).status).toBe(400);
    expect((await put(teacher, groupId, { category: 'nap', content: 'x' })).status).toBe(400);
    expect((await put(admin2, groupId, { category: 'reading', content: 'x' })).status).toBe(404);
  });

  describe('incidents', () => {
    let incidentId: string;
    const pupil = () => pupils[0];

    it('a serious incident tells guardians, homeroom, grade head, the day’s managers and the leaders in one transaction', async () => {
      const [head] = await rows<{ id: string; account_id: string; grade: number }>(
        sql`SELECT st.id, st.account_id, s.grade FROM students s, staff st JOIN school_roles r ON r.account_id = st.account_id AND r.school_id = st.school_id AND r.role = 'teacher'
             WHERE s.id = ${pupil().studentId} AND st.school_id = s.school_id AND st.account_id IS NOT NULL
               AND st.account_id <> (SELECT id FROM accounts WHERE username = 'teacher') LIMIT 1`,
      );
      if (head)
        expect((await admin.send('PUT', '/api/carelog/grade-heads', { heads: [{ grade: head.grade, staffId: head.id }] })).status).toBe(
          200,
        );
      expect((await admin2.send('PUT', '/api/carelog/grade-heads', { heads: [{ grade: 1, staffId: head?.id ?? groupId }] })).status).toBe(
        404,
      );
      const res = await teacher.post('/api/carelog/incidents', {
        groupId,
        kind: 'injury',
        severity: 'serious',
        studentIds: [pupil().studentId],
        description: '跳绳时摔倒，膝盖擦伤',
        actionTaken: '已消毒包扎',
      });
      expect(res.status).toBe(201);
      incidentId = res.body.id;
      const told = await rows<{ role: string; account_id: string }>(
        sql`SELECT role, account_id FROM incident_recipients WHERE incident_id = ${incidentId}`,
      );
      const roles = new Set(told.map((t) => t.role));
      for (const r of ['guardian', 'homeroom', 'manager', 'leader']) expect(roles).toContain(r);
      if (head) expect(told).toContainEqual({ role: 'grade_head', account_id: head.account_id });
      const notes = await rows<{ account_id: string; kind: string }>(
        sql`SELECT account_id, kind FROM notifications WHERE payload->>'incidentId' = ${incidentId}`,
      );
      expect(notes).toHaveLength(told.length);
      const guardianAccounts = told.filter((t) => t.role === 'guardian').map((t) => t.account_id);
      expect(
        notes
          .filter((n) => n.kind === 'incident.guardian')
          .map((n) => n.account_id)
          .sort(),
      ).toEqual(guardianAccounts.sort());
      const [me] = await rows<{ id: string }>(sql`SELECT id FROM accounts WHERE username = 'teacher'`);
      expect(told.map((t) => t.account_id)).not.toContain(me.id);
      const listed = await duty.get('/api/carelog/incidents');
      expect(listed.body.incidents[0]).toMatchObject({ id: incidentId, status: 'open', severity: 'serious', level: 1 });
      expect(listed.body.incidents[0].pupils[0].studentId).toBe(pupil().studentId);
    });

    it('bad input: unknown pupil, another school’s group, another teacher’s group, missing fields, oversized photo', async () => {
      const base = { groupId, kind: 'illness', severity: 'minor', description: '发烧', studentIds: [pupil().studentId] };
      const [stranger] = await rows<{ id: string }>(
        sql`SELECT id FROM students WHERE id NOT IN (SELECT student_id FROM care_group_members WHERE group_id = ${groupId}) LIMIT 1`,
      );
      const unknown = await teacher.post('/api/carelog/incidents', { ...base, studentIds: [stranger.id] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.code).toBe('UNKNOWN_PUPIL');
      expect((await admin2.post('/api/carelog/incidents', base)).status).toBe(404);
      expect((await teacher.post('/api/carelog/incidents', { ...base, groupId: otherGroupId })).status).toBe(403);
      expect((await teacher.post('/api/carelog/incidents', { ...base, studentIds: [] })).status).toBe(400);
      expect((await teacher.post('/api/carelog/incidents', { ...base, severity: 'fatal' })).status).toBe(400);
      expect((await teacher.post('/api/carelog/incidents', { ...base, photo: HUGE })).status).toBe(400);
    });

    it('acknowledgement by each person told; not on someone else’s behalf; another school’s incident is 404', async () => {
      const ack = await homeroom.post(`/api/carelog/incidents/${incidentId}/ack`);
      expect(ack.status).toBe(200);
      expect(ack.body.acknowledgedAt).toBeTruthy();
      expect((await homeroom.post(`/api/carelog/incidents/${incidentId}/ack`)).body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
      const notMine = await teacher.post(`/api/carelog/incidents/${incidentId}/ack`);
      expect(notMine.status).toBe(404);
      expect(notMine.body.code).toBe('NOT_A_RECIPIENT');
      expect((await admin2.post(`/api/carelog/incidents/${incidentId}/ack`)).status).toBe(404);
      const pending = await duty.get('/api/carelog/incidents/pending-ack');
      expect(pending.body.incidents.map((i: { id: string }) => i.id)).toContain(incidentId);
      const [a] = await rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident.acknowledge' AND entity_id = ${incidentId}`,
      );
      expect(a.n).toBe(1);
    });

    it('an unacknowledged serious incident escalates once after N minutes; an acknowledged one does not', async () => {
      const res = await teacher.post('/api/carelog/incidents', {
        groupId,
        kind: 'conflict',
        severity: 'critical',
        studentIds: [pupils[1].studentId],
        description: '两名学生推搡',
      });
      expect(res.status).toBe(201);
      const id = res.body.id;
      expect(await escalateOverdue(env.database.db, 10)).toEqual([]);
      await env.database.db.execute(
        sql`UPDATE incidents SET reported_at = now() - interval '11 minutes' WHERE id IN (${id}, ${incidentId})`,
      );
      const escalated = await escalateOverdue(env.database.db, 10);
      expect(escalated.map((e) => e.id)).toEqual([id]);
      const [inc] = await rows<{ level: number }>(sql`SELECT level FROM incidents WHERE id = ${id}`);
      expect(inc.level).toBe(2);
      const [n] = await rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'incident.escalated' AND payload->>'incidentId' = ${id}`,
      );
      expect(n.n).toBeGreaterThan(0);
      expect(await escalateOverdue(env.database.db, 10)).toEqual([]);
      const [au] = await rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident.escalate' AND entity_id = ${id}`,
      );
      expect(au.n).toBe(1);
    });

    it('closed with an outcome by the duty leader; guardians told; twice is refused', async () => {
      expect((await duty.post(`/api/carelog/incidents/${incidentId}/close`, { outcome: '' })).status).toBe(400);
      expect((await admin2.post(`/api/carelog/incidents/${incidentId}/close`, { outcome: '家长已接回' })).status).toBe(404);
      const ok = await duty.post(`/api/carelog/incidents/${incidentId}/close`, { outcome: '家长已接回，次日复查无碍' });
      expect(ok.status).toBe(200);
      expect((await duty.post(`/api/carelog/incidents/${incidentId}/close`, { outcome: 'again' })).status).toBe(409);
      const [closed] = await rows<{ status: string; outcome: string }>(sql`SELECT status, outcome FROM incidents WHERE id = ${incidentId}`);
      expect(closed).toEqual({ status: 'closed', outcome: '家长已接回，次日复查无碍' });
      const [n] = await rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM notifications WHERE kind = 'incident.closed' AND payload->>'incidentId' = ${incidentId}`,
      );
      const [g] = await rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM incident_recipients WHERE incident_id = ${incidentId} AND role = 'guardian'`,
      );
      expect(n.n).toBe(g.n);
      // the teacher who reported it still sees it; the other school sees nothing
      expect((await teacher.get('/api/carelog/incidents')).body.incidents.some((i: { id: string }) => i.id === incidentId)).toBe(true);
      expect((await admin2.get('/api/carelog/incidents')).body.incidents).toEqual([]);
    });
  });
  it('the care log outlives a regeneration of the term’s groups (kept with the group’s name)', async () => {
    const before = (await duty.get('/api/carelog/patrols')).body.patrols;
    const [term] = await rows<{ term_id: string }>(sql`SELECT term_id FROM care_groups WHERE id = ${groupId}`);
    expect((await admin.post(`/api/daily/terms/${term.term_id}/groups/generate`, {})).status).toBe(200);
    const after = (await duty.get('/api/carelog/patrols')).body.patrols;
    expect(after.map((p: { id: string; groupLabel: string }) => [p.id, p.groupLabel])).toEqual(
      before.map((p: { id: string; groupLabel: string }) => [p.id, p.groupLabel]),
    );
    expect(after[0].groupLabel).toMatch(/组$/);
    const [n] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE group_label <> ''`);
    expect(n.n).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
