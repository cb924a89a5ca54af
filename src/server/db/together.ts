/**
 * Several independent reads at once: in parallel on the pool, one after another inside a
 * transaction. A transaction is one connection, where overlapping queries only queue in the driver
 * (node-postgres warns that pg@9 will refuse them), so running them in turn costs nothing there.
 */
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client';

type Thunks<T extends readonly unknown[]> = { [K in keyof T]: () => PromiseLike<T[K]> };

export async function together<T extends readonly unknown[]>(db: Db, reads: readonly [...Thunks<T>]): Promise<T> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(reads.map((read) => read()))) as unknown as T;
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as unknown as T;
}
