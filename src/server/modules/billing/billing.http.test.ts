/** Issue 5 over HTTP: fee standards, invoicing runs, waivers, hardship, no-service days, reconciliation and term close. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { newId } from '../../lib/ids';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { postTransaction } from '../ledger';

describeEachDb('billing over HTTP', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let homeroom: Client;
  let district: Client;
  let termId: string;
  let schoolId: string;
  /** a pupil enrolled in the paid care offering (per term, 300 yuan in the demo plan) */
  let pupil: string;
  let careOfferingId: string;
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);

  const run = async (c: Client, t = termId) => {
    const start = await c.post(`/api/billing/terms/${t}/runs`);
    if (start.status !== 202) return start;
    for (let i = 0; i < 200; i++) {
      const r = await c.get(`/api/billing/runs/${start.body.id}`);
      if (r.body.status !== 'running') return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('run did not finish');
  };
  const statement = (id = pupil) => admin.get(`/api/billing/terms/${termId}/students/${id}`);

  beforeAll(async () => {
    env = await createTestEnv(kind);
    [admin, admin2, homeroom, district] = await Promise.all(['admin', 'admin2', 'homeroom', 'district'].map((l) => login(env.app, l)));
    const [row] = await rows<{ school_id: string; term_id: string; offering_id: string; student_id: string }>(
      sql`SELECT e.school_id, e.term_id, e.offering_id, e.student_id FROM enrollments e
            JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id
            JOIN schools s ON s.id = e.school_id
           WHERE e.status = 'enrolled' AND o.fee_mode = 'per_term' AND o.fee_fen > 0 AND s.name = '环翠区实验小学'
             AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.student_id = e.student_id)
             AND NOT EXISTS (SELECT 1 FROM hardship_registrations h WHERE h.student_id = e.student_id)
             -- a pupil the other demos left alone (no payment, refund or leave)
             AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.student_id = e.student_id AND l.kind NOT IN ('invoice'))
             AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.student_id = e.student_id AND a.status = 'leave')
           ORDER BY e.student_id LIMIT 1`,
    );
    ({ school_id: schoolId, term_id: termId, offering_id: careOfferingId, student_id: pupil } = row);
  }, 120_000);
  afterAll(() => env?.close());

  it('requires authentication', async () => {
    expect((await request(env.app, 'GET', `/api/billing/terms/${termId}/fees`)).status).toBe(401);
    expect((await request(env.app, 'POST', `/api/billing/terms/${termId}/runs`)).status).toBe(401);
  });

  it('denies roles without billing permissions, and another school’s ids answer 404', async () => {
    expect((await homeroom.get(`/api/billing/terms/${termId}/fees`)).status).toBe(403);
    expect((await homeroom.post(`/api/billing/terms/${termId}/runs`)).status).toBe(403);
    expect((await homeroom.post(`/api/billing/terms/${termId}/close`, { confirm: true })).status).toBe(403);
    expect((await district.post('/api/district/providers', { name: 'x' })).status).toBe(400);
    expect((await admin.post('/api/district/providers', { name: '某机构' })).status).toBe(403);
    expect((await admin2.get(`/api/billing/terms/${termId}/fees`)).status).toBe(404);
    expect((await admin2.post(`/api/billing/terms/${termId}/runs`)).status).toBe(404);
    expect((await admin2.get(`/api/billing/terms/${termId}/reconciliation`)).status).toBe(404);
  });

  it('fee standards come from the published plan; a fee changed in the draft does not bill (N13)', async () => {
    const fees = await admin.get(`/api/billing/terms/${termId}/fees`);
    expect(fees.status).toBe(200);
    expect(fees.body.plan.version).toBeGreaterThan(0);
    const care = fees.body.fees.find((f: { offeringId: string }) => f.offeringId === careOfferingId);
    expect(care).toMatchObject({ feeMode: 'per_term', feeFen: 30_000, lineKind: 'service' });
    await env.database.db.execute(sql`UPDATE offerings SET fee_fen = 99999 WHERE school_id = ${schoolId} AND id = ${careOfferingId}`);
    const again = await admin.get(`/api/billing/terms/${termId}/fees`);
    expect(again.body.fees.find((f: { offeringId: string }) => f.offeringId === careOfferingId).feeFen).toBe(30_000);
  });

  it('refuses a later term, a term without a published plan, bad settings — nothing written', async () => {
    const future = newId();
    const past = newId();
    await env.database.db.execute(
      sql`INSERT INTO terms (school_id, id, name, starts_on, ends_on) VALUES
            (${schoolId}, ${future}, '2099学年第一学期', '2099-09-01', '2100-01-20'),
            (${schoolId}, ${past}, '2025学年第二学期', '2026-02-20', '2026-07-05')`,
    );
    const f = await admin.post(`/api/billing/terms/${future}/runs`);
    expect(f.status).toBe(422);
    expect(f.body).toMatchObject({ code: 'FUTURE_TERM', message: expect.any(String) });
    const p = await admin.post(`/api/billing/terms/${past}/runs`);
    expect(p.status).toBe(422);
    expect(p.body.code).toBe('FEE_NOT_PUBLISHED');
    const [n] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM billing_runs WHERE term_id IN (${future}, ${past})`);
    expect(n.n).toBe(0);
    expect((await admin.send('PUT', '/api/billing/settings', { mode: 'weekly', refundPreset: 'by_day', dueDays: 7 })).status).toBe(400);
    expect((await admin.send('PUT', '/api/billing/settings', { mode: 'term', refundPreset: 'by_day', dueDays: 7.5 })).status).toBe(400);
    const ok = await admin.send('PUT', '/api/billing/settings', { mode: 'term', refundPreset: 'by_day', dueDays: 10 });
    expect(ok.body).toEqual({ mode: 'term', refundPreset: 'by_day', dueDays: 10 });
  });

  it('generates the term’s invoices with progress; a re-run issues nothing; the books balance', async () => {
    const r = await run(admin);
    expect(r.body).toMatchObject({ status: 'done', error: null });
    expect(r.body.done).toBe(r.body.total);
    expect(r.body.total).toBeGreaterThan(0);
    const s = await statement();
    expect(s.status).toBe(200);
    expect(s.body.totals).toMatchObject({ chargedFen: 30_000, waivedFen: 0, creditedFen: 0, dueFen: 30_000 });
    expect(s.body.invoices[0]).toMatchObject({ docType: 'invoice', periodKey: 'term', totalFen: 30_000 });
    const again = await run(admin);
    expect(again.body.documents).toBe(0);
    const switched = await admin.send('PUT', '/api/billing/settings', { mode: 'month', refundPreset: 'by_day', dueDays: 10 });
    expect(switched.status).toBe(409);
    expect(switched.body.code).toBe('BILLING_MODE_LOCKED');
    const rec = await admin.get(`/api/billing/terms/${termId}/reconciliation`);
    expect(rec.body.checks).toMatchObject({ imbalanceFen: 0, reconciled: true });
    expect(rec.body.accounts.find((a: { code: string }) => a.code === 'income.service_fee').balanceFen).toBeLessThan(0);
    const list = await admin.get(`/api/billing/terms/${termId}/invoices`);
    expect(list.body.rows.find((x: { studentId: string }) => x.studentId === pupil).dueFen).toBe(30_000);
    expect((await admin2.get(`/api/billing/terms/${termId}/students/${pupil}`)).status).toBe(404);
  });

  it('a guardian’s waiver application: over 100 % or fractions refused; approval posts the waiver, audits and notifies', async () => {
    const w = newId();
    const other = newId();
    await env.database.db.execute(
      sql`INSERT INTO waivers (school_id, id, term_id, student_id, source, category, basis_points, status, reason) VALUES
            (${schoolId}, ${w}, ${termId}, ${pupil}, 'application', 'other', 10000, 'pending', '家中突发困难'),
            (${schoolId}, ${other}, ${termId}, ${pupil}, 'application', 'other', 10000, 'pending', '再次申请')`,
    );
    expect((await homeroom.post(`/api/billing/waivers/${w}/decision`, { decision: 'approve', basisPoints: 5000 })).status).toBe(403);
    expect((await admin2.post(`/api/billing/waivers/${w}/decision`, { decision: 'approve', basisPoints: 5000 })).status).toBe(404);
    const over = await admin.post(`/api/billing/waivers/${w}/decision`, { decision: 'approve', basisPoints: 10_001 });
    expect(over.status).toBe(400);
    expect(over.body.code).toBeTruthy();
    expect((await admin.post(`/api/billing/waivers/${w}/decision`, { decision: 'approve', basisPoints: 2500.5 })).status).toBe(400);
    expect((await admin.post(`/api/billing/waivers/${w}/decision`, { decision: 'reject', note: '' })).status).toBe(400);
    const ok = await admin.post(`/api/billing/waivers/${w}/decision`, { decision: 'approve', basisPoints: 5000, note: '核实属实' });
    expect(ok.status).toBe(200);
    expect(ok.body.documents).toBe(1);
    const s = await statement();
    expect(s.body.totals).toMatchObject({ chargedFen: 30_000, waivedFen: 15_000, dueFen: 15_000 });
    expect((await admin.post(`/api/billing/waivers/${w}/decision`, { decision: 'reject', note: '重复' })).status).toBe(409);
    const notes = await rows(sql`SELECT 1 FROM notifications WHERE kind = 'waiver.approved' AND payload->>'waiverId' = ${w}`);
    expect(notes.length).toBeGreaterThan(0);
    const audited = await rows(sql`SELECT 1 FROM audit_log WHERE action = 'waiver.approve' AND entity_id = ${w}`);
    expect(audited.length).toBe(1);
    expect((await admin.post(`/api/billing/waivers/${other}/decision`, { decision: 'reject', note: '已批准一次' })).status).toBe(200);
  });

  it('a registered hardship family is waived in full automatically at the next run', async () => {
    const [p2] = await rows<{ student_id: string }>(
      sql`SELECT DISTINCT student_id FROM invoices WHERE school_id = ${schoolId} AND term_id = ${termId} AND student_id <> ${pupil} AND total_fen > 0 LIMIT 1`,
    );
    const bad = await admin.post('/api/billing/hardship', {
      studentId: p2.student_id,
      category: 'dibao',
      basisPoints: 20_000,
      validFrom: '2026-01-01',
      evidence: '低保证 123',
    });
    expect(bad.status).toBe(400);
    const reg = await admin.post('/api/billing/hardship', {
      studentId: p2.student_id,
      category: 'dibao',
      validFrom: '2026-01-01',
      evidence: '低保证 123',
    });
    expect(reg.status).toBe(200);
    expect(
      (await admin2.post('/api/billing/hardship', { studentId: p2.student_id, category: 'dibao', validFrom: '2026-01-01', evidence: 'x' }))
        .status,
    ).toBe(404);
    await run(admin);
    const s = await statement(p2.student_id);
    const t = s.body.totals;
    expect(t.waivedFen).toBe(t.chargedFen);
    // what was paid before the waiver is now owed back (a negative balance), to the fen
    expect(t.dueFen).toBe(t.chargedFen - t.waivedFen - t.creditedFen - t.paidFen + t.refundedFen);
    const list = await admin.get(`/api/billing/terms/${termId}/waivers?status=approved`);
    expect(list.body.some((x: { studentId: string; source: string }) => x.studentId === p2.student_id && x.source === 'automatic')).toBe(
      true,
    );
  });

  it('a day the service did not run is credited to billed pupils by day', async () => {
    const bad = await admin.post(`/api/billing/terms/${termId}/cancellations`, { day: '2030-01-01', reason: '暴雨' });
    expect(bad.status).toBe(400);
    const [d] = await rows<{ day: string }>(
      sql`SELECT min(d)::date::text AS day FROM enrollments e, generate_series(COALESCE(e.effective_from, '2026-09-01'), '2027-01-22'::date, '1 day') d
           WHERE e.student_id = ${pupil} AND e.offering_id = ${careOfferingId} AND e.status = 'enrolled' AND extract(isodow FROM d) = e.weekday
             AND d::date NOT IN (SELECT day FROM term_days WHERE term_id = ${termId})`,
    );
    const r = await admin.post(`/api/billing/terms/${termId}/cancellations`, {
      day: d.day,
      offeringId: careOfferingId,
      reason: '暴雨停课',
    });
    expect(r.status).toBe(200);
    expect(r.body.documents).toBeGreaterThan(0);
    const s = await statement();
    expect(s.body.totals.creditedFen).toBeGreaterThan(0);
    const { chargedFen, waivedFen, creditedFen, dueFen } = s.body.totals;
    expect(dueFen).toBe(chargedFen - waivedFen - creditedFen);
    expect(s.body.invoices.at(-1).docType).toBe('credit_note');
  });

  it('代收费 only for a provider on the district’s list; its fees go to payable.provider', async () => {
    const [pv] = await rows<{ plan_id: string; version: number; snapshot: { offerings: { providerName: string; name: string }[] } }>(
      sql`SELECT v.plan_id, v.version, v.snapshot FROM plan_versions v JOIN plans p ON p.school_id = v.school_id AND p.id = v.plan_id
           WHERE p.term_id = ${termId} AND v.status = 'published' ORDER BY v.version DESC LIMIT 1`,
    );
    const provided = pv.snapshot.offerings.find((o) => o.providerName);
    if (!provided) return;
    // the published notice lists this course with a fee collected for its provider
    const snapshot = {
      ...pv.snapshot,
      offerings: pv.snapshot.offerings.map((o) => (o === provided ? { ...o, feeMode: 'per_session', feeFen: 2000 } : o)),
    };
    await env.database.db.execute(
      sql`UPDATE plan_versions SET snapshot = ${JSON.stringify(snapshot)}::jsonb WHERE plan_id = ${pv.plan_id} AND version = ${pv.version}`,
    );
    await env.database.db.execute(sql`DELETE FROM approved_providers WHERE name = ${provided.providerName}`);
    const refused = await admin.post(`/api/billing/terms/${termId}/runs`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PROVIDER_NOT_APPROVED');
    const added = await district.post('/api/district/providers', { name: provided.providerName, note: '区级准入' });
    expect(added.status).toBe(200);
    const r = await run(admin);
    expect(r.body.status).toBe('done');
    const rec = await admin.get(`/api/billing/terms/${termId}/reconciliation`);
    const enrolled = await rows(
      sql`SELECT 1 FROM enrollments e JOIN offerings o ON o.school_id = e.school_id AND o.id = e.offering_id WHERE o.name = ${provided.name} AND e.status = 'enrolled' AND e.term_id = ${termId}`,
    );
    if (enrolled.length > 0)
      expect(rec.body.accounts.find((a: { code: string }) => a.code === 'payable.provider').balanceFen).toBeLessThan(0);
    expect(rec.body.checks.reconciled).toBe(true);
  });

  it('exports the reconciliation; closing the term makes every money write answer 409 and writes nothing', async () => {
    const x = await admin.get(`/api/billing/terms/${termId}/reconciliation.xlsx`);
    expect(x.status).toBe(200);
    expect(String(x.headers['content-type'])).toContain('spreadsheetml');
    expect((await admin.post(`/api/billing/terms/${termId}/close`, {})).status).toBe(400);
    const closed = await admin.post(`/api/billing/terms/${termId}/close`, { confirm: true });
    expect(closed.status).toBe(200);
    const [before] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_entries WHERE term_id = ${termId}`);
    const w = newId();
    await env.database.db.execute(
      sql`INSERT INTO waivers (school_id, id, term_id, student_id, source, category, basis_points, status) VALUES
            (${schoolId}, ${w}, ${termId}, ${pupil}, 'application', 'other', 10000, 'pending')`,
    );
    for (const res of [
      await admin.post(`/api/billing/terms/${termId}/runs`),
      await admin.post(`/api/billing/waivers/${w}/decision`, { decision: 'approve', basisPoints: 10_000 }),
      await admin.post(`/api/billing/terms/${termId}/cancellations`, { day: '2026-12-01', reason: '停电' }),
      await admin.post(`/api/billing/terms/${termId}/close`, { confirm: true }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('TERM_CLOSED');
    }
    await expect(
      env.database.db.transaction((tx) =>
        postTransaction(tx, {
          schoolId,
          termId,
          kind: 'payment',
          sourceType: 'test',
          lines: [
            { account: 'cash.offline', amountFen: 100 },
            { account: 'receivable.guardian', amountFen: -100, studentId: pupil },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'TERM_CLOSED' });
    const [after] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_entries WHERE term_id = ${termId}`);
    expect(after.n).toBe(before.n);
    const [still] = await rows<{ status: string }>(sql`SELECT status FROM waivers WHERE id = ${w}`);
    expect(still.status).toBe('pending');
    const [cancel] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_cancellations WHERE day = '2026-12-01'`);
    expect(cancel.n).toBe(0);
  });
});
