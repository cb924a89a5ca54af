/**
 * The plan's life over HTTP: submission refused while anything blocks, the district's return and
 * filing, publication only after filing (R12) with seats opened, an edit after publication starting
 * the next version while the public page keeps the published one; tenancy (404) and roles (403).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { addOtherDistrict, type Fixture, ok, springPlan } from './testkit';

describeEachDb('plan lifecycle over HTTP', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let district: Client;
  let district9: Client;
  let f: Fixture;
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);
  const publicPlan = () => request(env.app, 'GET', `/api/public/plans/HC-SY?termId=${f.termId}`);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await addOtherDistrict(env.database.db);
    [admin, admin2, district, district9] = await Promise.all(['admin', 'admin2', 'district', 'district9'].map((n) => login(env.app, n)));
    f = await springPlan(env.database.db, admin);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('submission with a blocking finding is refused with PLAN_BLOCKED and the findings; nothing is written', async () => {
    const plan = ok<{ offerings: { id: string; name: string }[] }>(await admin.get(`/api/plans/${f.planId}`));
    const club = plan.offerings.find((o) => o.name === '足球')!;
    ok(await admin.patch(`/api/plans/${f.planId}/offerings/${club.id}`, { name: '足球竞赛集训' }));
    const res = await admin.post(`/api/plans/${f.planId}/submit`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'PLAN_BLOCKED', details: [{ id: 'R3', severity: 'block', path: `offerings.${club.id}.name` }] });
    expect(await rows(sql`SELECT 1 FROM plan_versions WHERE plan_id = ${f.planId}`)).toEqual([]);
    expect(ok<{ status: string; canSubmit: boolean }>(await admin.get(`/api/plans/${f.planId}`))).toMatchObject({
      status: 'draft',
      canSubmit: false,
    });
    ok(await admin.patch(`/api/plans/${f.planId}/offerings/${club.id}`, { name: '足球' }));
  });

  it('publication before filing is refused (R12)', async () => {
    const res = await admin.post(`/api/plans/${f.planId}/publish`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'PLAN_NOT_FILED', details: [{ id: 'R12' }] });
  });

  it('a clean plan is submitted as version 1 with a snapshot; it cannot change while under review', async () => {
    const res = ok<{ version: { version: number; status: string } }>(await admin.post(`/api/plans/${f.planId}/submit`));
    expect(res.version).toMatchObject({ version: 1, status: 'submitted' });
    const [v] = await rows<{ status: string; snapshot: { plan: { version: number }; offerings: unknown[]; school: { code: string } } }>(
      sql`SELECT status, snapshot FROM plan_versions WHERE plan_id = ${f.planId} AND version = 1`,
    );
    expect(v.status).toBe('submitted');
    expect(v.snapshot.plan.version).toBe(1);
    expect(v.snapshot.offerings).toHaveLength(2);
    expect(v.snapshot.school.code).toBe('HC-SY');
    expect((await admin.patch(`/api/plans/${f.planId}`, { feeBasis: '改' })).body.code).toBe('PLAN_UNDER_REVIEW');
    expect((await admin.post(`/api/plans/${f.planId}/submit`)).status).toBe(409);
    expect((await admin.post(`/api/plans/${f.planId}/publish`)).body.code).toBe('PLAN_NOT_FILED');
  });

  it('the district sees it in its queue; another district and the office cannot', async () => {
    const queue = ok<{ id: string; school: { code: string }; latest: { version: number } }[]>(
      await district.get('/api/district/plans?status=submitted'),
    );
    const mine = queue.find((p) => p.id === f.planId);
    expect(mine).toMatchObject({ school: { code: 'HC-SY' }, latest: { version: 1 } });
    expect(queue.some((p) => p.school.code === 'HC-DE')).toBe(true); // the demo's school 2 waits too
    const snap = ok<{ snapshot: { offerings: unknown[] }; findings: unknown[] }>(
      await district.get(`/api/district/plans/${f.planId}/versions/1`),
    );
    expect(snap.snapshot.offerings).toHaveLength(2);

    expect(ok<unknown[]>(await district9.get('/api/district/plans'))).toEqual([]);
    expect((await district9.get(`/api/district/plans/${f.planId}`)).status).toBe(404);
    expect((await district9.get(`/api/district/plans/${f.planId}/versions/1`)).status).toBe(404);
    expect((await district9.post(`/api/district/plans/${f.planId}/versions/1/file`, {})).status).toBe(404);
    expect((await admin.get('/api/district/plans')).status).toBe(403);
    expect((await admin.post(`/api/district/plans/${f.planId}/versions/1/file`, {})).status).toBe(403);
  });

  it('the district returns it with a comment (required); the office resubmits as version 2', async () => {
    expect((await district.post(`/api/district/plans/${f.planId}/versions/1/return`, { comment: ' ' })).status).toBe(400);
    ok(await district.post(`/api/district/plans/${f.planId}/versions/1/return`, { comment: '请补充应急预案' }));
    const plan = ok<{ status: string; reviewComment: string }>(await admin.get(`/api/plans/${f.planId}`));
    expect(plan).toMatchObject({ status: 'returned', reviewComment: '请补充应急预案' });
    expect((await district.post(`/api/district/plans/${f.planId}/versions/1/file`, {})).body.code).toBe('PLAN_NOT_SUBMITTED');

    ok(await admin.patch(`/api/plans/${f.planId}`, { safetyMeasures: '点名、交接、应急预案（已补充：疏散演练）' }));
    ok(await admin.post(`/api/plans/${f.planId}/submit`));
    const versions = await rows<{ version: number; status: string; review_comment: string }>(
      sql`SELECT version, status, review_comment FROM plan_versions WHERE plan_id = ${f.planId} ORDER BY version`,
    );
    expect(versions).toEqual([
      { version: 1, status: 'returned', review_comment: '请补充应急预案' },
      { version: 2, status: 'submitted', review_comment: '' },
    ]);
  });

  it('the district files version 2; the office publishes it; seats open per offering × weekday', async () => {
    expect((await district.post(`/api/district/plans/${f.planId}/versions/1/file`, {})).status).toBe(404); // not the latest
    ok(await district.post(`/api/district/plans/${f.planId}/versions/2/file`, { comment: '同意备案' }));
    expect((await publicPlan()).status).toBe(404); // filed is not yet public
    ok(await admin.post(`/api/plans/${f.planId}/publish`));
    const seats = await rows<{ name: string; weekday: number; capacity: number; taken: number }>(sql`
      SELECT o.name, s.weekday, s.capacity, s.taken FROM offering_seats s
        JOIN offerings o ON o.school_id = s.school_id AND o.id = s.offering_id
       WHERE o.plan_id = ${f.planId} ORDER BY o.name, s.weekday`);
    expect(seats).toHaveLength(7);
    expect(seats.filter((s) => s.name === '足球').map((s) => [s.weekday, s.capacity])).toEqual([
      [2, 30],
      [4, 30],
    ]);
    const pub = await publicPlan();
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ version: 2, snapshot: { term: { id: f.termId }, school: { code: 'HC-SY' } } });
    expect(pub.body.publishedAt).toBeTruthy();
    expect(JSON.stringify(pub.body)).not.toMatch(/student|guardian|pickup/i);
  });

  it('an edit after publication starts version 3 as a draft; the public page still shows version 2', async () => {
    const plan = ok<{ offerings: { id: string; name: string; capacity: number }[] }>(await admin.get(`/api/plans/${f.planId}`));
    const club = plan.offerings.find((o) => o.name === '足球')!;
    ok(await admin.patch(`/api/plans/${f.planId}/offerings/${club.id}`, { capacity: 20 }));
    const after = ok<{ status: string; version: number; published: { version: number } }>(await admin.get(`/api/plans/${f.planId}`));
    expect(after).toMatchObject({ status: 'draft', version: 3, published: { version: 2 } });
    const pub = await publicPlan();
    expect(pub.body.version).toBe(2);
    expect(pub.body.snapshot.offerings.find((o: { id: string }) => o.id === club.id).capacity).toBe(30);
    const history = ok<{ version: number; status: string }[]>(await admin.get(`/api/plans/${f.planId}/versions`));
    expect(history.map((v) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'returned'],
    ]);
  });

  it('publication is refused when a capacity would drop below the seats already taken', async () => {
    const plan = ok<{ offerings: { id: string; name: string }[] }>(await admin.get(`/api/plans/${f.planId}`));
    const club = plan.offerings.find((o) => o.name === '足球')!;
    await env.database.db.execute(sql`UPDATE offering_seats SET taken = 25 WHERE offering_id = ${club.id} AND weekday = 2`);
    ok(await admin.post(`/api/plans/${f.planId}/submit`));
    ok(await district.post(`/api/district/plans/${f.planId}/versions/3/file`, {}));
    const res = await admin.post(`/api/plans/${f.planId}/publish`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'CAPACITY_BELOW_TAKEN',
      details: [{ offeringId: club.id, weekday: 2, capacity: 20, taken: 25 }],
    });
    const seats = await rows<{ weekday: number; capacity: number }>(
      sql`SELECT weekday, capacity FROM offering_seats WHERE offering_id = ${club.id} ORDER BY weekday`,
    );
    expect(seats.map((s) => s.capacity)).toEqual([30, 30]);
    expect((await publicPlan()).body.version).toBe(2);
    // a larger capacity in version 4 publishes, and a dropped offering's seats close at what is taken
    ok(await admin.patch(`/api/plans/${f.planId}/offerings/${club.id}`, { capacity: 26 }));
    ok(await admin.post(`/api/plans/${f.planId}/submit`));
    ok(await district.post(`/api/district/plans/${f.planId}/versions/4/file`, {}));
    ok(await admin.post(`/api/plans/${f.planId}/publish`));
    expect((await publicPlan()).body.version).toBe(4);
    const after = await rows<{ capacity: number; taken: number }>(
      sql`SELECT capacity, taken FROM offering_seats WHERE offering_id = ${club.id} ORDER BY weekday`,
    );
    expect(after).toEqual([
      { capacity: 26, taken: 25 },
      { capacity: 26, taken: 0 },
    ]);
  });

  describe('tenancy and roles', () => {
    it("another school's plan, term, venue and offering answer 404", async () => {
      const plan = ok<{ offerings: { id: string }[] }>(await admin.get(`/api/plans/${f.planId}`));
      expect((await admin2.get(`/api/plans/${f.planId}`)).status).toBe(404);
      expect((await admin2.get(`/api/plans/${f.planId}/versions/2`)).status).toBe(404);
      expect((await admin2.patch(`/api/plans/${f.planId}`, { feeBasis: 'x' })).status).toBe(404);
      expect((await admin2.post(`/api/plans/${f.planId}/submit`)).status).toBe(404);
      expect((await admin2.delete(`/api/plans/${f.planId}/offerings/${plan.offerings[0].id}`)).status).toBe(404);
      expect((await admin2.get(`/api/terms/${f.termId}`)).status).toBe(404);
      expect((await admin2.patch(`/api/venues/${f.room}`, { capacity: 5 })).status).toBe(404);
      // nor can school 1 point its offering at school 2's venue (and the refused edit starts no version)
      const foreignVenue = ok<{ id: string }[]>(await admin2.get('/api/venues'))[0].id;
      const res = await admin.post(`/api/plans/${f.planId}/offerings`, {
        kind: 'club',
        category: 'sport',
        name: '篮球',
        slot: 'afternoon',
        gradeMin: 3,
        gradeMax: 6,
        weekdays: [1],
        capacity: 10,
        venueId: foreignVenue,
      });
      expect(res.status).toBe(404);
      expect(ok<{ version: number; status: string }>(await admin.get(`/api/plans/${f.planId}`))).toMatchObject({
        version: 4,
        status: 'published',
      });
    });

    it('roles without the permission get 403; anonymous 401; the public page needs no login', async () => {
      const [teacher, guardian, homeroom] = await Promise.all(['teacher', '13900000001', 'homeroom'].map((n) => login(env.app, n)));
      expect((await teacher.get(`/api/plans/${f.planId}`)).status).toBe(200); // care teachers read the plan
      expect((await teacher.post('/api/terms', { name: 'x', startsOn: '2027-09-01', endsOn: '2028-01-20' })).status).toBe(403);
      expect((await homeroom.post(`/api/plans/${f.planId}/submit`)).status).toBe(403);
      expect((await guardian.get('/api/plans')).status).toBe(403);
      expect((await district.get('/api/plans')).status).toBe(403);
      expect((await request(env.app, 'GET', '/api/plans')).status).toBe(401);
      expect((await request(env.app, 'GET', '/api/public/plans/HC-SY')).status).toBe(200);
      expect((await request(env.app, 'GET', '/api/public/plans/hc-sy')).status).toBe(200); // codes match in any case
      expect((await request(env.app, 'GET', '/api/public/plans/NOPE-1')).status).toBe(404);
      expect((await request(env.app, 'GET', '/api/public/plans/HC-DE')).status).toBe(404); // submitted, not published
    });
  });
});
