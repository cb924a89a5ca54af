/**
 * Opens the database: embedded PGlite (a directory, or in memory for tests) or a PostgreSQL
 * server through a `pg` pool. Both give the same drizzle API; raw SQL results have `.rows` in both.
 */
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'embedded' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** Present for PostgreSQL: a client for LISTEN (live updates across processes). */
  pool?: pg.Pool;
  pglite?: PGlite;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenOptions {
  /** postgres://… ; when absent, the embedded database is used */
  url?: string;
  /** embedded data directory; absent = in memory */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 20);
  return openEmbedded(opts.dataDir);
}

async function openEmbedded(dataDir?: string): Promise<Database> {
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'embedded', pglite: client, close: () => client.close() };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  // Only the hot paths use named prepared statements (auth/actor.ts, db/exec.ts), all lookups by key.
  // PostgreSQL plans a prepared statement anew for its first five runs on each connection; for the
  // seat and release statements that is ~4 ms each, 100 plannings for a pool of 20 at the opening of
  // a rush or the 17:30 pick-up burst (bench pickup-peak: the first tenth of the burst had 2× the p99
  // of the rest). The generic plan is planned once per connection and is what they settle on anyway.
  const pool = new pg.Pool({ connectionString: url, max, options: '-c plan_cache_mode=force_generic_plan' });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, kind: 'postgres', pool, close: () => pool.end() };
}

/** Applies the generated SQL migrations; on PostgreSQL under an advisory lock so that several
 * processes starting together migrate once. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'embedded') {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7251001)');
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock(7251001)').catch(() => {});
    client.release();
  }
}

/** Runs raw SQL and returns its rows (both drivers answer with `.rows`). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
