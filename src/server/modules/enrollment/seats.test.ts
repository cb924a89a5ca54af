/** HTTP tests of allocation: fcfs with idempotency, the waitlist and promotion, expiry, review, lottery, ranked choice. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Client, createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';
import { queryRows } from '../../db/client';
import { weightedOrder } from './allocation';
import { clientOf, count, schoolIdOf, seatCounterDrift } from './test-helpers';
import {
  type GuardianSession,
  guardianSessions,
  insertApplication,
  type PublishedFixture,
  publishPlan,
  pupils,
  signAgreements,
} from './test-fixtures';
import { expireOffers } from './waitlist';

describeEachDb('enrolment: seats, waitlist, review, lottery', (kind) => {
  let env: TestEnv;
  let s1: string;
  let plan: PublishedFixture;
  let fam: (GuardianSession & { c: Client; appId: string })[];
  const HOUR = 3_600_000;
  const football = () => plan.offerings[0];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    const db = env.database.db;
    s1 = await schoolIdOf(db, 'HC-SY');
    plan = await publishPlan(db, s1, {
      offerings: [
        { name: '足球', allocation: 'fcfs', weekdays: [2, 4], capacity: 2, gradeMin: 3 },
        { name: '作业辅导', kind: 'care', allocation: 'approval', weekdays: [1, 2, 3, 4, 5], capacity: 3, gradeMin: 3 },
        { name: '编程', allocation: 'lottery', weekdays: [3], capacity: 3, gradeMin: 3 },
        { name: '舞蹈', allocation: 'ranked', weekdays: [5], capacity: 1, gradeMin: 3 },
        { name: '书法', allocation: 'ranked', weekdays: [5], capacity: 1, gradeMin: 3 },
        { name: '晚开', allocation: 'fcfs', weekdays: [1], capacity: 5, gradeMin: 3, opensAt: new Date(Date.now() + HOUR).toISOString() },
      ],
    });
    const kids = await pupils(db, s1, { grades: [3], limit: 10 });
    const sessions = await guardianSessions(
      db,
      s1,
      kids.map((k) => k.id),
    );
    fam = [];
    for (const [i, s] of sessions.entries()) {
      await signAgreements(db, s1, plan.termId, s.studentId, s.accountId);
      const appId = await insertApplication(db, s1, plan.termId, s.studentId, s.accountId, 'submitted', i === 9 ? 'migrant' : null);
      fam.push({ ...s, c: clientOf(env.app, s), appId });
    }
  });
  afterAll(() => env?.close());

  /** the pupil's places in the football club of this test's plan (the demo gives them others) */
  const places = async (f: (typeof fam)[number]) =>
    (await f.c.get(`/api/family/enrollments?studentId=${f.studentId}`)).body.filter(
      (e: { offeringId: string }) => e.offeringId === football().id,
    );
  const seat = (f: (typeof fam)[number], offeringId: string, weekdays: number[], key?: string) =>
    f.c.send('POST', '/api/family/seats', { studentId: f.studentId, offeringId, weekdays }, key ? { 'idempotency-key': key } : {});

  it('fcfs: enrolled at once while seats last, then waitlisted with the position; a retry takes no second seat', async () => {
    const db = env.database.db;
    const a = await seat(fam[0], football().id, [2], 'k-0');
    expect(a.status).toBe(200);
    expect(a.body.results[0]).toMatchObject({ status: 'enrolled', created: true, weekday: 2 });
    const retry = await seat(fam[0], football().id, [2], 'k-0');
    expect(retry.body.results[0]).toMatchObject({ id: a.body.results[0].id, status: 'enrolled', created: false });
    const again = await seat(fam[0], football().id, [2], 'another-key');
    expect(again.body.results[0]).toMatchObject({ id: a.body.results[0].id, created: false });
    await seat(fam[1], football().id, [2], 'k-1');
    const w1 = await seat(fam[2], football().id, [2], 'k-2');
    const w2 = await seat(fam[3], football().id, [2], 'k-3');
    expect(w1.body.results[0]).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(w2.body.results[0]).toMatchObject({ status: 'waitlisted', position: 2 });
    expect(await count(db, sql`SELECT taken AS n FROM offering_seats WHERE offering_id = ${football().id} AND weekday = 2`)).toBe(2);
    const mine = await places(fam[3]);
    expect(mine).toMatchObject([{ offeringName: '足球', weekday: 2, status: 'waitlisted', position: 2 }]);
    // the same key for another pupil's request is refused
    const reuse = await fam[0].c.send(
      'POST',
      '/api/family/seats',
      { studentId: fam[0].studentId, offeringId: football().id, weekdays: [4] },
      { 'idempotency-key': 'k-0' },
    );
    expect(reuse.body.results[0].status).toBe('enrolled'); // key k-0:4 is new for weekday 4
    expect(await seatCounterDrift(db, s1)).toEqual([]);
  });

  it('fcfs refusals: not open yet, not fcfs, weekday, no application, another school', async () => {
    const late = plan.offerings[5];
    expect((await seat(fam[0], late.id, [1])).body.code).toBe('NOT_OPEN_YET');
    expect((await seat(fam[0], plan.offerings[1].id, [1])).body.code).toBe('NOT_FCFS');
    expect((await seat(fam[0], football().id, [1])).body.code).toBe('WEEKDAY_NOT_OFFERED');
    const s2 = await schoolIdOf(env.database.db, 'HC-DE');
    const other = await publishPlan(env.database.db, s2, { offerings: [{ name: '外校', allocation: 'fcfs', weekdays: [2] }] });
    expect((await seat(fam[0], other.offerings[0].id, [2])).status).toBe(404);
    await env.database.db.execute(sql`UPDATE applications SET status = 'withdrawn' WHERE id = ${fam[8].appId}`);
    expect((await seat(fam[8], football().id, [4])).body.code).toBe('APPLICATION_REQUIRED');
    await env.database.db.execute(sql`UPDATE applications SET status = 'submitted' WHERE id = ${fam[8].appId}`);
  });

  it('a freed seat goes to the first waitlisted as an offer with a deadline, and the guardian is told', async () => {
    const db = env.database.db;
    const [e0] = (await places(fam[0])).filter((e: { weekday: number }) => e.weekday === 2);
    const wd = await fam[0].c.post(`/api/family/enrollments/${e0.id}/withdraw`);
    expect(wd.body.status).toBe('withdrawn');
    const [offered] = await places(fam[2]);
    expect(offered.status).toBe('offered');
    const hours = (new Date(offered.offerExpiresAt).getTime() - Date.now()) / HOUR;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThan(48.1);
    const [next] = await places(fam[3]);
    expect(next.position).toBe(1);
    const inbox = await fam[2].c.get('/api/notifications');
    const offer = inbox.body.items.find((n: { title: string }) => n.title.includes('候补递补'));
    expect(offer).toBeTruthy();
    expect(offer.readAt).toBeNull();
    const read = await fam[2].c.post(`/api/notifications/${offer.id}/read`);
    expect(read.status).toBe(200);
    expect((await fam[2].c.get('/api/notifications')).body.unread).toBe(inbox.body.unread - 1);
    // another account cannot mark it
    expect((await fam[3].c.post(`/api/notifications/${offer.id}/read`)).status).toBe(404);
    const ok = await fam[2].c.post(`/api/family/enrollments/${offered.id}/confirm`);
    expect(ok.body).toMatchObject({ status: 'enrolled' });
    expect(ok.body.effectiveFrom).toBeTruthy();
    expect(await seatCounterDrift(db, s1)).toEqual([]);
  });

  it('an offer not confirmed in time passes to the next; with nobody left the seat is counted free', async () => {
    const db = env.database.db;
    const [e1] = await places(fam[1]);
    await fam[1].c.post(`/api/family/enrollments/${e1.id}/withdraw`);
    const [o3] = await places(fam[3]);
    expect(o3.status).toBe('offered');
    expect(await expireOffers(db, new Date(Date.now() + 47 * HOUR))).toBe(0);
    expect(await expireOffers(db, new Date(Date.now() + 49 * HOUR))).toBe(1);
    const [gone] = await places(fam[3]);
    expect(gone.status).toBe('withdrawn');
    expect((await fam[3].c.post(`/api/family/enrollments/${o3.id}/confirm`)).body.code).toBe('NOT_OFFERED');
    expect(await count(db, sql`SELECT taken AS n FROM offering_seats WHERE offering_id = ${football().id} AND weekday = 2`)).toBe(1);
    // asking again after giving up: back in line (a free seat: enrolled)
    const back = await seat(fam[1], football().id, [2], 'k-1-again');
    expect(back.body.results[0].status).toBe('enrolled');
    expect(await seatCounterDrift(db, s1)).toEqual([]);
  });

  it('review: the homeroom teacher sees only their class; bulk approve gives approval seats, full ones wait; the office overrides', async () => {
    const db = env.database.db;
    for (const f of fam.slice(0, 5)) {
      await db.execute(
        sql`INSERT INTO application_choices (school_id, application_id, offering_id, weekday) VALUES (${s1}, ${f.appId}, ${plan.offerings[1].id}, 1)`,
      );
    }
    const homeroom = await login(env.app, 'homeroom');
    const list = await homeroom.get(`/api/applications?termId=${plan.termId}`);
    expect(list.status).toBe(200);
    expect(list.body.items.every((a: { studentId: string }) => !fam.some((f) => f.studentId === a.studentId))).toBe(true); // grade 3 is not their class
    expect((await homeroom.post(`/api/applications/${fam[0].appId}/review`, { decision: 'approve' })).status).toBe(404);
    const office = await login(env.app, 'admin');
    const all = await office.get(`/api/applications?termId=${plan.termId}&pageSize=100`);
    expect(all.body.total).toBe(10);
    expect(all.body.items[0].agreementsSigned).toBe(true);
    const bulk = await office.post('/api/applications/review', {
      ids: fam.slice(0, 5).map((f) => f.appId),
      decision: 'approve',
      comment: '同意',
    });
    expect(bulk.body.reviewed).toBe(5);
    const counts = await queryRows<{ status: string; n: number }>(
      db,
      sql`SELECT status, count(*)::int AS n FROM enrollments WHERE offering_id = ${plan.offerings[1].id} AND weekday = 1 GROUP BY status ORDER BY status`,
    );
    expect(counts).toEqual([
      { status: 'enrolled', n: 3 },
      { status: 'waitlisted', n: 2 },
    ]);
    const inbox = await fam[4].c.get('/api/notifications');
    expect(inbox.body.items.some((n: { title: string }) => n.title.includes('申请已通过'))).toBe(true);
    // the office rejects one approved: its places end, the seat goes to the first waiting
    const enrolledOne = await queryRows<{ student_id: string }>(
      db,
      sql`SELECT student_id FROM enrollments WHERE offering_id = ${plan.offerings[1].id} AND status = 'enrolled' ORDER BY queue_key LIMIT 1`,
    );
    const f = fam.find((x) => x.studentId === enrolledOne[0].student_id)!;
    const rej = await office.post(`/api/applications/${f.appId}/review`, { decision: 'reject', comment: '名额调整' });
    expect(rej.body.status).toBe('rejected');
    expect(
      await count(db, sql`SELECT count(*) AS n FROM enrollments WHERE offering_id = ${plan.offerings[1].id} AND status = 'offered'`),
    ).toBe(1);
    expect(await seatCounterDrift(db, s1)).toEqual([]);
  });

  it('lottery: weighted by priority, reproducible from the recorded seed, never past capacity', async () => {
    const db = env.database.db;
    for (const f of fam) {
      await db.execute(
        sql`INSERT INTO application_choices (school_id, application_id, offering_id, weekday) VALUES (${s1}, ${f.appId}, ${plan.offerings[2].id}, 3)`,
      );
    }
    const office = await login(env.app, 'admin');
    const run = await office.post('/api/enrollment/lottery', { offeringId: plan.offerings[2].id, seed: 'seed-2026' });
    expect(run.status).toBe(200);
    expect(run.body.seed).toBe('seed-2026');
    expect(run.body.weights.migrant).toBe(3);
    // 10 entrants minus the rejected one
    const live = await queryRows<{ student_id: string; category: string | null }>(
      db,
      sql`SELECT student_id, priority_category AS category FROM applications WHERE term_id = ${plan.termId} AND status IN ('submitted', 'approved')`,
    );
    const expected = weightedOrder(
      live.map((r) => ({ id: r.student_id, weight: r.category ? 3 : 1 })),
      'seed-2026',
    ).map((d) => d.id);
    expect(run.body.result.order.map((o: { studentId: string }) => o.studentId)).toEqual(expected);
    expect(run.body.result.weekdays['3'].enrolled).toEqual(expected.slice(0, 3));
    expect(
      await count(db, sql`SELECT count(*) AS n FROM enrollments WHERE offering_id = ${plan.offerings[2].id} AND status = 'enrolled'`),
    ).toBe(3);
    const runs = await office.get(`/api/enrollment/lottery-runs?offeringId=${plan.offerings[2].id}`);
    expect(runs.body[0].id).toBe(run.body.id);
    expect(await count(db, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'lottery.run' AND entity_id = ${run.body.id}`)).toBe(1);
    const overview = await office.get(`/api/enrollment/overview?termId=${plan.termId}`);
    const prog = overview.body.offerings.find((o: { name: string }) => o.name === '编程');
    expect(prog.weekdays[0]).toMatchObject({ weekday: 3, capacity: 3, taken: 3, enrolled: 3, waitlisted: live.length - 3 });
  });

  it('ranked choice: serial dictatorship, one ranked club a day, the rest wait', async () => {
    const db = env.database.db;
    const [dance, calli] = [plan.offerings[3], plan.offerings[4]];
    for (const f of fam.slice(5, 8)) {
      await db.execute(sql`INSERT INTO application_choices (school_id, application_id, offering_id, weekday, rank) VALUES
                            (${s1}, ${f.appId}, ${dance.id}, 5, 1), (${s1}, ${f.appId}, ${calli.id}, 5, 2)`);
    }
    const office = await login(env.app, 'admin');
    const res = await office.post('/api/enrollment/ranked', { termId: plan.termId, seed: 'r-1' });
    expect(res.status).toBe(200);
    const first = res.body.order[0].studentId;
    const rows = await queryRows<{ student_id: string; offering_id: string; status: string }>(
      db,
      sql`SELECT student_id, offering_id, status FROM enrollments WHERE offering_id IN (${dance.id}, ${calli.id})`,
    );
    expect(rows.find((r) => r.student_id === first && r.status === 'enrolled')?.offering_id).toBe(dance.id);
    expect(rows.filter((r) => r.status === 'enrolled')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(2); // the third pupil waits on both
  });

  it('office: direct enrolment (R1 still applies), withdrawal, export; the pupil’s enrolment is readable', async () => {
    const office = await login(env.app, 'admin');
    const res = await office.post('/api/enrollment/enrollments', {
      termId: plan.termId,
      studentId: fam[9].studentId,
      offeringId: football().id,
      weekday: 4,
    });
    expect(res.status).toBe(200);
    expect(['enrolled', 'waitlisted']).toContain(res.body.status);
    const stranger = (await pupils(env.database.db, s1, { grades: [3], limit: 20 })).find((p) => !fam.some((f) => f.studentId === p.id))!;
    const r1 = await office.post('/api/enrollment/enrollments', {
      termId: plan.termId,
      studentId: stranger.id,
      offeringId: football().id,
      weekday: 4,
    });
    expect([r1.status, r1.body.code]).toEqual([409, 'APPLICATION_REQUIRED']);
    const places = await office.get(`/api/students/${fam[9].studentId}/enrollments`);
    expect(places.body.some((p: { offeringName: string }) => p.offeringName === '足球')).toBe(true);
    const out = await office.post(`/api/enrollment/enrollments/${res.body.id}/withdraw`, { reason: '家长电话申请退出' });
    expect(out.body.status).toBe('withdrawn');
    const xlsx = await office.get(`/api/enrollment/export?termId=${plan.termId}`);
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    expect(await seatCounterDrift(env.database.db, s1)).toEqual([]);
  });
});
