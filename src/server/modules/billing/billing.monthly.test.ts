/** Issue 5 over HTTP, a school billing per month (L1: nothing for a later term; N13: the published fee). */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';

describeEachDb('billing per month over HTTP', (kind) => {
  let env: TestEnv;
  let admin2: Client;
  let district: Client;
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  const run = async (termId: string) => {
    const start = await admin2.post(`/api/billing/terms/${termId}/runs`);
    expect(start.status).toBe(202);
    for (let i = 0; i < 200; i++) {
      const r = await admin2.get(`/api/billing/runs/${start.body.id}`);
      if (r.body.status !== 'running') return r.body;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('run did not finish');
  };

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin2, district] = await Promise.all(['admin2', 'district'].map((l) => login(env.app, l)));
  }, 120_000);
  afterAll(() => env?.close());

  it('one bill per pupil and month, each the published monthly fee; a re-run issues nothing; the books balance', async () => {
    // the second demo school's plan (submitted in the demo, care at 130 yuan a month) is filed and published
    const [plan] = await rows<{ id: string; school_id: string; term_id: string; version: number }>(
      sql`SELECT p.id, p.school_id, p.term_id, (SELECT max(v.version) FROM plan_versions v WHERE v.school_id = p.school_id AND v.plan_id = p.id)::int AS version
            FROM plans p JOIN schools s ON s.id = p.school_id WHERE s.name = '环翠区第二实验小学' AND p.status = 'submitted'`,
    );
    expect((await district.post(`/api/district/plans/${plan.id}/versions/${plan.version}/file`, {})).status).toBeLessThan(300);
    expect((await admin2.post(`/api/plans/${plan.id}/publish`)).status).toBeLessThan(300);
    const [care] = await rows<{ id: string; grade_min: number; grade_max: number; weekdays: number[]; fee_fen: number }>(
      sql`SELECT id, grade_min, grade_max, weekdays, fee_fen FROM offerings WHERE school_id = ${plan.school_id} AND plan_id = ${plan.id} AND fee_mode = 'per_month'`,
    );
    expect(care.fee_fen).toBe(13_000);
    // three pupils hold places on every weekday the care runs (set up directly: seats are tested elsewhere)
    const pupils = await rows<{ id: string }>(
      sql`SELECT id FROM students WHERE school_id = ${plan.school_id} AND grade BETWEEN ${care.grade_min} AND ${care.grade_max} ORDER BY id LIMIT 3`,
    );
    for (const p of pupils)
      for (const wd of care.weekdays)
        await env.database.db.execute(
          sql`INSERT INTO enrollments (school_id, id, term_id, student_id, offering_id, weekday, status, queue_key, source)
              VALUES (${plan.school_id}, gen_random_uuid(), ${plan.term_id}, ${p.id}, ${care.id}, ${wd}, 'enrolled', 0, 'office')`,
        );

    const mode = await admin2.send('PUT', '/api/billing/settings', { mode: 'month', refundPreset: 'none', dueDays: 10 });
    expect(mode.status).toBe(200);
    expect(mode.body.mode).toBe('month');
    const done = await run(plan.term_id);
    expect(done).toMatchObject({ status: 'done', error: null });

    const bills = await rows<{ student_id: string; period_key: string; total_fen: string }>(
      sql`SELECT student_id, period_key, total_fen::text FROM invoices WHERE school_id = ${plan.school_id} AND term_id = ${plan.term_id} AND status = 'issued'`,
    );
    expect(bills.length).toBeGreaterThan(0);
    for (const p of pupils) {
      const mine = bills.filter((b) => b.student_id === p.id);
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((b) => b.period_key)).size).toBe(mine.length);
      for (const b of mine) {
        expect(b.period_key).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
        expect(Number(b.total_fen)).toBe(13_000);
      }
      // what the family owes is read from the ledger and equals the bills
      const [owed] = await rows<{ fen: string }>(
        sql`SELECT COALESCE(SUM(amount_fen), 0)::text AS fen FROM ledger_entries WHERE school_id = ${plan.school_id} AND term_id = ${plan.term_id}
              AND student_id = ${p.id} AND account = 'receivable.guardian'`,
      );
      expect(Number(owed.fen)).toBe(13_000 * mine.length);
    }
    const again = await run(plan.term_id);
    expect(again.documents).toBe(0);
    const [sum] = await rows<{ fen: string | null }>(
      sql`SELECT SUM(amount_fen)::text AS fen FROM ledger_entries WHERE school_id = ${plan.school_id} AND term_id = ${plan.term_id}`,
    );
    expect(Number(sum.fen ?? 0)).toBe(0);
    // with bills issued, the school cannot switch back to per term in the middle of it
    expect((await admin2.send('PUT', '/api/billing/settings', { mode: 'term', refundPreset: 'none', dueDays: 10 })).status).toBe(409);
  });
});
