/**
 * A test app on a chosen date: the demo district seeded around `today`, and an app whose clock the
 * test moves (AppDeps.clock). On PGlite the database lives in a data directory, so `restart()` can
 * close the app and the database mid-afternoon and open both again on the same files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type KehouApp } from '../../../app';
import { type Database, openDatabase, runMigrations } from '../../../db/client';
import { seedDemo } from '../../../db/demo/seed';
import { type Client, type DbKind, freshPostgres, login, request } from '../../../test/harness';

export interface ClockEnv {
  app: KehouApp;
  database: Database;
  /** sets the app's wall clock (Asia/Shanghai local time, e.g. '2026-09-29T16:30') */
  setTime(local: string): void;
  /** closes the app and its database and opens both again on the same data */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function clockEnv(kind: DbKind, today: string, scale = 0.2): Promise<ClockEnv> {
  let now = new Date(`${today}T15:00:00+08:00`);
  const clock = () => now;
  let dir: string | undefined;
  let pgdb: Awaited<ReturnType<typeof freshPostgres>> | undefined;
  const open = () => (kind === 'pglite' ? openDatabase({ dataDir: dir }) : openDatabase({ url: pgdb?.url, poolSize: 10 }));
  if (kind === 'pglite') dir = mkdtempSync(join(tmpdir(), 'kehou-sim-'));
  else pgdb = await freshPostgres();
  let database = await open();
  await runMigrations(database);
  await seedDemo(database.db, { scale, today: now });
  let app = await buildApp({ database, loginRateLimit: 10_000, clock });
  await app.ready();
  const env: ClockEnv = {
    app,
    database,
    setTime(local) {
      now = new Date(`${local}:00+08:00`);
    },
    async restart() {
      await app.close();
      await database.close();
      database = await open();
      app = await buildApp({ database, loginRateLimit: 10_000, clock });
      await app.ready();
      env.app = app;
      env.database = database;
    },
    async close() {
      await app.close();
      await database.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await pgdb?.drop();
    },
  };
  return env;
}

/** A logged-in client that always speaks to the env's current app (it survives `restart()`). */
export async function loginTo(env: ClockEnv, loginName: string): Promise<Client> {
  const first = await login(env.app, loginName);
  const send = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(env.app, method, url, body, { cookie: first.cookie, 'x-csrf-token': first.csrf, ...headers });
  return {
    ...first,
    send,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body ?? {}),
    patch: (url, body) => send('PATCH', url, body ?? {}),
    delete: (url) => send('DELETE', url),
  };
}
