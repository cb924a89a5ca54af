/**
 * A test app on a chosen date: the demo district seeded around `today`, and an app whose clock the
 * test moves (AppDeps.clock). `restart()` closes the app and the database mid-afternoon and opens
 * both again on the same data: on PostgreSQL a new pool on the same database; on PGlite the engine's
 * data directory is taken out (dumpDataDir), the engine closed, and a new engine started on it
 * (in memory, several times faster than a data directory on disk for the many-day simulation).
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { buildApp, type KehouApp } from '../../../app';
import { type Database, type Db, openDatabase, runMigrations } from '../../../db/client';
import * as schema from '../../../db/schema';
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
  let pgdb: Awaited<ReturnType<typeof freshPostgres>> | undefined;
  let dump: File | Blob | undefined;
  const open = async (): Promise<Database> => {
    if (kind === 'postgres') return openDatabase({ url: pgdb?.url, poolSize: 10 });
    const client = new PGlite(dump ? { loadDataDir: dump } : {});
    await client.waitReady;
    return { db: drizzle(client, { schema }) as unknown as Db, kind: 'embedded', pglite: client, close: () => client.close() };
  };
  if (kind === 'postgres') pgdb = await freshPostgres();
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
      if (database.pglite) dump = await database.pglite.dumpDataDir('none');
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
