/** HTTP tests of applying: agreements (R1), the window, the published plan, weekdays (R2), grade bands, ownership. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acceptNotice, type Client, createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';
import { clientOf, count, demoChild, schoolIdOf } from './test-helpers';
import { guardianSessions, type PublishedFixture, publishPlan } from './test-fixtures';

describeEachDb('enrolment: agreements and applications', (kind) => {
  let env: TestEnv;
  let parent: Client;
  let s1: string;
  let s2: string;
  let child: Awaited<ReturnType<typeof demoChild>>;
  let plan: PublishedFixture;
  let foreign: PublishedFixture;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    const db = env.database.db;
    s1 = await schoolIdOf(db, 'HC-SY');
    s2 = await schoolIdOf(db, 'HC-DE');
    child = await demoChild(db, s1);
    plan = await publishPlan(db, s1, {
      offerings: [
        { name: '作业辅导', kind: 'care', category: 'homework', allocation: 'approval', weekdays: [1, 2, 3, 4, 5], capacity: 40 },
        { name: '足球', allocation: 'fcfs', weekdays: [2, 4], capacity: 2, gradeMin: 1, gradeMax: 6 },
        { name: '编程', allocation: 'lottery', weekdays: [3], capacity: 10, gradeMin: 3, gradeMax: 6 },
      ],
    });
    foreign = await publishPlan(db, s2, { offerings: [{ name: '外校书法', allocation: 'approval', weekdays: [1] }] });
    parent = await login(env.app, '13900000001');
    await acceptNotice(parent);
  });
  afterAll(() => env?.close());

  const body = (over: Record<string, unknown> = {}) => ({
    termId: plan.termId,
    studentId: child.id,
    choices: [
      { offeringId: plan.offerings[0].id, weekday: 1 },
      { offeringId: plan.offerings[0].id, weekday: 3 },
    ],
    lunch: true,
    ...over,
  });

  it('the page shows the published offerings with seats, and both agreements unsigned', async () => {
    const res = await parent.get(`/api/family/apply/${child.id}?termId=${plan.termId}`);
    expect(res.status).toBe(200);
    expect(res.body.term.window).toBe('open');
    expect(res.body.offerings.map((o: { name: string }) => o.name)).toEqual(['作业辅导', '足球', '编程']);
    expect(res.body.offerings[1].seats).toEqual([
      { weekday: 2, capacity: 2, taken: 0, left: 2, waitlisted: 0 },
      { weekday: 4, capacity: 2, taken: 0, left: 2, waitlisted: 0 },
    ]);
    expect(res.body.offerings[2].eligible).toBe(child.grade >= 3);
    expect(res.body.agreements.map((a: { kind: string; signedAt: null }) => [a.kind, a.signedAt])).toEqual([
      ['service', null],
      ['safety', null],
    ]);
  });

  it('R1: no application before both agreements are signed', async () => {
    const res = await parent.post('/api/family/applications', body());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('AGREEMENT_REQUIRED');
    expect(await count(env.database.db, sql`SELECT count(*) AS n FROM applications WHERE term_id = ${plan.termId}`)).toBe(0);
  });

  it('signing keeps the account, time, IP and the SHA-256 of the text signed', async () => {
    const page = await parent.get(`/api/family/apply/${child.id}?termId=${plan.termId}`);
    const ids = page.body.agreements.map((a: { id: string }) => a.id);
    const res = await parent.post('/api/family/agreements/sign', { termId: plan.termId, studentId: child.id, textIds: [ids[0]] });
    expect(res.status).toBe(200);
    // one of two is not enough
    expect((await parent.post('/api/family/applications', body())).body.code).toBe('AGREEMENT_REQUIRED');
    await parent.post('/api/family/agreements/sign', { termId: plan.termId, studentId: child.id, textIds: ids });
    const sigs = await env.database.db.execute(
      sql`SELECT s.account_id, s.ip, s.text_hash, t.sha256, s.signed_at FROM agreement_signatures s JOIN agreement_texts t ON t.school_id = s.school_id AND t.id = s.text_id
           WHERE s.term_id = ${plan.termId} AND s.student_id = ${child.id}`,
    );
    const rows = (sigs as unknown as { rows: { account_id: string; ip: string; text_hash: string; sha256: string }[] }).rows;
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.account_id).toBe(child.account_id);
      expect(r.text_hash).toBe(r.sha256);
      expect(r.text_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.ip).not.toBe('');
    }
    const again = await parent.get(`/api/family/apply/${child.id}?termId=${plan.termId}`);
    expect(again.body.agreements.every((a: { signedAt: string | null }) => a.signedAt)).toBe(true);
  });

  it('bad choices are refused with their own codes, and nothing is written', async () => {
    const db = env.database.db;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ choices: [{ offeringId: plan.offerings[1].id, weekday: 1 }] }, 400, 'WEEKDAY_NOT_OFFERED'],
      [{ choices: [{ offeringId: foreign.offerings[0].id, weekday: 1 }] }, 404, 'NOT_FOUND'],
      [
        {
          choices: [
            { offeringId: plan.offerings[0].id, weekday: 1 },
            { offeringId: plan.offerings[0].id, weekday: 1 },
          ],
        },
        400,
        'DUPLICATE_CHOICE',
      ],
      [{ goHomeAlone: true }, 400, 'GO_HOME_ALONE_NOT_ALLOWED'],
      [{ priorityCategory: 'single_parent', priorityNote: '' }, 400, 'PRIORITY_NOTE_REQUIRED'],
      [{ termId: foreign.termId }, 404, 'NOT_FOUND'],
    ];
    if (child.grade < 3) cases.push([{ choices: [{ offeringId: plan.offerings[2].id, weekday: 3 }] }, 400, 'GRADE_NOT_ELIGIBLE']);
    for (const [over, status, code] of cases) {
      const res = await parent.post('/api/family/applications', body(over));
      expect([res.status, res.body.code], JSON.stringify(over)).toEqual([status, code]);
    }
    expect(await count(db, sql`SELECT count(*) AS n FROM applications WHERE term_id = ${plan.termId}`)).toBe(0);
  });

  it('another guardian’s child answers 404', async () => {
    const [other] = (
      (await env.database.db.execute(
        sql`SELECT id FROM students WHERE school_id = ${s1} AND id <> ${child.id} ORDER BY student_no LIMIT 1`,
      )) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    const res = await parent.post('/api/family/applications', body({ studentId: other.id }));
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await parent.get(`/api/family/apply/${other.id}`)).status).toBe(404);
  });

  it('R2 + R14 + P2: any weekdays per slot, lunch and a priority with a note; a second application is refused', async () => {
    const res = await parent.post(
      '/api/family/applications',
      body({ priorityCategory: 'pickup_hardship', priorityNote: '父母均在工厂倒班，18:00 前无法接送' }),
    );
    expect(res.status).toBe(200);
    expect(res.body.application).toMatchObject({
      status: 'submitted',
      lunch: true,
      priorityCategory: 'pickup_hardship',
      priorityLabel: '家长无法按时接送',
    });
    expect(res.body.application.choices).toHaveLength(2);
    const dup = await parent.post('/api/family/applications', body());
    expect([dup.status, dup.body.code]).toEqual([409, 'DUPLICATE_APPLICATION']);
    expect(dup.body.details.id).toBe(res.body.application.id);
    const audit = await count(
      env.database.db,
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'application.submit' AND entity_id = ${res.body.application.id}`,
    );
    expect(audit).toBe(1);
  });

  it('the guardian changes the choices inside the window; fcfs choices take a seat at once', async () => {
    const page = await parent.get(`/api/family/apply/${child.id}?termId=${plan.termId}`);
    const id = page.body.application.id;
    const res = await parent.patch(`/api/family/applications/${id}`, {
      choices: [
        { offeringId: plan.offerings[0].id, weekday: 1 },
        { offeringId: plan.offerings[0].id, weekday: 2 },
        { offeringId: plan.offerings[0].id, weekday: 5 },
        { offeringId: plan.offerings[1].id, weekday: 2 },
      ],
      lunch: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.application.choices.map((c: { weekday: number }) => c.weekday).sort()).toEqual([1, 2, 2, 5]);
    expect(res.body.seats).toMatchObject([{ status: 'enrolled', weekday: 2, offeringId: plan.offerings[1].id }]);
  });

  it('after the window the guardian can neither change nor withdraw; the office can', async () => {
    const db = env.database.db;
    await db.execute(sql`UPDATE terms SET apply_closes_at = ${new Date(Date.now() - HOUR)} WHERE id = ${plan.termId}`);
    const page = await parent.get(`/api/family/apply/${child.id}?termId=${plan.termId}`);
    expect(page.body.term.window).toBe('closed');
    const id = page.body.application.id;
    const patch = await parent.patch(`/api/family/applications/${id}`, { choices: [], lunch: false });
    expect([patch.status, patch.body.code]).toEqual([409, 'WINDOW_CLOSED']);
    const wd = await parent.post(`/api/family/applications/${id}/withdraw`);
    expect([wd.status, wd.body.code]).toEqual([409, 'WINDOW_CLOSED']);
    const office = await login(env.app, 'admin');
    const edit = await office.patch(`/api/applications/${id}`, {
      choices: [{ offeringId: plan.offerings[0].id, weekday: 1 }],
      lunch: true,
    });
    expect(edit.status).toBe(200);
    // the dropped fcfs choice gave its seat back
    const [seat] = (
      (await db.execute(sql`SELECT taken FROM offering_seats WHERE offering_id = ${plan.offerings[1].id} AND weekday = 2`)) as unknown as {
        rows: { taken: number }[];
      }
    ).rows;
    expect(Number(seat.taken)).toBe(0);
    const w = await office.post(`/api/applications/${id}/withdraw`);
    expect(w.body.status).toBe('withdrawn');
    const notes = await parent.get('/api/notifications');
    expect(notes.body.unread).toBeGreaterThanOrEqual(2);
    await db.execute(sql`UPDATE terms SET apply_closes_at = ${new Date(Date.now() + 24 * HOUR)} WHERE id = ${plan.termId}`);
  });

  it('window not yet open, or plan not published: refused', async () => {
    const db = env.database.db;
    const later = await publishPlan(db, s1, { offerings: [{ name: '晚开', weekdays: [1] }], applyOpensAt: new Date(Date.now() + HOUR) });
    const draft = await publishPlan(db, s1, { offerings: [{ name: '草稿', weekdays: [1] }], publish: false });
    for (const [p, code] of [
      [later, 'WINDOW_CLOSED'],
      [draft, 'PLAN_NOT_PUBLISHED'],
    ] as const) {
      const res = await parent.post('/api/family/applications', {
        termId: p.termId,
        studentId: child.id,
        choices: [{ offeringId: p.offerings[0].id, weekday: 1 }],
      });
      expect([res.status, res.body.code]).toEqual([409, code]);
    }
    // an offering of this school that is not in the published version
    const res = await parent.post('/api/family/applications', body({ choices: [{ offeringId: draft.offerings[0].id, weekday: 1 }] }));
    expect([res.status, res.body.code]).toEqual([409, 'OFFERING_NOT_PUBLISHED']);
  });

  it('a guardian who has not accepted the data notice gets CONSENT_REQUIRED', async () => {
    const db = env.database.db;
    await db.execute(sql`DELETE FROM consents WHERE account_id = ${child.account_id} AND school_id = ${s1}`);
    const res = await parent.get(`/api/family/apply/${child.id}`);
    expect([res.status, res.body.code]).toEqual([403, 'CONSENT_REQUIRED']);
    await acceptNotice(parent);
  });
  it('the homeroom teacher reviews their own class: approve with a comment, once; the guardian is told', async () => {
    const db = env.database.db;
    const p2 = await publishPlan(db, s1, {
      offerings: [{ name: '午托', kind: 'care', slot: 'noon', allocation: 'approval', weekdays: [1, 2], capacity: 30 }],
    });
    // a pupil of the class whose homeroom teacher is the demo login 'homeroom'
    const [pupil] = (
      (await db.execute(sql`SELECT s.id FROM students s JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
                             JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id
                             JOIN accounts a ON a.id = st.account_id
                            WHERE a.username = 'homeroom' AND s.active ORDER BY s.student_no LIMIT 1`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    const [session] = await guardianSessions(db, s1, [pupil.id]);
    const family = clientOf(env.app, session);
    const page = await family.get(`/api/family/apply/${pupil.id}?termId=${p2.termId}`);
    await family.post('/api/family/agreements/sign', {
      termId: p2.termId,
      studentId: pupil.id,
      textIds: page.body.agreements.map((a: { id: string }) => a.id),
    });
    const sub = await family.post('/api/family/applications', {
      termId: p2.termId,
      studentId: pupil.id,
      choices: [
        { offeringId: p2.offerings[0].id, weekday: 1 },
        { offeringId: p2.offerings[0].id, weekday: 2 },
      ],
    });
    expect(sub.status).toBe(200);
    const homeroom = await login(env.app, 'homeroom');
    const list = await homeroom.get(`/api/applications?termId=${p2.termId}&status=submitted`);
    expect(list.body.items.map((a: { studentId: string }) => a.studentId)).toEqual([pupil.id]);
    expect(list.body.items[0].choiceSummary).toContain('午托 周一二');
    const before = (await family.get('/api/notifications')).body.unread;
    const ok = await homeroom.post('/api/applications/review', {
      ids: [sub.body.application.id],
      decision: 'approve',
      comment: '同意参加',
    });
    expect(ok.body.reviewed).toBe(1);
    const again = await homeroom.post(`/api/applications/${sub.body.application.id}/review`, { decision: 'reject' });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_REVIEWED']);
    const mine = await family.get(`/api/family/apply/${pupil.id}?termId=${p2.termId}`);
    expect(mine.body.application).toMatchObject({ status: 'approved', reviewComment: '同意参加' });
    expect(mine.body.enrollments.map((e: { status: string; weekday: number }) => [e.weekday, e.status])).toEqual([
      [1, 'enrolled'],
      [2, 'enrolled'],
    ]);
    expect((await family.get('/api/notifications')).body.unread).toBe(before + 1);
    // another class's application is not theirs: 404
    const other = await homeroom.post(
      `/api/applications/${((await db.execute(sql`SELECT id FROM applications WHERE student_id = ${child.id} AND term_id = ${plan.termId}`)) as unknown as { rows: { id: string }[] }).rows[0].id}/review`,
      { decision: 'approve' },
    );
    expect(other.status === 404 || other.status === 409).toBe(true);
  });
});
