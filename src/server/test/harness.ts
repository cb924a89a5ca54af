/**
 * Test harness: a real database per test file (in-memory PGlite always; a fresh database on the
 * PostgreSQL server at TEST_DATABASE_URL when set), migrated and seeded with the demo district,
 * and an HTTP client that logs in and speaks to the app through Fastify `inject`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { buildApp, type KehouApp } from '../app';
import { type Database, openDatabase, runMigrations } from '../db/client';
import { DEMO_PASSWORD, seedDemo } from '../db/demo/seed';

export type DbKind = 'pglite' | 'postgres';

export const dbKinds = (): DbKind[] => (process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);

export interface TestEnv {
  app: KehouApp;
  database: Database;
  close(): Promise<void>;
}

/** A new, empty PostgreSQL database on the TEST_DATABASE_URL server; dropped by `drop`. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL as string;
  const name = `kehou_t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

export async function openTestDatabase(kind: DbKind): Promise<{ database: Database; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDatabase({});
    return { database, drop: async () => {} };
  }
  const pgdb = await freshPostgres();
  const database = await openDatabase({ url: pgdb.url, poolSize: 10 });
  return { database, drop: pgdb.drop };
}

export async function createTestEnv(kind: DbKind, opts: { seed?: boolean; scale?: number } = {}): Promise<TestEnv> {
  const { database, drop } = await openTestDatabase(kind);
  await runMigrations(database);
  if (opts.seed !== false) await seedDemo(database.db, { scale: opts.scale ?? 0.2 });
  const app = await buildApp({ database, loginRateLimit: 10_000 });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

/** Runs a suite once per available database. */
export function describeEachDb(name: string, fn: (kind: DbKind) => void) {
  for (const kind of dbKinds()) describe(`${name} [${kind}]`, () => fn(kind));
}

export interface Client {
  cookie: string;
  csrf: string;
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown): Promise<Res>;
  patch(url: string, body?: unknown): Promise<Res>;
  delete(url: string): Promise<Res>;
  send(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
}

export interface Res {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read loosely
  body: any;
  headers: Record<string, unknown>;
  raw: Buffer;
}

export async function request(
  app: KehouApp,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Res> {
  const isBuffer = Buffer.isBuffer(body);
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { ...(body !== undefined && !isBuffer ? { 'content-type': 'application/json' } : {}), ...headers },
    payload: body === undefined ? undefined : isBuffer ? body : JSON.stringify(body),
  });
  let parsed: unknown = res.body;
  if (String(res.headers['content-type'] ?? '').includes('json')) parsed = res.json();
  return { status: res.statusCode, body: parsed, headers: res.headers, raw: res.rawPayload };
}

/** Logs in (demo password by default) and returns a client carrying the cookie and CSRF token. */
export async function login(app: KehouApp, loginName: string, password = DEMO_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: loginName, password } });
  if (res.statusCode !== 200) throw new Error(`login ${loginName} failed: ${res.statusCode} ${res.body}`);
  const set = res.cookies.find((c) => c.name === 'kehou_sid');
  const cookie = `kehou_sid=${set?.value}`;
  const me = await request(app, 'GET', '/api/auth/me', undefined, { cookie });
  const csrf = me.body.csrfToken as string;
  const send = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(app, method, url, body, { cookie, 'x-csrf-token': csrf, ...headers });
  return {
    cookie,
    csrf,
    send,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body ?? {}),
    patch: (url, body) => send('PATCH', url, body ?? {}),
    delete: (url) => send('DELETE', url),
  };
}

/** Accepts the data-protection notice for a guardian client (N22). */
export async function acceptNotice(c: Client) {
  const notice = await c.get('/api/family/notice');
  await c.post('/api/family/consent', { version: notice.body.version, accept: true });
}
