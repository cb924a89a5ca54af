/** The data tables' fingerprints and a write counter: proof that a failed request wrote nothing. */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client';

// ---------------------------------------------------------------- database fingerprints

/** Tables whose writes are not school data: sessions, login counters, the platform log. */
const NOT_DATA = new Set(['sessions', 'accounts', 'platform_audit_log', 'test_write_counter']);

export async function dataTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ t: string }>(db, sql`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  return rows.map((r) => r.t).filter((t) => !NOT_DATA.has(t));
}

/** One md5 per data table over every row's text: any insert, update or delete changes it. */
export async function fingerprint(db: Db, tables: string[]): Promise<Record<string, string>> {
  const cols = tables.map((t) => sql.raw(`(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${t}" x) AS "${t}"`));
  const [row] = await queryRows<Record<string, string>>(db, sql`SELECT ${sql.join(cols, sql`, `)}`);
  return row;
}

/** Row counts of the data tables (cheaper than a fingerprint, enough for reads). */
export async function rowCounts(db: Db, tables: string[]): Promise<Record<string, number>> {
  const cols = tables.map((t) => sql.raw(`(SELECT count(*)::int FROM "${t}") AS "${t}"`));
  const [row] = await queryRows<Record<string, number>>(db, sql`SELECT ${sql.join(cols, sql`, `)}`);
  return row;
}

// ---------------------------------------------------------------- a write counter

/**
 * Counts every row written (inserted, updated, deleted) in the data tables, in the writing
 * transaction itself: a request that fails and rolls back leaves the count as it was, one that
 * wrote outside its transaction (or half-wrote) moves it.
 */
export async function installWriteCounter(db: Db, tables: string[]): Promise<void> {
  await db.execute(sql`CREATE TABLE test_write_counter (n bigint NOT NULL)`);
  await db.execute(sql`INSERT INTO test_write_counter VALUES (0)`);
  // One counter update per statement, with the number of rows from its transition table: a row
  // trigger updating one counter row thousands of times in one transaction is quadratic.
  await db.execute(sql`CREATE FUNCTION test_count_new() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE test_write_counter SET n = n + (SELECT count(*) FROM new_rows); RETURN NULL; END $$`);
  await db.execute(sql`CREATE FUNCTION test_count_old() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE test_write_counter SET n = n + (SELECT count(*) FROM old_rows); RETURN NULL; END $$`);
  for (const t of tables) {
    const table = sql.identifier(t);
    for (const [event, rows, fn] of [
      ['INSERT', 'NEW TABLE AS new_rows', 'test_count_new'],
      ['UPDATE', 'NEW TABLE AS new_rows', 'test_count_new'],
      ['DELETE', 'OLD TABLE AS old_rows', 'test_count_old'],
    ]) {
      await db.execute(
        sql`CREATE TRIGGER ${sql.identifier(`test_count_${event.toLowerCase()}`)} AFTER ${sql.raw(event)} ON ${table}
              REFERENCING ${sql.raw(rows)} FOR EACH STATEMENT EXECUTE FUNCTION ${sql.raw(fn)}()`,
      );
    }
  }
}

export async function writeCount(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, sql`SELECT n FROM test_write_counter`);
  return Number(row.n);
}
