/** Live updates: a write in one process reaches the event streams of another through LISTEN/NOTIFY (PostgreSQL only). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type KehouApp } from '../../app';
import { type Database, openDatabase } from '../../db/client';
import { createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';
import { type DailyEvent, eventsFor } from './events';

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

  it('the stream answers only an EventSource', async () => {
    const duty = await login(env.app, 'duty');
    const res = await duty.get('/api/daily/events');
    expect(res.status).toBe(406);
    expect(res.body.code).toBe('NOT_ACCEPTABLE');
  });
});
