/**
 * The release in one statement (checked-release.ts) against the long path it stands in for
 * (writes.ts `release` inside `once`): on a valid release both write the same rows — attendance,
 * audit record, the key's stored result; wherever the long path refuses, the statement writes
 * nothing and leaves the answer to it (the HTTP error is the long path's).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Actor, loadActor } from '../../auth/actor';
import { queryRows } from '../../db/client';
import { execOf } from '../../db/exec';
import { type Client, describeEachDb } from '../../test/harness';
import { checkedRelease } from './checked-release';
import { fingerprint, once } from './idempotency';
import { type ClockEnv, clockEnv, loginTo } from './sim/env';
import { release } from './writes';

const DAY = '2026-10-12'; // a Monday of the demo term: the demo teacher has an afternoon group

interface Pupil {
  studentId: string;
  status: string;
}

describeEachDb('daily: the release in one statement', (kind) => {
  let env: ClockEnv;
  let teacher: Client;
  let actor: Actor;
  let schoolId: string;
  let groupId: string;
  let otherGroupId: string;
  let pupils: Pupil[];
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(env.database.db, q);
  const adultOf = async (studentId: string) =>
    (
      await rows<{ id: string }>(
        sql`SELECT id FROM pickup_persons WHERE student_id = ${studentId} AND valid_to IS NULL ORDER BY id LIMIT 1`,
      )
    )[0]?.id;
  const written = async () =>
    (
      await rows<{ audits: number; keys: number; released: number }>(
        sql`SELECT (SELECT count(*) FROM audit_log WHERE action = 'attendance.release')::int AS audits,
                   (SELECT count(*) FROM daily_writes)::int AS keys,
                   (SELECT count(*) FROM attendance WHERE handover = 'released')::int AS released`,
      )
    )[0];
  const url = '/api/daily/groups/:groupId/release'; // the route's fingerprint names it so
  const fast = (studentId: string, pickupPersonId: string | null, key: string, over: Partial<Parameters<typeof checkedRelease>[2]> = {}) =>
    checkedRelease(execOf(env.database), actor, {
      schoolId,
      day: DAY,
      groupId,
      studentId,
      pickupPersonId,
      alone: false,
      key,
      leader: false,
      fingerprint: fingerprint(url, groupId, { studentId, pickupPersonId }),
      ...over,
    });

  beforeAll(async () => {
    env = await clockEnv(kind, '2026-09-28');
    env.setTime(`${DAY}T17:30`);
    teacher = await loginTo(env, 'teacher');
    const token = decodeURIComponent(/kehou_sid=([^;]+)/.exec(teacher.cookie)?.[1] ?? '');
    actor = (await loadActor(env.database, token, '127.0.0.1')) as Actor;
    schoolId = actor.schoolId as string;
    const today = await teacher.get('/api/daily/today?mine=1');
    groupId = today.body.groups.find((g: { slot: string }) => g.slot === 'afternoon').id;
    const [other] = await rows<{ id: string }>(
      sql`SELECT a.group_id AS id FROM attendance a WHERE a.school_id = ${schoolId} AND a.day = ${DAY}::date AND a.group_id <> ${groupId} LIMIT 1`,
    );
    otherGroupId = other.id;
    await teacher.send('POST', `/api/daily/groups/${groupId}/all-present`, {}, { 'idempotency-key': 'checked-all-present' });
    pupils = (await teacher.get(`/api/daily/groups/${groupId}/roster`)).body.pupils.filter(
      (p: Pupil & { handover: string }) => p.status === 'present' && p.handover === 'none',
    );
    expect(pupils.length).toBeGreaterThan(4);
  }, 120_000);
  afterAll(() => env?.close());

  it('writes what the long path writes: the release, its audit record and the stored result', async () => {
    const [a, b] = pupils;
    const [adultA, adultB] = [await adultOf(a.studentId), await adultOf(b.studentId)];
    const viaStatement = await fast(a.studentId, adultA, 'checked-a');
    expect(viaStatement).not.toBeNull();
    const fpB = fingerprint(url, groupId, { studentId: b.studentId, pickupPersonId: adultB });
    const viaLongPath = await env.database.db.transaction((tx) =>
      once(
        tx,
        schoolId,
        actor,
        'checked-b',
        () => release({ tx, actor, schoolId, day: DAY, groupId, termId: '' }, b.studentId, { pickupPersonId: adultB }),
        fpB,
      ),
    );
    expect(Object.keys(viaStatement ?? {}).sort()).toEqual(Object.keys(viaLongPath.result).sort());
    expect(viaStatement?.replayed).toBe(false);
    expect(viaStatement?.releasedToName).toMatch(/（.+）$/);

    const att = await rows<Record<string, unknown>>(
      sql`SELECT student_id, handover, released_to_pickup_id, released_to_name ~ '（.+）$' AS named, released_alone, released_by, released_at IS NOT NULL AS at
            FROM attendance WHERE school_id = ${schoolId} AND day = ${DAY}::date AND student_id IN (${a.studentId}, ${b.studentId}) ORDER BY student_id = ${b.studentId}`,
    );
    const { student_id: _a, released_to_pickup_id: pa, ...restA } = att[0];
    const { student_id: _b, released_to_pickup_id: pb, ...restB } = att[1];
    expect([pa, pb]).toEqual([adultA, adultB]);
    expect(restA).toEqual(restB);
    expect(restA).toMatchObject({ handover: 'released', named: true, released_alone: false, released_by: actor.accountId, at: true });

    const audits = await rows<{ entity_id: string; detail: Record<string, unknown>; account_id: string; role: string; entity: string }>(
      sql`SELECT entity_id, detail, account_id, role, entity FROM audit_log WHERE action = 'attendance.release' AND entity_id IN (${a.studentId}, ${b.studentId})
           ORDER BY entity_id = ${b.studentId}`,
    );
    expect(audits).toHaveLength(2);
    expect(Object.keys(audits[0].detail).sort()).toEqual(Object.keys(audits[1].detail).sort());
    expect(audits[0]).toMatchObject({ account_id: actor.accountId, entity: 'student', role: audits[1].role });
    expect(audits[0].detail).toMatchObject({ day: DAY, groupId, pickupPersonId: adultA, alone: false, to: viaStatement?.releasedToName });

    const stored = await rows<{ key: string; result: { fp: string; value: Record<string, unknown> } }>(
      sql`SELECT key, result FROM daily_writes WHERE key IN ('checked-a', 'checked-b') ORDER BY key`,
    );
    expect(Object.keys(stored[0].result.value).sort()).toEqual(Object.keys(stored[1].result.value).sort());
    expect(stored[0].result.fp).toBe(fingerprint(url, groupId, { studentId: a.studentId, pickupPersonId: adultA }));
    expect(stored[0].result.value.releasedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // a replay over HTTP answers the statement's stored result
    const replay = await teacher.send(
      'POST',
      `/api/daily/groups/${groupId}/release`,
      { studentId: a.studentId, pickupPersonId: adultA },
      { 'idempotency-key': 'checked-a' },
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ ...viaStatement, replayed: true });
  });

  it('writes nothing where the long path refuses, and HTTP answers with the long path’s error', async () => {
    const [, , c, d] = pupils;
    const adultD = (await adultOf(d.studentId)) as string;
    const before = await written();
    // another pupil's adult
    expect(await fast(c.studentId, adultD, 'checked-wrong-adult')).toBeNull();
    // a key already used (a replay)
    expect(await fast(c.studentId, await adultOf(c.studentId), 'checked-a')).toBeNull();
    // a group that is not this teacher's today (and the teacher does not lead the day)
    expect(await fast(c.studentId, await adultOf(c.studentId), 'checked-other', { groupId: otherGroupId })).toBeNull();
    // a day with no service (Saturday) and alone without the guardian's permission
    expect(await fast(c.studentId, await adultOf(c.studentId), 'checked-saturday', { day: '2026-10-17' })).toBeNull();
    expect(await fast(c.studentId, null, 'checked-alone', { alone: true })).toBeNull();
    expect(await written()).toEqual(before);
    const refused = await teacher.send(
      'POST',
      `/api/daily/groups/${groupId}/release`,
      { studentId: c.studentId, pickupPersonId: adultD },
      { 'idempotency-key': 'checked-wrong-adult' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('NOT_AUTHORISED_PICKUP');
    expect(await written()).toEqual(before);
  });

  it('a released pupil is not released again; the day once closed takes no release', async () => {
    const [a, , , , e] = pupils;
    expect(await fast(a.studentId, await adultOf(a.studentId), 'checked-again')).toBeNull();
    await rows(sql`INSERT INTO day_closures (school_id, day, closed_by) VALUES (${schoolId}, ${DAY}::date, ${actor.accountId})`);
    const before = await written();
    expect(await fast(e.studentId, await adultOf(e.studentId), 'checked-closed')).toBeNull();
    expect(await written()).toEqual(before);
    const http = await teacher.send(
      'POST',
      `/api/daily/groups/${groupId}/release`,
      { studentId: e.studentId, pickupPersonId: await adultOf(e.studentId) },
      { 'idempotency-key': 'checked-closed' },
    );
    expect(http.status).toBe(409);
    expect(http.body.code).toBe('DAY_CLOSED');
  });
});
