/**
 * Plain SQL with numbered parameters for the hot path: through the pg pool as a named prepared
 * statement (parsed once per connection), through PGlite directly, or inside a drizzle transaction.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, type Db, queryRows } from './client';

export type Exec = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** Outside a transaction: each call is one statement, atomic on its own. */
export function execOf(database: Database): Exec {
  if (database.pool) {
    const pool = database.pool;
    return async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[];
  }
  if (database.pglite) return execPglite(database.pglite);
  return execIn(database.db);
}

/**
 * PGlite plans every query anew (a complex statement costs several ms of planning): on its single
 * session the hot-path statements are PREPAREd once and EXECUTEd with their values written in as
 * literals (EXECUTE takes no bind parameters). Values are ids, numbers, dates and short texts.
 */
/** the statements PREPAREd on each PGlite session, whichever execOf prepared them */
const preparedOn = new WeakMap<object, Map<string, Promise<unknown>>>();

function execPglite(lite: NonNullable<Database['pglite']>): Exec {
  let prepared = preparedOn.get(lite);
  if (!prepared) {
    prepared = new Map<string, Promise<unknown>>();
    preparedOn.set(lite, prepared);
  }
  const statements = prepared;
  return async <T>(name: string, text: string, values: unknown[]) => {
    let ready = statements.get(name);
    if (!ready) {
      ready = lite.exec(`PREPARE ${name} AS ${text}`);
      statements.set(name, ready);
      ready.catch(() => statements.delete(name));
    }
    await ready;
    const args = values.length ? `(${values.map(literal).join(', ')})` : '';
    return (await lite.query<T>(`EXECUTE ${name}${args}`)).rows;
  };
}

/** A value as an SQL literal (standard_conforming_strings: only the quote needs doubling). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('not a finite number');
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = v instanceof Date ? v.toISOString() : String(v);
  if (s.includes('\0')) throw new Error('NUL in a literal');
  return `'${s.replace(/'/g, "''")}'`;
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
