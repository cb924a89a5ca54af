/**
 * The afternoon's releases replayed from an offline phone, over HTTP on a chosen school day, on
 * PGlite and PostgreSQL: a release to the substitute and one by the typed pick-up code answer their
 * first result for the same key (no second audit row, pick-up record or live event), a key reused for
 * another body or by another account is refused with IDEMPOTENCY_KEY_REUSED, a refusal is not stored,
 * and once the code has expired or the day is closed a replay of a release that happened still
 * answers its first result while a release that never reached the server is refused.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { acceptNotice, type Client, describeEachDb } from '../../test/harness';
import { type DailyEvent, eventsFor } from '../daily/events';
import { type ClockEnv, clockEnv, loginTo } from '../daily/sim/env';

const DAY = '2026-10-12'; // a Monday of the demo term (the demo teacher's afternoon group meets)

describeEachDb('afternoon: replayed releases (substitute, pick-up code)', (kind) => {
  let env: ClockEnv;
  let teacher: Client;
  let duty: Client;
  let schoolId: string;
  let groupId: string;
  /** two pupils of the group with a guardian who has an account: one for the substitute, one for the code */
  let families: { studentId: string; phone: string; guardian: Client }[];
  let substituteId: string;
  /** what was sent first with each key and what it answered */
  const sent = new Map<string, { url: string; body: unknown; first: unknown }>();
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);
  const keyed = (c: Client, url: string, body: unknown, key: string) =>
    c.send('POST', `/api/afternoon/groups/${groupId}${url}`, body, { 'idempotency-key': key });
  const releases = async (studentId: string) =>
    (
      await rows<{ audits: number; records: number }>(
        sql`SELECT (SELECT count(*) FROM audit_log WHERE action = 'attendance.release' AND entity_id = ${studentId} AND detail->>'day' = ${DAY} AND detail->>'groupId' = ${groupId})::int AS audits,
                   (SELECT count(*) FROM pickup_records WHERE student_id = ${studentId} AND day = ${DAY}::date AND group_id = ${groupId})::int AS records`,
      )
    )[0];
  const handover = async (studentId: string) =>
    (
      await rows<{ handover: string; released_to_name: string | null }>(
        sql`SELECT handover, released_to_name FROM attendance WHERE day = ${DAY}::date AND group_id = ${groupId} AND student_id = ${studentId}`,
      )
    )[0];
  /** the live events of the school while `fn` runs */
  const eventsDuring = async (fn: () => Promise<void>) => {
    const seen: DailyEvent[] = [];
    const off = eventsFor(env.app.deps).subscribe(schoolId, (e) => seen.push(e));
    try {
      await fn();
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      off();
    }
    return seen;
  };

  beforeAll(async () => {
    env = await clockEnv(kind, '2026-09-28');
    env.setTime(`${DAY}T15:30`);
    [teacher, duty] = await Promise.all([loginTo(env, 'teacher'), loginTo(env, 'duty')]);
    schoolId = (await teacher.get('/api/auth/me')).body.active.id;
    const today = await teacher.get('/api/daily/today');
    expect(today.body.day).toBe(DAY);
    groupId = today.body.groups.find((g: { slot: string }) => g.slot === 'afternoon').id;
    expect((await teacher.post(`/api/daily/groups/${groupId}/all-present`)).status).toBe(200);
    const found = await rows<{ student_id: string; phone: string }>(
      sql`SELECT DISTINCT ON (a.student_id) a.student_id, gd.phone FROM attendance a
            JOIN student_guardians sg ON sg.school_id = a.school_id AND sg.student_id = a.student_id
            JOIN guardians gd ON gd.school_id = sg.school_id AND gd.id = sg.guardian_id
           WHERE a.day = ${DAY}::date AND a.group_id = ${groupId} AND a.status = 'present' AND a.handover = 'none'
             AND gd.account_id IS NOT NULL AND gd.phone <> '13900000001'
           ORDER BY a.student_id, sg.is_primary DESC LIMIT 2`,
    );
    expect(found).toHaveLength(2);
    families = [];
    for (const f of found) {
      const guardian = await loginTo(env, f.phone);
      await acceptNotice(guardian);
      families.push({ studentId: f.student_id, phone: f.phone, guardian });
    }
    // in the morning the first family announces a substitute for today
    env.setTime(`${DAY}T09:00`);
    const sub = await families[0].guardian.post(`/api/afternoon/children/${families[0].studentId}/substitutes`, {
      day: DAY,
      name: '赵姨',
      phone: '13812345678',
      relation: '邻居',
    });
    expect(sub.status).toBe(200);
    substituteId = sub.body.id;
    env.setTime(`${DAY}T17:00`);
  }, 180_000);
  afterAll(() => env?.close());

  it('the substitute release answers its first result on replay and writes nothing more', async () => {
    const p = families[0].studentId;
    const body = { studentId: p, substituteId };
    let first: { status: number; body: Record<string, unknown> } | undefined;
    const live = await eventsDuring(async () => {
      first = await keyed(teacher, '/release-substitute', body, 'sub-release-key-1');
    });
    expect(first?.status).toBe(200);
    expect(first?.body).toMatchObject({ studentId: p, releasedToName: '赵姨（邻居，临时接送人）', replayed: false });
    sent.set('sub-release-key-1', { url: '/release-substitute', body, first: first?.body });
    expect(live.map((e) => [e.kind, e.groupId])).toEqual([['release', groupId]]);
    expect(await releases(p)).toEqual({ audits: 1, records: 1 });

    const replays = await eventsDuring(async () => {
      for (let i = 0; i < 2; i++) {
        const again = await keyed(teacher, '/release-substitute', body, 'sub-release-key-1');
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ ...first?.body, replayed: true });
      }
    });
    expect(replays).toEqual([]);
    expect(await releases(p)).toEqual({ audits: 1, records: 1 });
    expect(await handover(p)).toEqual({ handover: 'released', released_to_name: '赵姨（邻居，临时接送人）' });
  });

  it('the same key with another body, or from another account, is refused and changes nothing', async () => {
    const other = families[1].studentId;
    const reused = await keyed(teacher, '/release-substitute', { studentId: other, substituteId }, 'sub-release-key-1');
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // another route with the same key is another request too
    const code = await families[1].guardian.get(`/api/afternoon/children/${other}/pickup-code`);
    const viaCode = await keyed(teacher, '/release-code', { studentId: other, code: code.body.code }, 'sub-release-key-1');
    expect(viaCode.status).toBe(409);
    expect(viaCode.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const byDuty = await keyed(duty, '/release-substitute', { studentId: families[0].studentId, substituteId }, 'sub-release-key-1');
    expect(byDuty.status).toBe(409);
    expect(byDuty.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await handover(other)).toEqual({ handover: 'none', released_to_name: null });
    expect(await releases(other)).toEqual({ audits: 0, records: 0 });
    expect(await releases(families[0].studentId)).toEqual({ audits: 1, records: 1 });
  });

  it('the pick-up code: a refusal is not stored; the release replays its first result, also once the code has expired', async () => {
    const { studentId: p, guardian } = families[1];
    const code = (await guardian.get(`/api/afternoon/children/${p}/pickup-code`)).body.code as string;
    expect(code).toMatch(/^\d{8}$/);
    const wrong = code === '00000000' ? '00000001' : '00000000';
    for (let i = 0; i < 2; i++) {
      const refused = await keyed(teacher, '/release-code', { studentId: p, code: wrong }, 'code-release-key-0');
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('PICKUP_CODE_INVALID');
    }
    const first = await keyed(teacher, '/release-code', { studentId: p, code }, 'code-release-key-1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ studentId: p, replayed: false });
    expect(first.body.releasedToName).toContain('接送码');
    sent.set('code-release-key-1', { url: '/release-code', body: { studentId: p, code }, first: first.body });
    const other = await keyed(teacher, '/release-code', { studentId: p, code: wrong }, 'code-release-key-1');
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // half an hour later the typed code is no longer valid: a new request with it is refused, the replay is not
    env.setTime(`${DAY}T17:30`);
    const stale = await keyed(teacher, '/release-code', { studentId: p, code }, 'code-release-key-2');
    expect(stale.status).toBe(422);
    expect(stale.body.code).toBe('PICKUP_CODE_INVALID');
    const live = await eventsDuring(async () => {
      const again = await keyed(teacher, '/release-code', { studentId: p, code }, 'code-release-key-1');
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, replayed: true });
    });
    expect(live).toEqual([]);
    expect(await releases(p)).toEqual({ audits: 1, records: 1 });
    const [rec] = await rows<{ via: string }>(sql`SELECT via FROM pickup_records WHERE student_id = ${p} AND day = ${DAY}::date`);
    expect(rec.via).toBe('code');
  });

  it('after the day is closed: the releases that happened replay their first result, one that never arrived is refused', async () => {
    // hand over everyone left so the day can close
    env.setTime(`${DAY}T18:20`);
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

    expect(sent.size).toBe(2);
    for (const [key, w] of sent) {
      const again = await keyed(teacher, w.url, w.body, key);
      expect(again.status, key).toBe(200);
      expect(again.body).toEqual({ ...(w.first as object), replayed: true });
    }
    const never = await keyed(teacher, '/release-substitute', { studentId: families[0].studentId, substituteId }, 'sub-release-never');
    expect(never.status).toBe(409);
    expect(never.body.code).toBe('DAY_CLOSED');
    expect(await releases(families[0].studentId)).toEqual({ audits: 1, records: 1 });
    expect(await releases(families[1].studentId)).toEqual({ audits: 1, records: 1 });
  });

  it('malformed keys answer 400', async () => {
    const body = { studentId: families[0].studentId, substituteId };
    expect((await keyed(teacher, '/release-substitute', body, 'short')).status).toBe(400);
    expect((await keyed(teacher, '/release-code', { studentId: families[0].studentId, code: '12345678' }, 'x'.repeat(101))).status).toBe(
      400,
    );
  });
});
