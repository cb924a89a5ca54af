/** Subsidies and district funding over HTTP: rates within the range, statements from check-ins, approval and payment in the ledger, .xlsx, R10 caps, allocations. */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { todayInChina } from '../enrollment/published';
import { closeTerm } from '../ledger';

describeEachDb('subsidies and district funding', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  let district: Client;
  let schoolId: string;
  let school2: string;
  let termId: string;
  const month = todayInChina().slice(0, 7);
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, admin2, teacher, district] = await Promise.all(['admin', 'admin2', 'teacher', 'district'].map((l) => login(env.app, l)));
    const [t] = await rows<{ school_id: string; term_id: string }>(sql`SELECT school_id, term_id FROM care_groups LIMIT 1`);
    ({ school_id: schoolId, term_id: termId } = t);
    const [s2] = await rows<{ id: string }>(sql`SELECT id FROM schools WHERE id <> ${schoolId} LIMIT 1`);
    school2 = s2.id;
  }, 120_000);
  afterAll(() => env?.close());

  it('the demo: rates, funding for both schools (one remote), last month’s statements with one approved', async () => {
    const f = await district.get('/api/district/funding');
    expect(f.body.find((s: { id: string }) => s.id === school2)).toMatchObject({ remote: true, ratePerPupilFen: 58_000 });
    const [x] = await rows<{ approved: number; pending: number }>(
      sql`SELECT count(*) FILTER (WHERE status = 'approved')::int AS approved, count(*) FILTER (WHERE status = 'pending')::int AS pending
            FROM subsidy_statements WHERE school_id = ${schoolId}`,
    );
    expect(x.approved).toBe(1);
    expect(x.pending).toBeGreaterThan(0);
  });

  it('requires authentication; teachers, guardians and the district are refused the school’s subsidies', async () => {
    expect((await request(env.app, 'GET', '/api/subsidies/rates')).status).toBe(401);
    expect((await request(env.app, 'GET', '/api/district/funding')).status).toBe(401);
    expect((await teacher.get('/api/subsidies/rates')).status).toBe(403);
    expect((await district.get('/api/subsidies/rates')).status).toBe(403);
    expect((await admin.get('/api/district/funding')).status).toBe(403);
    expect((await teacher.send('PUT', '/api/subsidies/rates', { role: 'care', rateFen: 5000 })).status).toBe(403);
  });

  it('a rate outside the district’s range, or with fractions of a fen, is refused', async () => {
    const low = await admin.send('PUT', '/api/subsidies/rates', { role: 'care', unit: 'hour', rateFen: 2_999 });
    expect(low.status).toBe(422);
    expect(low.body.code).toBe('RATE_OUT_OF_RANGE');
    expect((await admin.send('PUT', '/api/subsidies/rates', { role: 'care', unit: 'hour', rateFen: 5000.5 })).status).toBe(400);
    expect((await admin.send('PUT', '/api/subsidies/rates', { role: 'care', unit: 'session', rateFen: 5000 })).status).toBe(400);
    // the district narrows the range; the school's rate must follow it
    const ranges = {
      care: { minFen: 5_000, maxFen: 6_000 },
      duty: { minFen: 4_000, maxFen: 6_000 },
      external: { minFen: 5_000, maxFen: 20_000 },
    };
    expect(
      (await district.send('PUT', `/api/district/schools/${schoolId}/funding`, { ratePerPupilFen: 40_000, rateRanges: ranges })).status,
    ).toBe(200);
    expect((await admin.send('PUT', '/api/subsidies/rates', { role: 'care', unit: 'hour', rateFen: 7_000 })).status).toBe(422);
    const ok = await admin.send('PUT', '/api/subsidies/rates', { role: 'care', unit: 'hour', rateFen: 6_000 });
    expect(ok.status).toBe(200);
    expect(ok.body.rates.care).toEqual({ rateFen: 6_000, unit: 'hour' });
    expect((await admin.send('PUT', '/api/subsidies/rates', { role: 'duty', unit: 'hour', rateFen: 5_000 })).status).toBe(200);
    expect((await admin2.get('/api/subsidies/rates')).body.rates.care).toBeUndefined();
  });

  let mine: {
    id: string;
    amountFen: number;
    confirmedMinutes: number;
    unconfirmedSessions: number;
    lines: { role: string; minutes: number; amountFen: number }[];
  };
  it('statements: hours from the rota, paid only where the teacher checked in; unconfirmed sessions are listed', async () => {
    // a rota teacher with a login checks in to their group on a school day of this month
    const [slot] = await rows<{ id: string; staff_id: string; account_id: string; day: string }>(
      sql`SELECT g.id, g.teacher_staff_id AS staff_id, s.account_id, d::date::text AS day
            FROM care_groups g JOIN staff s ON s.school_id = g.school_id AND s.id = g.teacher_staff_id AND s.account_id IS NOT NULL,
                 generate_series(${`${month}-01`}::date, ${todayInChina()}::date, interval '1 day') d
           WHERE g.school_id = ${schoolId} AND g.term_id = ${termId} AND extract(isodow FROM d) = g.weekday
             AND NOT EXISTS (SELECT 1 FROM term_days x WHERE x.school_id = g.school_id AND x.term_id = g.term_id AND x.day = d::date)
           ORDER BY d DESC, g.key LIMIT 1`,
    );
    await env.database.db.execute(
      sql`INSERT INTO teacher_checkins (school_id, day, group_id, account_id) VALUES (${schoolId}, ${slot.day}::date, ${slot.id}, ${slot.account_id}) ON CONFLICT DO NOTHING`,
    );
    const gen = await admin.post('/api/subsidies/statements', { termId, month });
    expect(gen.status).toBe(200);
    mine = gen.body.find((r: { staffId: string }) => r.staffId === slot.staff_id);
    expect(mine.confirmedMinutes).toBeGreaterThan(0);
    const care = mine.lines.find((l) => l.role === 'care');
    expect(care?.amountFen).toBe(Math.round(((care?.minutes ?? 0) * 6_000) / 60));
    // somebody on the rota never checked in: nothing paid for those sessions, and they are shown
    expect(gen.body.some((r: { unconfirmedSessions: number }) => r.unconfirmedSessions > 0)).toBe(true);
    const list = await admin.get(`/api/subsidies/statements?termId=${termId}&month=${month}`);
    expect(list.body).toHaveLength(gen.body.length);
  });

  it('approval posts expense.teacher_subsidy / payable.staff; payment clears payable.staff; each once', async () => {
    expect((await admin2.post(`/api/subsidies/statements/${mine.id}/approve`)).status).toBe(404);
    expect((await admin.post(`/api/subsidies/statements/${mine.id}/pay`)).status).toBe(409);
    const ok = await admin.post(`/api/subsidies/statements/${mine.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect((await admin.post(`/api/subsidies/statements/${mine.id}/approve`)).status).toBe(409);
    // regenerating keeps the approved statement as it was
    const regen = await admin.post('/api/subsidies/statements', { termId, month });
    expect(regen.body.find((r: { id: string }) => r.id === mine.id)?.status).toBe('approved');
    expect((await admin.post(`/api/subsidies/statements/${mine.id}/pay`)).status).toBe(200);
    const ledger = await rows<{ account: string; total: string }>(
      sql`SELECT account, SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${schoolId} AND source_id = ${mine.id} GROUP BY account ORDER BY account`,
    );
    expect(Object.fromEntries(ledger.map((l) => [l.account, Number(l.total)]))).toEqual({
      'cash.offline': -mine.amountFen,
      'expense.teacher_subsidy': mine.amountFen,
      'payable.staff': 0,
    });
  });

  it('exports the month to .xlsx with a total row', async () => {
    const res = await admin.get(`/api/subsidies/statements.xlsx?termId=${termId}&month=${month}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const list = await admin.get(`/api/subsidies/statements?termId=${termId}&month=${month}`);
    expect(ws.rowCount).toBe(list.body.length + 2);
    const total = list.body.reduce((n: number, r: { amountFen: number }) => n + r.amountFen, 0);
    expect(Math.round(Number(ws.getRow(ws.rowCount).getCell(7).value) * 100)).toBe(total);
    expect((await admin.get(`/api/subsidies/statements.xlsx?termId=${termId}&month=2026-1`)).status).toBe(400);
  });

  it('R10: the district’s rate per pupil is capped at 500 yuan, 600 for a remote school', async () => {
    const over = await district.send('PUT', `/api/district/schools/${school2}/funding`, { ratePerPupilFen: 50_001, remote: false });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('OVER_CAP');
    expect((await district.send('PUT', `/api/district/schools/${school2}/funding`, { ratePerPupilFen: 600.5, remote: true })).status).toBe(
      400,
    );
    const remote = await district.send('PUT', `/api/district/schools/${school2}/funding`, { ratePerPupilFen: 60_000, remote: true });
    expect(remote.status).toBe(200);
    expect(remote.body).toMatchObject({ remote: true, capFen: 60_000, ratePerPupilFen: 60_000 });
    expect((await district.send('PUT', `/api/district/schools/${school2}/funding`, { ratePerPupilFen: 60_001 })).status).toBe(422);
    expect((await district.send('PUT', `/api/district/schools/${crypto.randomUUID()}/funding`, { ratePerPupilFen: 1 })).status).toBe(404);
    const list = await district.get('/api/district/funding');
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(2);
    const s1 = list.body.find((s: { id: string }) => s.id === schoolId);
    expect(s1.pupils).toBeGreaterThan(0);
    expect(s1.budgetFen).toBe(40_000 * s1.pupils);
    const [spent] = await rows<{ total: string }>(
      sql`SELECT SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${schoolId} AND term_id = ${termId} AND account LIKE 'expense.%'`,
    );
    expect(s1.spentFen).toBe(Number(spent.total));
    expect(s1.spentFen).toBeGreaterThanOrEqual(mine.amountFen);
  });

  it('allocating a term posts income.district_subsidy in the school’s ledger, once; a closed term refuses', async () => {
    const res = await district.post(`/api/district/schools/${schoolId}/allocations`, { termId });
    expect(res.status).toBe(200);
    expect(res.body.allocatedFen).toBe(Math.floor((40_000 * res.body.pupils) / 2));
    const [sum] = await rows<{ total: string }>(
      sql`SELECT SUM(amount_fen)::text AS total FROM ledger_entries WHERE school_id = ${schoolId} AND term_id = ${termId} AND account = 'receivable.district'`,
    );
    expect(Number(sum.total)).toBe(res.body.allocatedFen);
    expect((await district.post(`/api/district/schools/${schoolId}/allocations`, { termId })).status).toBe(409);
    expect((await district.post(`/api/district/schools/${school2}/allocations`, { termId })).status).toBe(422);
    // close the term: approvals and allocations are refused with nothing written
    const [pending] = await rows<{ id: string }>(
      sql`SELECT id FROM subsidy_statements WHERE school_id = ${schoolId} AND status = 'pending' AND amount_fen > 0 LIMIT 1`,
    );
    await env.database.db.transaction((tx) => closeTerm(tx, { schoolId, termId, closedBy: null }));
    if (pending) {
      const r = await admin.post(`/api/subsidies/statements/${pending.id}/approve`);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('TERM_CLOSED');
    }
    const [t2] = await rows<{ id: string }>(sql`SELECT id FROM terms WHERE school_id = ${school2} LIMIT 1`);
    if (t2) {
      await env.database.db.transaction((tx) => closeTerm(tx, { schoolId: school2, termId: t2.id, closedBy: null }));
      const r = await district.post(`/api/district/schools/${school2}/allocations`, { termId: t2.id });
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('TERM_CLOSED');
    }
  });
});
