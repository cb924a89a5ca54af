/**
 * The term's accounts over HTTP: the preview reads the ledger by category (lunch apart), other
 * spending is posted against cash, publishing makes versions, and the public page (no login) shows
 * the latest with its history; another school's term answers 404.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { type DemoIds, demoIds } from '../../test/route-samples';
import { postTransaction, termImbalance } from '../ledger';
import { billPupil, termOf } from '../payments/testkit';
import { perPupil } from './report';

describe('per-pupil cost', () => {
  it('rounds half up to the fen and is 0 without pupils', () => {
    expect(perPupil(1000, 3)).toBe(333);
    expect(perPupil(1001, 2)).toBe(501);
    expect(perPupil(500, 0)).toBe(0);
  });
});

describeEachDb('term accounts', (kind) => {
  let env: TestEnv;
  let db: Db;
  let ids: DemoIds;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  let term: string;
  let code: string;
  let code2: string;
  let base: {
    report: {
      spending: { account: string; amountFen: number }[];
      spendingTotalFen: number;
      income: { account: string; amountFen: number }[];
      collectedFen: number;
      outstandingFen: number;
      balanceFen: number;
    };
    versions: unknown[];
  };
  const amountOf = (lines: { account: string; amountFen: number }[], account: string) =>
    lines.find((l) => l.account === account)?.amountFen ?? 0;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    ids = await demoIds(db);
    [admin, admin2, teacher] = await Promise.all(['admin', 'admin2', 'teacher'].map((l) => login(env.app, l)));
    term = await termOf(db, ids.s1.school);
    [{ code }] = await queryRows<{ code: string }>(db, sql`SELECT code FROM schools WHERE id = ${ids.s1.school}`);
    [{ code: code2 }] = await queryRows<{ code: string }>(db, sql`SELECT code FROM schools WHERE id = ${ids.s2.school}`);
    // what the demo district already holds for the term (the money demos); the test adds to it
    base = (await admin.get(`/api/accounts/terms/${term}`)).body;
    await billPupil(db, { schoolId: ids.s1.school, termId: term, studentId: ids.s1.pupil, amountFen: 36_000 });
    // a teacher's subsidy and a month of lunch, as the lunch helper posts them
    await db.transaction(async (tx) => {
      await postTransaction(tx, {
        schoolId: ids.s1.school,
        termId: term,
        kind: 'subsidy',
        sourceType: 'test',
        lines: [
          { account: 'expense.teacher_subsidy', amountFen: 12_000 },
          { account: 'payable.staff', amountFen: -12_000 },
        ],
      });
      await postTransaction(tx, {
        schoolId: ids.s1.school,
        termId: term,
        kind: 'lunch',
        sourceType: 'test',
        lines: [
          { account: 'receivable.lunch', amountFen: 30_000, studentId: ids.s1.pupil },
          { account: 'payable.caterer', amountFen: -30_000 },
        ],
      });
    });
  }, 120_000);
  afterAll(() => env?.close());

  it('requires authentication and the accounts permission; another school’s term is 404', async () => {
    expect((await request(env.app, 'GET', `/api/accounts/terms/${term}`)).status).toBe(401);
    expect((await teacher.get(`/api/accounts/terms/${term}`)).status).toBe(403);
    expect((await teacher.post(`/api/accounts/terms/${term}/publish`, {})).status).toBe(403);
    expect((await admin2.get(`/api/accounts/terms/${term}`)).status).toBe(404);
    expect((await admin2.post(`/api/accounts/terms/${term}/publish`, {})).status).toBe(404);
  });

  it('previews income and spending by category, lunch apart, and records other spending against cash', async () => {
    const bad = await admin.post(`/api/accounts/terms/${term}/expenses`, {
      account: 'expense.materials',
      amountFen: 10.5,
      description: '美术耗材',
      spentOn: '2026-10-08',
    });
    expect(bad.status).toBe(400);
    const spent = await admin.post(`/api/accounts/terms/${term}/expenses`, {
      account: 'expense.materials',
      amountFen: 8_800,
      description: '美术与手工耗材',
      spentOn: '2026-10-08',
    });
    expect(spent.status).toBe(201);
    const paid = await admin.post('/api/payments', { studentId: ids.s1.pupil, termId: term, method: 'cash', amountFen: 10_000 });
    expect(paid.status).toBe(201);
    const res = await admin.get(`/api/accounts/terms/${term}`);
    expect(res.status).toBe(200);
    const r = res.body.report;
    const b = base.report;
    expect(amountOf(r.income, 'income.service_fee') - amountOf(b.income, 'income.service_fee')).toBe(36_000);
    expect(amountOf(r.spending, 'expense.materials') - amountOf(b.spending, 'expense.materials')).toBe(8_800);
    expect(amountOf(r.spending, 'expense.teacher_subsidy') - amountOf(b.spending, 'expense.teacher_subsidy')).toBe(12_000);
    expect(r.spendingTotalFen - b.spendingTotalFen).toBe(20_800);
    expect(r.balanceFen - b.balanceFen).toBe(36_000 - 20_800);
    expect(r.lunch.owedToCatererFen).toBeGreaterThanOrEqual(30_000);
    expect(r.imbalanceFen).toBe(0);
    // collected is what families paid, not the cash balance that spending also moves
    expect(r.collectedFen - b.collectedFen).toBe(10_000);
    expect(r.outstandingFen - b.outstandingFen).toBe(26_000);
    expect(r.pupils).toBeGreaterThan(0);
    expect(r.perPupilCostFen).toBe(perPupil(r.spendingTotalFen, r.pupils));
    expect(res.body.expenses.some((e: { description: string }) => e.description === '美术与手工耗材')).toBe(true);
    expect(await termImbalance(db, ids.s1.school, term)).toBe(0);
  });

  it('publishes versions; the public page shows the latest and the history, without login', async () => {
    expect((await request(env.app, 'GET', `/api/public/accounts/${code2}`)).status).toBe(404);
    const n = base.versions.length;
    const v1 = await admin.post(`/api/accounts/terms/${term}/publish`, { note: '期中公示' });
    expect(v1.status).toBe(201);
    expect(v1.body.version.version).toBe(n + 1);
    await admin.post(`/api/accounts/terms/${term}/expenses`, {
      account: 'expense.other',
      amountFen: 1_200,
      description: '打印费',
      spentOn: '2026-10-09',
    });
    const v2 = await admin.post(`/api/accounts/terms/${term}/publish`, { note: '期末公示' });
    expect(v2.body.version.version).toBe(n + 2);
    const pub = await request(env.app, 'GET', `/api/public/accounts/${code.toLowerCase()}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ version: n + 2, note: '期末公示', school: { code } });
    expect(pub.body.report.spendingTotalFen - base.report.spendingTotalFen).toBe(22_000);
    expect(pub.body.history.map((h: { version: number }) => h.version).slice(0, 2)).toEqual([n + 2, n + 1]);
    const old = await request(env.app, 'GET', `/api/public/accounts/${code}?termId=${term}&version=${n + 1}`);
    expect(old.body.report.spendingTotalFen - base.report.spendingTotalFen).toBe(20_800);
    // nothing about a pupil in the public snapshot
    expect(JSON.stringify(pub.body)).not.toContain(ids.s1.pupil);
    expect((await request(env.app, 'GET', '/api/public/accounts/NO-SUCH')).status).toBe(404);
  });
});
