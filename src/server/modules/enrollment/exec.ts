/**
 * Plain SQL with numbered parameters for the hot path: through the pg pool as a named prepared
 * statement (parsed once per connection), through PGlite directly, or inside a drizzle transaction.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, type Db, queryRows } from '../../db/client';

export type Exec = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** Outside a transaction: each call is one statement, atomic on its own. */
export function execOf(database: Database): Exec {
  if (database.pool) {
    const pool = database.pool;
    return async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[];
  }
  return execIn(database.db);
}

/** Inside a drizzle transaction (or on any Db): the same text, the parameters bound by drizzle. */
export function execIn(db: Db): Exec {
  return <T>(_name: string, text: string, values: unknown[]) => queryRows<T>(db, toSql(text, values));
}

/** "… $2 … $1 …" with values → a drizzle SQL with the values bound in place. */
export function toSql(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) chunks.push(sql.raw(parts[i]));
    else chunks.push(sql`${values[Number(parts[i]) - 1]}`);
  }
  return sql.join(chunks);
}
