/** Terms and their calendar, venues, creating a plan, bad input (400, never 500), and the demo's plans. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { ok, put } from './testkit';

describeEachDb('terms, venues and plans over HTTP', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let termId: string;
  let campusId: string;
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    admin = await login(env.app, 'admin');
    campusId = ok<{ id: string }[]>(await admin.get('/api/campuses'))[0].id;
  });
  afterAll(async () => {
    await env?.close();
  });

  it('creates a term, a holiday range (weekends skipped) and a make-up day; the service days add up', async () => {
    const t = ok<{ id: string; summary: { total: number } }>(
      await admin.post('/api/terms', {
        name: '2027—2028学年第一学期',
        startsOn: '2027-09-01',
        endsOn: '2028-01-21',
        winterFrom: '2027-11-01',
      }),
    );
    termId = t.id;
    expect(t.summary.total).toBe(103);
    const withHolidays = ok<{ summary: { total: number }; days: { day: string }[] }>(
      await admin.post(`/api/terms/${termId}/days`, { day: '2027-10-01', to: '2027-10-07', kind: 'holiday', note: '国庆' }),
    );
    expect(withHolidays.days.map((d) => d.day)).toEqual(['2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07']);
    const withMakeup = ok<{ summary: { total: number; makeup: number; perWeekday: Record<string, number> } }>(
      await admin.post(`/api/terms/${termId}/days`, { day: '2027-10-09', kind: 'makeup', asWeekday: 5 }),
    );
    expect(withMakeup.summary).toMatchObject({ total: 103 - 5 + 1, makeup: 1 });
    const stored = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM term_days WHERE term_id = ${termId}`);
    expect(stored[0].n).toBe(6);
    const days = ok<{ days: { date: string; weekday: number; season: string }[] }>(await admin.get(`/api/terms/${termId}/school-days`));
    expect(days.days.find((d) => d.date === '2027-10-09')).toMatchObject({ weekday: 5, season: 'summer' });
    expect(days.days.at(-1)).toMatchObject({ date: '2028-01-21', season: 'winter' });
    ok(await admin.delete(`/api/terms/${termId}/days/2027-10-09`));
    expect((await admin.delete(`/api/terms/${termId}/days/2027-10-09`)).status).toBe(404);
  });

  it('refuses bad terms and calendar days with 400 and a code, never 500', async () => {
    const bad: [string, string, unknown][] = [
      ['POST', '/api/terms', { name: 'x', startsOn: '2027-09-01', endsOn: '2027-08-01' }],
      ['POST', '/api/terms', { name: 'x', startsOn: '2027-02-30', endsOn: '2027-08-01' }],
      ['POST', '/api/terms', { name: 'x', startsOn: '2027-09-01', endsOn: '2028-01-01', winterFrom: '2028-03-01' }],
      ['POST', '/api/terms', { name: 'x', startsOn: '2027-09-01', endsOn: '2028-01-01', applyOpensAt: '2027-09-01T00:00:00Z' }],
      [
        'POST',
        '/api/terms',
        {
          name: 'x',
          startsOn: '2027-09-01',
          endsOn: '2028-01-01',
          applyOpensAt: '2027-09-02T00:00:00Z',
          applyClosesAt: '2027-09-01T00:00:00Z',
        },
      ],
      ['POST', '/api/terms', { name: '', startsOn: '2027-09-01', endsOn: '2028-01-01' }],
      ['PATCH', `/api/terms/${'00000000-0000-4000-8000-000000000000'}`, {}],
      ['POST', '/api/terms/not-an-id/days', { day: '2027-10-01', kind: 'holiday' }],
      ['POST', '/api/terms/TERM/days', { day: '2027-10-02', kind: 'holiday' }], // a Saturday
      ['POST', '/api/terms/TERM/days', { day: '2027-10-11', kind: 'makeup', asWeekday: 1 }], // a Monday
      ['POST', '/api/terms/TERM/days', { day: '2027-10-09', kind: 'makeup' }], // which weekday?
      ['POST', '/api/terms/TERM/days', { day: '2028-03-01', kind: 'holiday' }], // outside the term
      ['POST', '/api/terms/TERM/days', { day: '2027-10-01', kind: 'strike' }],
      ['DELETE', '/api/terms/TERM/days/2027-13-01', undefined],
    ];
    for (const [method, url, body] of bad) {
      const res = await admin.send(method, url.replace('TERM', termId), body);
      expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBe(400);
      expect(typeof res.body.code).toBe('string');
    }
    const unchanged = ok<{ days: unknown[] }>(await admin.get(`/api/terms/${termId}`));
    expect(unchanged.days).toHaveLength(5);
  });

  it('venues: create, edit, refuse bad input, refuse deleting one in use', async () => {
    const v = ok<{ id: string; kind: string }>(
      await admin.post('/api/venues', { campusId, name: '科学教室', kind: 'function', capacity: 40 }),
    );
    expect(ok<{ capacity: number }>(await admin.patch(`/api/venues/${v.id}`, { capacity: 42 })).capacity).toBe(42);
    expect((await admin.post('/api/venues', { campusId, name: '科学教室', kind: 'function', capacity: 40 })).status).toBe(409);
    expect((await admin.post('/api/venues', { campusId, name: 'y', kind: 'pool', capacity: 40 })).status).toBe(400);
    expect((await admin.post('/api/venues', { campusId, name: 'y', capacity: 0 })).status).toBe(400);
    expect((await admin.post('/api/venues', { campusId: '00000000-0000-4000-8000-000000000000', name: 'y', capacity: 5 })).status).toBe(
      404,
    );
    const plan = ok<{ id: string }[]>(await admin.get('/api/plans'))[0];
    const full = ok<{ offerings: { venueId: string }[] }>(await admin.get(`/api/plans/${plan.id}`));
    const inUse = full.offerings[0].venueId;
    expect((await admin.delete(`/api/venues/${inUse}`)).body.code).toBe('VENUE_IN_USE');
    ok(await admin.delete(`/api/venues/${v.id}`));
    expect((await admin.delete(`/api/venues/${v.id}`)).status).toBe(404);
  });

  it('one plan per term; a new plan starts with the seed’s slot times or copies an earlier plan', async () => {
    const demo = ok<{ id: string; term: { name: string } }[]>(await admin.get('/api/plans'))[0];
    const p = ok<{
      id: string;
      slots: { slot: string; season: string; gradeBand: string; endTime: string }[];
      offerings: unknown[];
      status: string;
    }>(await admin.post('/api/plans', { termId, copyFromPlanId: demo.id }));
    expect(p.status).toBe('draft');
    expect(p.offerings.length).toBe(9);
    expect(p.slots.find((s) => s.slot === 'afternoon' && s.season === 'summer' && s.gradeBand === 'high')?.endTime).toBe('18:00');
    expect((await admin.post('/api/plans', { termId })).body.code).toBe('PLAN_EXISTS');
    expect((await admin.delete(`/api/terms/${termId}`)).body.code).toBe('TERM_HAS_PLAN');
  });

  it('refuses bad plan input with 400, never 500', async () => {
    const plan = ok<{ id: string }[]>(await admin.get('/api/plans')).find((p) => p.id)!;
    const offering = {
      kind: 'club',
      category: 'sport',
      name: '篮球',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [1],
      capacity: 20,
    };
    const bad: [string, string, unknown][] = [
      ['POST', 'offerings', { ...offering, gradeMin: 7 }],
      ['POST', 'offerings', { ...offering, gradeMin: 5, gradeMax: 3 }],
      ['POST', 'offerings', { ...offering, weekdays: [6] }],
      ['POST', 'offerings', { ...offering, weekdays: [] }],
      ['POST', 'offerings', { ...offering, weekdays: [1, 1] }],
      ['POST', 'offerings', { ...offering, feeFen: -1 }],
      ['POST', 'offerings', { ...offering, feeMode: 'free', feeFen: 100 }],
      ['POST', 'offerings', { ...offering, feeMode: 'per_term', feeFen: 0 }],
      ['POST', 'offerings', { ...offering, feeFen: 1.5 }],
      ['POST', 'offerings', { ...offering, allocation: 'fcfs' }],
      ['POST', 'offerings', { ...offering, category: 'olympiad' }],
      ['POST', 'offerings', { ...offering, name: 'x\u0000y' }],
      ['PUT', 'slots', { slots: [{ slot: 'afternoon', season: 'summer', startTime: '18:00', endTime: '16:00' }] }],
      ['PUT', 'slots', { slots: [{ slot: 'afternoon', season: 'summer', startTime: '25:00', endTime: '26:00' }] }],
      [
        'PUT',
        'slots',
        {
          slots: [
            { slot: 'afternoon', season: 'summer', startTime: '15:00', endTime: '17:00' },
            { slot: 'afternoon', season: 'summer', startTime: '15:00', endTime: '18:00' },
          ],
        },
      ],
      ['PATCH', '', {}],
      ['PATCH', '', { settings: { latestEnd: '6pm' } }],
      ['PATCH', '', { settings: { maxGroupSize: 500 } }],
      ['PATCH', '', { settings: { unknown: 1 } }],
    ];
    const before = ok<{ version: number }>(await admin.get(`/api/plans/${plan.id}`)).version;
    for (const [method, tail, body] of bad) {
      const url = `/api/plans/${plan.id}${tail ? `/${tail}` : ''}`;
      const res = method === 'PUT' ? await put(admin, url, body) : await admin.send(method, url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(400);
    }
    expect(ok<{ version: number }>(await admin.get(`/api/plans/${plan.id}`)).version).toBe(before);
    expect((await admin.get(`/api/plans/${plan.id}/versions/abc`)).status).toBe(400);
    expect((await request(env.app, 'GET', '/api/public/plans/hc_sy!')).status).toBe(400);
  });

  describe('the demo', () => {
    it("school 1's plan was returned once, then filed and published, with its seats open", async () => {
      const plans = ok<{ id: string; status: string; version: number; term: { name: string } }[]>(await admin.get('/api/plans'));
      const demo = plans.find((p) => p.term.name === '2026—2027学年第一学期')!;
      expect(demo).toMatchObject({ status: 'published', version: 2 });
      const history = ok<{ version: number; status: string; reviewComment: string }[]>(await admin.get(`/api/plans/${demo.id}/versions`));
      expect(history.map((v) => v.status)).toEqual(['published', 'returned']);
      const seats = await rows<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM offering_seats s JOIN offerings o ON o.school_id = s.school_id AND o.id = s.offering_id WHERE o.plan_id = ${demo.id}`,
      );
      expect(seats[0].n).toBeGreaterThan(20);
      const pub = await request(env.app, 'GET', '/api/public/plans/HC-SY');
      expect(pub.body).toMatchObject({ version: 2, snapshot: { term: { name: '2026—2027学年第一学期' } } });
      expect(pub.body.snapshot.offerings.map((o: { name: string }) => o.name)).toEqual(
        expect.arrayContaining(['校园足球', '乒乓球', '舞蹈', '毛笔书法', '趣味编程', '非遗剪纸']),
      );
      const days = pub.body.calendar.exceptions.map((d: { day: string; kind: string }) => `${d.day} ${d.kind}`);
      expect(days).toEqual(expect.arrayContaining(['2026-10-01 holiday', '2026-10-07 holiday', '2026-10-10 makeup']));
    });

    it("school 2's plan waits in the district's filing queue", async () => {
      const district = await login(env.app, 'district');
      const queue = ok<{ status: string; school: { code: string } }[]>(await district.get('/api/district/plans?status=submitted'));
      expect(queue.map((p) => p.school.code)).toEqual(['HC-DE']);
    });
  });
});
