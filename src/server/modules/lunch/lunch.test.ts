/** Lunch over HTTP: contract, menu, monthly statements in the ledger, the family's and committee's views, 陪餐, closed terms. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { acceptNotice, type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { closeTerm } from '../ledger';
import { todayInChina } from '../enrollment/published';
import { previousMonth } from './demo';

describeEachDb('lunch', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  let parent: Client;
  let schoolId: string;
  let termId: string;
  let childId: string;
  let guardianId: string;
  // the demo posts the current month; the tests post the month before
  const month = previousMonth(todayInChina());
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, admin2, teacher, parent] = await Promise.all(['admin', 'admin2', 'teacher', '13900000001'].map((l) => login(env.app, l)));
    await acceptNotice(parent);
    const [t] = await rows<{ school_id: string; term_id: string; student_id: string; guardian_id: string }>(
      sql`SELECT a.school_id, a.term_id, a.student_id, g.id AS guardian_id FROM applications a
            JOIN student_guardians l ON l.school_id = a.school_id AND l.student_id = a.student_id
            JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id
            JOIN accounts ac ON ac.id = g.account_id WHERE ac.phone = '13900000001' AND a.status = 'approved' LIMIT 1`,
    );
    ({ school_id: schoolId, term_id: termId, student_id: childId, guardian_id: guardianId } = t);
    // the demo child eats the school lunch this term (the guardian's choice on the application)
    await env.database.db.execute(sql`UPDATE applications SET lunch = true WHERE school_id = ${schoolId} AND student_id = ${childId}`);
    // and the places were in effect from the term's start (the demo's places start today)
    await env.database.db.execute(
      sql`UPDATE enrollments SET effective_from = NULL WHERE school_id = ${schoolId} AND student_id = ${childId}`,
    );
  }, 120_000);
  afterAll(() => env?.close());

  it('the demo: a caterer, this week’s menu, last month’s statement in the ledger, 陪餐 entries', async () => {
    const list = await admin.get('/api/lunch/statements');
    expect(list.body.length).toBeGreaterThan(0);
    const [st] = list.body;
    expect(st.amountFen).toBe(st.meals * st.priceFen);
    const menu = await parent.get('/api/family/lunch/menu');
    expect(menu.body.days).toHaveLength(5);
    const [n] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM lunch_accompaniments WHERE school_id = ${schoolId}`);
    expect(n.n).toBeGreaterThan(0);
  });

  it('requires authentication; teachers and guardians are refused the office pages', async () => {
    expect((await request(env.app, 'GET', '/api/lunch/contracts')).status).toBe(401);
    expect((await teacher.get('/api/lunch/contracts')).status).toBe(403);
    expect((await parent.get('/api/lunch/statements')).status).toBe(403);
    expect((await teacher.post('/api/lunch/contracts', {})).status).toBe(403);
  });

  it('contract: whole fen and sane dates, or 400', async () => {
    const base = {
      catererName: '威海鲜厨餐饮有限公司',
      licenceNo: 'JY23710020012345',
      validFrom: '2026-09-01',
      validTo: '2027-01-31',
      fileRef: '合同 2026-08 号',
    };
    const frac = await admin.post('/api/lunch/contracts', { ...base, priceFen: 1250.5 });
    expect(frac.status).toBe(400);
    expect(frac.body.code).toBeTruthy();
    expect((await admin.post('/api/lunch/contracts', { ...base, priceFen: 1250, validTo: '2026-08-01' })).status).toBe(400);
    const ok = await admin.post('/api/lunch/contracts', { ...base, priceFen: 1250 });
    expect(ok.status).toBe(200);
    const list = await admin.get('/api/lunch/contracts');
    expect(list.body.map((c: { licenceNo: string }) => c.licenceNo)).toContain('JY23710020012345');
    expect((await admin2.get('/api/lunch/contracts')).body.map((c: { licenceNo: string }) => c.licenceNo)).not.toContain(
      'JY23710020012345',
    );
  });

  it('menu: weeks start on Monday; guardians see the published week', async () => {
    const today = todayInChina();
    const d = new Date(`${today}T00:00:00Z`);
    const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    const tuesday = new Date(Date.parse(`${monday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const days = [
      { weekday: 1, dishes: ['番茄炒蛋', '红烧鸡腿', '紫菜汤'] },
      { weekday: 2, dishes: ['土豆牛肉', '清炒西兰花'] },
    ];
    expect((await admin.send('PUT', `/api/lunch/menus/${tuesday}`, { days, published: true })).status).toBe(422);
    expect((await admin.send('PUT', `/api/lunch/menus/${monday}`, { days: [{ weekday: 1, dishes: [] }] })).status).toBe(400);
    const put = await admin.send('PUT', `/api/lunch/menus/${monday}`, { days, published: true });
    expect(put.status).toBe(200);
    const seen = await parent.get('/api/family/lunch/menu');
    expect(seen.status).toBe(200);
    expect(seen.body.weekStart).toBe(monday);
    expect(seen.body.days[0].dishes).toContain('红烧鸡腿');
    expect(seen.body.caterer.priceFen).toBe(1250);
  });

  let statementId: string;
  it('the month’s statement: meals × price per pupil, posted as receivable.lunch / payable.caterer, once', async () => {
    const preview = await admin.get(`/api/lunch/preview?termId=${termId}&month=${month}`);
    expect(preview.status).toBe(200);
    expect(preview.body.meals).toBeGreaterThan(0);
    const post = await admin.post('/api/lunch/statements', { termId, month });
    expect(post.status).toBe(200);
    statementId = post.body.id;
    expect(post.body).toMatchObject({ meals: preview.body.meals, amountFen: preview.body.meals * 1250, pupils: preview.body.pupils });
    const ledger = await rows<{ account: string; total: string }>(
      sql`SELECT account, SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${schoolId} AND source_id = ${statementId} GROUP BY account`,
    );
    expect(Object.fromEntries(ledger.map((l) => [l.account, Number(l.total)]))).toEqual({
      'receivable.lunch': post.body.amountFen,
      'payable.caterer': -post.body.amountFen,
    });
    const detail = await admin.get(`/api/lunch/statements/${statementId}`);
    expect(detail.body.lines.reduce((n: number, l: { amountFen: number }) => n + l.amountFen, 0)).toBe(post.body.amountFen);
    expect(detail.body.lines.every((l: { meals: number; amountFen: number }) => l.amountFen === l.meals * 1250)).toBe(true);
    const again = await admin.post('/api/lunch/statements', { termId, month });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('STATEMENT_EXISTS');
    expect((await admin.post('/api/lunch/statements', { termId, month: '2026-13' })).status).toBe(400);
    expect((await admin.post('/api/lunch/statements', { termId, month: '2031-01' })).status).toBe(422);
  });

  it('another school’s ids answer 404', async () => {
    expect((await admin2.get(`/api/lunch/statements/${statementId}`)).status).toBe(404);
    expect((await admin2.post(`/api/lunch/statements/${statementId}/pay`)).status).toBe(404);
    expect((await admin2.post('/api/lunch/statements', { termId, month })).status).toBe(404);
    expect((await admin2.post('/api/lunch/committee', { guardianId })).status).toBe(404);
  });

  it('the guardian sees the child’s lunch bill; another child is not theirs', async () => {
    const mine = await parent.get(`/api/family/lunch/children/${childId}`);
    expect(mine.status).toBe(200);
    const bill = mine.body.statements.find((x: { month: string }) => x.month === month);
    expect(bill).toMatchObject({ month, priceFen: 1250 });
    expect(bill.amountFen).toBe(bill.meals * 1250);
    const [other] = await rows<{ id: string }>(sql`SELECT id FROM students WHERE school_id = ${schoolId} AND id <> ${childId} LIMIT 1`);
    expect((await parent.get(`/api/family/lunch/children/${other.id}`)).status).toBe(404);
  });

  it('the office records a family’s lunch payment: that pupil’s lunch receivable is cleared, the guardian sees it; twice is refused', async () => {
    const detail = await admin.get(`/api/lunch/statements/${statementId}`);
    type Line = { studentId: string; amountFen: number; dueFen: number };
    const line: Line = detail.body.lines.find((l: Line) => l.studentId === childId) ?? detail.body.lines[0];
    expect(line.dueFen).toBe(line.amountFen);
    const url = `/api/lunch/statements/${statementId}/payments`;
    expect((await admin.post(url, { studentId: line.studentId, method: 'cheque' })).status).toBe(400);
    expect((await admin2.post(url, { studentId: line.studentId, method: 'cash' })).status).toBe(404);
    const [stranger] = await rows<{ id: string }>(
      sql`SELECT s.id FROM students s WHERE s.school_id = ${schoolId}
           AND NOT EXISTS (SELECT 1 FROM lunch_statement_lines x WHERE x.school_id = s.school_id AND x.statement_id = ${statementId} AND x.student_id = s.id) LIMIT 1`,
    );
    expect((await admin.post(url, { studentId: stranger.id, method: 'cash' })).status).toBe(404);
    const paid = await admin.post(url, { studentId: line.studentId, method: 'transfer', note: '微信转账' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ paidFen: line.amountFen, dueFen: 0 });
    const ledger = await rows<{ account: string; total: string }>(
      sql`SELECT account, SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${schoolId} AND source_id = ${statementId}
           AND kind = 'lunch_payment' GROUP BY account`,
    );
    expect(Object.fromEntries(ledger.map((l) => [l.account, Number(l.total)]))).toEqual({
      'cash.offline': line.amountFen,
      'receivable.lunch': -line.amountFen,
    });
    const again = await admin.post(url, { studentId: line.studentId, method: 'cash' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_PAID');
    const after = await admin.get(`/api/lunch/statements/${statementId}`);
    expect(after.body.lines.find((l: Line) => l.studentId === line.studentId).dueFen).toBe(0);
    if (line.studentId === childId) {
      const mine = await parent.get(`/api/family/lunch/children/${childId}`);
      expect(mine.body.statements.find((x: { month: string }) => x.month === month).dueFen).toBe(0);
    }
  });

  it('parent committee: only members read the aggregate lunch accounts, with no pupil in them', async () => {
    // the demo puts the demo parent on the committee: take them off first
    expect((await admin.delete(`/api/lunch/committee/${guardianId}`)).status).toBe(200);
    const before = await parent.get('/api/family/lunch/committee');
    expect(before.status).toBe(403);
    expect(before.body.code).toBe('NOT_COMMITTEE');
    expect((await admin.post('/api/lunch/committee', { guardianId })).status).toBe(200);
    const after = await parent.get('/api/family/lunch/committee');
    expect(after.status).toBe(200);
    expect(after.body.statements.find((x: { month: string }) => x.month === month)).toMatchObject({ catererName: '威海鲜厨餐饮有限公司' });
    expect(JSON.stringify(after.body)).not.toContain(childId);
    expect((await admin.delete(`/api/lunch/committee/${guardianId}`)).status).toBe(200);
    expect((await parent.get('/api/family/lunch/committee')).status).toBe(403);
  });

  it('N21: 陪餐 log with a rating of 1–5, once per leader and day', async () => {
    const [leader] = await rows<{ id: string }>(sql`SELECT id FROM staff WHERE school_id = ${schoolId} ORDER BY name LIMIT 1`);
    const entry = { day: todayInChina(), staffId: leader.id, notes: '饭菜温度合适，分量足', rating: 5 };
    expect((await admin.post('/api/lunch/accompaniments', { ...entry, rating: 6 })).status).toBe(400);
    expect((await admin.post('/api/lunch/accompaniments', entry)).status).toBe(200);
    expect((await admin.post('/api/lunch/accompaniments', entry)).status).toBe(409);
    const list = await admin.get(`/api/lunch/accompaniments?month=${todayInChina().slice(0, 7)}`);
    expect(list.body[0]).toMatchObject({ rating: 5, notes: '饭菜温度合适，分量足' });
    const [audited] = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE school_id = ${schoolId} AND action = 'lunch.accompany'`,
    );
    expect(audited.n).toBe(1);
  });

  it('a closed term is read-only: paying the caterer is refused, nothing is written', async () => {
    await env.database.db.transaction((tx) => closeTerm(tx, { schoolId, termId, closedBy: null }));
    const res = await admin.post(`/api/lunch/statements/${statementId}/pay`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('TERM_CLOSED');
    const [st] = await rows<{ paid_at: string | null }>(sql`SELECT paid_at FROM lunch_statements WHERE id = ${statementId}`);
    expect(st.paid_at).toBeNull();
  });
});
