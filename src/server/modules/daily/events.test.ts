/** Live updates: a write in one process reaches the event streams of another through LISTEN/NOTIFY (PostgreSQL only). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type KehouApp } from '../../app';
import { type Database, openDatabase } from '../../db/client';
import { createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';
import { type DailyEvent, eventsFor, payloadsOf } from './events';

describeEachDb('daily: live events', (kind) => {
  let env: TestEnv;
  let other: { app: KehouApp; database: Database } | null = null;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    if (kind === 'postgres') {
      const url = (env.database.pool as unknown as { options: { connectionString: string } }).options.connectionString;
      const database = await openDatabase({ url, poolSize: 2 });
      const app = await buildApp({ database });
      await app.ready();
      other = { app, database };
    }
  }, 120_000);
  afterAll(async () => {
    if (other) {
      await other.app.close();
      await other.database.close();
    }
    await env?.close();
  });

  it('a write (check-in) is announced in this process and, on PostgreSQL, in another one', async () => {
    const teacher = await login(env.app, 'teacher');
    const [g] = (await teacher.get('/api/daily/today')).body.groups;
    const schoolId = (await teacher.get('/api/auth/me')).body.active.id;
    const here: DailyEvent[] = [];
    const there: DailyEvent[] = [];
    const off1 = eventsFor(env.app.deps).subscribe(schoolId, (e) => here.push(e));
    const off2 = other ? eventsFor(other.app.deps).subscribe(schoolId, (e) => there.push(e)) : () => {};
    expect((await teacher.post(`/api/daily/groups/${g.id}/checkin`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    off1();
    off2();
    expect(here.map((e) => e.kind)).toEqual(['checkin']);
    if (other) expect(there.map((e) => e.groupId)).toEqual([g.id]);
  });

  it('other processes hear a burst coalesced: each group that changed once, this process every write', async () => {
    const schoolId = (await (await login(env.app, 'teacher')).get('/api/auth/me')).body.active.id;
    const here: DailyEvent[] = [];
    const there: DailyEvent[] = [];
    const off1 = eventsFor(env.app.deps).subscribe(schoolId, (e) => here.push(e));
    const off2 = other ? eventsFor(other.app.deps).subscribe(schoolId, (e) => there.push(e)) : () => {};
    const groups = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (let round = 0; round < 5; round++)
      for (const groupId of groups) eventsFor(env.app.deps).publish({ schoolId, day: '2026-12-04', kind: 'release', groupId });
    await new Promise((r) => setTimeout(r, 500));
    off1();
    off2();
    expect(here).toHaveLength(600);
    if (other) expect(there.map((e) => e.groupId).sort()).toEqual([...groups].sort());
  });

  it('the stream answers only an EventSource', async () => {
    const duty = await login(env.app, 'duty');
    const res = await duty.get('/api/daily/events');
    expect(res.status).toBe(406);
    expect(res.body.code).toBe('NOT_ACCEPTABLE');
  });
});

describe('daily: live event payloads', () => {
  it('every event in exactly one payload, each under NOTIFY’s 8000 bytes', () => {
    const event = fc.record({
      schoolId: fc.uuid(),
      day: fc.constant('2026-12-04'),
      kind: fc.constantFrom('release', 'roll', 'relay', 'checkin'),
      groupId: fc.option(fc.uuid(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 400 }), (events) => {
        const payloads = payloadsOf('origin', events);
        for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
        expect(payloads.flatMap((p) => (JSON.parse(p) as { events: DailyEvent[] }).events)).toEqual(
          events.map((e) => JSON.parse(JSON.stringify(e))),
        );
      }),
    );
  });
});
