/**
 * The guardian's side: no child data before the data-protection notice is accepted (N22), the
 * consent recorded per school and version, exactly their own children, 404 for anyone else's,
 * adding a pick-up adult, and a separate consent in each school.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PRIVACY_NOTICE_VERSION } from '../../../shared/roster';
import { type Db, queryRows } from '../../db/client';
import { type Client, type TestEnv, createTestEnv, describeEachDb, login } from '../../test/harness';
import { type DemoIds, demoIds } from '../../test/route-samples';

interface ConsentRow {
  school_id: string;
  notice_version: string;
  accepted_at: Date | string;
  ip: string;
}

describeEachDb('family', (kind) => {
  let env: TestEnv;
  let db: Db;
  let ids: DemoIds;
  let parent: Client;
  let admin: Client;

  const consentsOf = (phone: string) =>
    queryRows<ConsentRow>(
      db,
      sql`SELECT c.school_id, c.notice_version, c.accepted_at, c.ip FROM consents c JOIN accounts a ON a.id = c.account_id
           WHERE a.phone = ${phone} ORDER BY c.accepted_at`,
    );
  const pickupCount = async (studentId: string) =>
    (await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM pickup_persons WHERE student_id = ${studentId}`))[0].n;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    ids = await demoIds(db);
    parent = await login(env.app, '13900000001');
    await parent.post('/api/auth/context', { kind: 'school', id: ids.s1.school });
    admin = await login(env.app, 'admin');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('before accepting the notice the guardian gets 403 CONSENT_REQUIRED and no child data', async () => {
    const me = await parent.get('/api/auth/me');
    expect(me.body.roles).toEqual(['guardian']);
    expect(me.body.consentRequired).toBe(true);
    for (const url of ['/api/family/children', `/api/family/children/${ids.s1.pupil}`]) {
      const res = await parent.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.code).toBe('CONSENT_REQUIRED');
      expect(JSON.stringify(res.body)).not.toContain(ids.s1.pupil);
    }
    const add = await parent.post(`/api/family/children/${ids.s1.pupil}/pickups`, {
      name: '未同意',
      relation: '姑姑',
      phone: '13655553333',
    });
    expect(add.status).toBe(403);
    expect(add.body.code).toBe('CONSENT_REQUIRED');
  });

  it('shows the notice of the school it acts in', async () => {
    const notice = await parent.get('/api/family/notice');
    expect(notice.status).toBe(200);
    expect(notice.body).toMatchObject({ version: PRIVACY_NOTICE_VERSION, school: '环翠区实验小学', accepted: false });
    expect(notice.body.sections.length).toBeGreaterThanOrEqual(5);
    for (const s of notice.body.sections) expect(s).toEqual({ title: expect.any(String), body: expect.any(String) });
  });

  it('an outdated version or a refusal records nothing', async () => {
    const old = await parent.post('/api/family/consent', { version: '2020-01', accept: true });
    expect(old.status).toBe(409);
    expect(old.body.code).toBe('NOTICE_OUTDATED');
    const refuse = await parent.post('/api/family/consent', { version: PRIVACY_NOTICE_VERSION, accept: false });
    expect(refuse.status).toBe(400);
    expect(await consentsOf('13900000001')).toEqual([]);
  });

  it('accepting records the consent (school, account, version, time, IP) and audits it', async () => {
    const before = Date.now();
    const res = await parent.post('/api/family/consent', { version: PRIVACY_NOTICE_VERSION, accept: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: PRIVACY_NOTICE_VERSION });
    const rows = await consentsOf('13900000001');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ school_id: ids.s1.school, notice_version: PRIVACY_NOTICE_VERSION, ip: expect.any(String) });
    expect(new Date(rows[0].accepted_at).getTime()).toBeGreaterThanOrEqual(before - 60_000);
    // accepting again keeps one record
    expect((await parent.post('/api/family/consent', { version: PRIVACY_NOTICE_VERSION, accept: true })).status).toBe(200);
    expect(await consentsOf('13900000001')).toHaveLength(1);
    const log = await admin.get(`/api/audit?action=consent.accept&entityId=${PRIVACY_NOTICE_VERSION}`);
    expect(log.body.items.some((e: { actorName: string }) => e.actorName === '张秀英')).toBe(true);
    expect((await parent.get('/api/auth/me')).body.consentRequired).toBe(false);
    expect((await parent.get('/api/family/notice')).body.accepted).toBe(true);
  });

  it('then sees exactly their own child in school 1', async () => {
    const own = await queryRows<{ id: string }>(
      db,
      sql`SELECT DISTINCT sg.student_id AS id FROM student_guardians sg JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
           JOIN accounts a ON a.id = g.account_id WHERE a.phone = '13900000001' AND sg.school_id = ${ids.s1.school}`,
    );
    expect(own.map((r) => r.id)).toEqual([ids.s1.pupil]);
    const res = await parent.get('/api/family/children');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ id: ids.s1.pupil, relation: '母亲', className: expect.stringMatching(/^一\(\d+\)班$/), grade: 1 });
    expect(res.body[0]).not.toHaveProperty('address');

    const file = await parent.get(`/api/family/children/${ids.s1.pupil}`);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ id: ids.s1.pupil, address: expect.any(String) });
    expect(file.body.pickups.length).toBeGreaterThan(0);
    const reads = await admin.get(`/api/audit?action=student.read&entityId=${ids.s1.pupil}`);
    expect(
      reads.body.items.some((e: { actorName: string; detail: { by?: string } }) => e.actorName === '张秀英' && e.detail.by === 'guardian'),
    ).toBe(true);
  });

  it('gets 404 for any other pupil: a classmate, a pupil of another class, their own child in the other school, an unknown id', async () => {
    const [classmate] = await queryRows<{ id: string }>(
      db,
      sql`SELECT id FROM students WHERE school_id = ${ids.s1.school} AND id <> ${ids.s1.pupil}
             AND class_id = (SELECT class_id FROM students WHERE id = ${ids.s1.pupil}) LIMIT 1`,
    );
    for (const id of [classmate.id, ids.s1.classPupil, ids.s2.pupil, crypto.randomUUID()]) {
      const res = await parent.get(`/api/family/children/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      const before = await pickupCount(id);
      const add = await parent.post(`/api/family/children/${id}/pickups`, { name: '冒名', relation: '叔叔', phone: '13655554444' });
      expect(add.status).toBe(404);
      expect(await pickupCount(id)).toBe(before);
    }
    expect((await parent.get('/api/family/children/not-a-uuid')).status).toBe(400);
    // nor do the office routes open up to a guardian
    expect((await parent.get(`/api/students/${ids.s1.pupil}`)).status).toBe(403);
    expect((await parent.get('/api/guardians')).status).toBe(403);
  });

  it('can add a pick-up adult for their child, with validity dates; bad input is refused', async () => {
    const before = await pickupCount(ids.s1.pupil);
    const res = await parent.post(`/api/family/children/${ids.s1.pupil}/pickups`, {
      name: '张外婆',
      relation: '外祖母',
      phone: '13655555555',
      validFrom: '2026-09-01',
      validTo: '2027-07-15',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      studentId: ids.s1.pupil,
      name: '张外婆',
      relation: '外祖母',
      validFrom: '2026-09-01',
      validTo: '2027-07-15',
    });
    expect(await pickupCount(ids.s1.pupil)).toBe(before + 1);
    const file = await parent.get(`/api/family/children/${ids.s1.pupil}`);
    expect(file.body.pickups).toContainEqual(res.body);
    // the office sees the same adult on the pupil's file, and the audit log says a guardian added it
    const office = await admin.get(`/api/students/${ids.s1.pupil}`);
    expect(office.body.pickups.map((p: { id: string }) => p.id)).toContain(res.body.id);
    const log = await admin.get(`/api/audit?action=pickup.create&entityId=${ids.s1.pupil}`);
    expect(log.body.items[0]).toMatchObject({ actorName: '张秀英', detail: { pickupId: res.body.id, by: 'guardian' } });

    for (const bad of [
      { name: '错', relation: '舅舅', phone: '13655556666', validFrom: '2027-01-02', validTo: '2027-01-01' },
      { name: '错', relation: '舅舅', phone: 'abc' },
      { name: '', relation: '舅舅', phone: '13655556666' },
      { name: '错', relation: '舅舅', phone: '13655556666', photo: 'http://example.com/x.png' },
    ]) {
      expect((await parent.post(`/api/family/children/${ids.s1.pupil}/pickups`, bad)).status).toBe(400);
    }
    expect(await pickupCount(ids.s1.pupil)).toBe(before + 1);
    // editing or deleting pick-up adults is the office's job
    expect((await parent.delete(`/api/pickups/${res.body.id}`)).status).toBe(403);
  });

  it('in school 2 the same account needs a separate consent, then sees the school-2 child only', async () => {
    const sw = await parent.post('/api/auth/context', { kind: 'school', id: ids.s2.school });
    expect(sw.status).toBe(200);
    const me = await parent.get('/api/auth/me');
    expect(me.body.active).toMatchObject({ id: ids.s2.school, name: '环翠区第二实验小学' });
    expect(me.body.consentRequired).toBe(true);
    const blocked = await parent.get('/api/family/children');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('CONSENT_REQUIRED');
    const notice = await parent.get('/api/family/notice');
    expect(notice.body).toMatchObject({ school: '环翠区第二实验小学', accepted: false });

    expect((await parent.post('/api/family/consent', { version: notice.body.version, accept: true })).status).toBe(200);
    const rows = await consentsOf('13900000001');
    expect(rows.map((r) => r.school_id).sort()).toEqual([ids.s1.school, ids.s2.school].sort());

    const kids = await parent.get('/api/family/children');
    expect(kids.body.map((k: { id: string }) => k.id)).toEqual([ids.s2.pupil]);
    expect((await parent.get(`/api/family/children/${ids.s2.pupil}`)).status).toBe(200);
    expect((await parent.get(`/api/family/children/${ids.s1.pupil}`)).status).toBe(404);

    // back in school 1 the earlier consent still holds
    await parent.post('/api/auth/context', { kind: 'school', id: ids.s1.school });
    expect((await parent.get('/api/family/children')).body.map((k: { id: string }) => k.id)).toEqual([ids.s1.pupil]);
  });
});
