/**
 * Replayed offline writes over HTTP on a chosen school day: every replayable write (check-in, roll
 * call, all present, release, relay) answers its first result for the same key, a key reused for
 * another request is refused, and after the day is closed a replay of a write that happened is still
 * a no-op while a write that never reached the server is refused with DAY_CLOSED.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { type Client, describeEachDb, request } from '../../test/harness';
import { type ClockEnv, clockEnv, loginTo } from './sim/env';

const DAY = '2026-10-12'; // a Monday of the demo term, like the seeded day (the demo teacher's afternoon group)

describeEachDb('daily: replayed offline writes', (kind) => {
  let env: ClockEnv;
  let teacher: Client;
  let duty: Client;
  let groupId: string;
  let pupils: { studentId: string; status: string; handover: string }[];
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);
  const keyed = (c: Client, url: string, body: unknown, key: string) =>
    c.send('POST', `/api/daily/groups/${groupId}${url}`, body, { 'idempotency-key': key });

  beforeAll(async () => {
    env = await clockEnv(kind, '2026-09-28');
    env.setTime(`${DAY}T15:30`);
    [teacher, duty] = await Promise.all([loginTo(env, 'teacher'), loginTo(env, 'duty')]);
    const today = await teacher.get('/api/daily/today');
    expect(today.body.day).toBe(DAY);
    groupId = today.body.groups.find((g: { slot: string }) => g.slot === 'afternoon').id;
    pupils = (await teacher.get(`/api/daily/groups/${groupId}/roster`)).body.pupils;
    expect(pupils.length).toBeGreaterThan(3);
  }, 120_000);
  afterAll(() => env?.close());

  it('requires authentication; another teacher’s replay of a key is refused', async () => {
    const anon = await request(env.app, 'POST', `/api/daily/groups/${groupId}/all-present`, {}, { 'idempotency-key': 'anon-key-1' });
    expect(anon.status).toBe(401);
    const first = await keyed(teacher, '/checkin', {}, 'checkin-key-1');
    expect(first.status).toBe(200);
    const other = await keyed(duty, '/checkin', {}, 'checkin-key-1');
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('each write answers its first result on replay and writes nothing more', async () => {
    const audits = () =>
      rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ${groupId} OR detail->>'groupId' = ${groupId}`);
    const check = await keyed(teacher, '/checkin', {}, 'checkin-key-1');
    expect(check.body.replayed).toBe(true);
    const absent = pupils[0].studentId;
    const marks = { marks: [{ studentId: absent, status: 'absent' }] };
    const m1 = await keyed(teacher, '/attendance', marks, 'mark-key-1');
    expect(m1.status).toBe(200);
    const all1 = await keyed(teacher, '/all-present', {}, 'all-key-1');
    expect(all1.body.marked).toBe(pupils.length - 1);
    const before = (await audits())[0].n;
    const alerts = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE payload->>'studentId' = ${absent}`);
    for (const r of [await keyed(teacher, '/attendance', marks, 'mark-key-1'), await keyed(teacher, '/all-present', {}, 'all-key-1')]) {
      expect(r.status).toBe(200);
      expect(r.body.replayed).toBe(true);
    }
    expect((await keyed(teacher, '/all-present', {}, 'all-key-1')).body.marked).toBe(pupils.length - 1);
    expect((await audits())[0].n).toBe(before);
    expect(await rows(sql`SELECT count(*)::int AS n FROM notifications WHERE payload->>'studentId' = ${absent}`)).toEqual(alerts);
    // the same key for another body is a client error, never a second write
    const reused = await keyed(teacher, '/attendance', { marks: [{ studentId: absent, status: 'present' }] }, 'mark-key-1');
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const [row] = await rows<{ status: string }>(
      sql`SELECT status FROM attendance WHERE day = ${DAY} AND group_id = ${groupId} AND student_id = ${absent}`,
    );
    expect(row.status).toBe('absent');
  });

  it('release and relay replay their first result; a refusal is not stored', async () => {
    const p = pupils[1].studentId;
    const adults = (await teacher.get(`/api/daily/groups/${groupId}/pupils/${p}/pickups`)).body.adults;
    const [stranger] = await rows<{ id: string }>(sql`SELECT id FROM pickup_persons WHERE student_id <> ${p} LIMIT 1`);
    const refused = await keyed(teacher, '/release', { studentId: p, pickupPersonId: stranger.id }, 'release-key-0');
    expect(refused.status).toBe(422);
    expect((await keyed(teacher, '/release', { studentId: p, pickupPersonId: stranger.id }, 'release-key-0')).status).toBe(422);
    const ok = await keyed(teacher, '/release', { studentId: p, pickupPersonId: adults[0].id }, 'release-key-1');
    expect(ok.status).toBe(200);
    expect(ok.body.replayed).toBe(false);
    const again = await keyed(teacher, '/release', { studentId: p, pickupPersonId: adults[0].id }, 'release-key-1');
    expect(again.body).toMatchObject({ replayed: true, releasedAt: ok.body.releasedAt, releasedToName: ok.body.releasedToName });
    const relay1 = await keyed(teacher, '/relay', {}, 'relay-key-1');
    expect(relay1.body.moved).toBe(pupils.length - 2);
    const relay2 = await keyed(teacher, '/relay', {}, 'relay-key-1');
    expect(relay2.body).toEqual({ moved: pupils.length - 2, replayed: true });
    const released = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'attendance.release' AND entity_id = ${p}`,
    );
    expect(released[0].n).toBe(1);
  });

  it('after the day is closed: a replay of a done write is a no-op, a write that never arrived is refused', async () => {
    // hand over everyone left so the day can close
    const board = (await duty.get('/api/daily/duty')).body;
    for (const g of board.groups) {
      await duty.post(`/api/daily/groups/${g.id}/all-present`);
      await duty.post(`/api/daily/groups/${g.id}/relay`);
    }
    for (const r of (await duty.get('/api/daily/duty')).body.relay.filter((x: { handover: string }) => x.handover === 'relay')) {
      const adults = (await duty.get(`/api/daily/groups/${r.groupId}/pupils/${r.studentId}/pickups`)).body;
      const to = adults.adults[0] ? { pickupPersonId: adults.adults[0].id } : { alone: true };
      expect((await duty.post(`/api/daily/groups/${r.groupId}/release`, { studentId: r.studentId, ...to })).status).toBe(200);
    }
    for (const c of (await duty.get('/api/daily/duty')).body.cases)
      await duty.post(`/api/daily/cases/${c.id}/resolve`, { outcome: 'guardian_confirmed', note: '家长确认' });
    expect((await duty.post('/api/daily/close')).status).toBe(200);
    const replay = await keyed(teacher, '/attendance', { marks: [{ studentId: pupils[0].studentId, status: 'absent' }] }, 'mark-key-1');
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    const late = await keyed(teacher, '/attendance', { marks: [{ studentId: pupils[2].studentId, status: 'late' }] }, 'mark-key-late');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DAY_CLOSED');
    expect((await keyed(teacher, '/checkin', {}, 'checkin-key-late')).body.code).toBe('DAY_CLOSED');
  });

  it('malformed keys answer 400', async () => {
    expect((await keyed(teacher, '/all-present', {}, 'short')).status).toBe(400);
    expect((await keyed(teacher, '/relay', {}, 'x'.repeat(101))).status).toBe(400);
  });
});
