/**
 * Idempotency keys for writes replayed from an offline phone. The phone gives every tap a key; the
 * first request with it runs and stores its result; a replay (same account, same request) gets that
 * result back and changes nothing, even after the day was closed. The same key with another body or
 * from another account is refused (409 IDEMPOTENCY_KEY_REUSED): it is a client bug, never a write.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { dailyWrites } from '../../db/schema';
import { AppError } from '../../lib/errors';

/** JSON with sorted object keys, so that one request always hashes alike. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** What a write is: its route, its target and its body. */
export const fingerprint = (...parts: unknown[]) => createHash('sha256').update(stable(parts)).digest('base64url').slice(0, 32);

/** The stored row: `{ fp, value }` (rows written before fingerprints held the bare result). */
type Stored<T> = { fp?: string; value?: T } & Record<string, unknown>;

const reused = () => new AppError(409, 'IDEMPOTENCY_KEY_REUSED', '这个请求编号已用于另一次操作，本次修改未执行，请刷新后重试');

function unwrap<T>(prev: { account_id: string; result: Stored<T> }, actor: Actor, fp: string | undefined): T {
  if (prev.account_id !== actor.accountId) throw reused();
  if (prev.result.fp === undefined) return prev.result as T;
  if (fp !== undefined && prev.result.fp !== fp) throw reused();
  return prev.result.value as T;
}

/**
 * A committed earlier run of this key, if any: checked before today's checks (closed day, group of
 * today) so that a replay of a write that did happen answers its first result instead of an error.
 */
export async function priorWrite<T>(db: Db, schoolId: string, actor: Actor, key: string | undefined, fp: string): Promise<T | undefined> {
  if (!key) return undefined;
  const [prev] = await queryRows<{ account_id: string; result: Stored<T> }>(
    db,
    sql`SELECT account_id, result FROM daily_writes WHERE school_id = ${schoolId} AND key = ${key}`,
  );
  return prev ? unwrap(prev, actor, fp) : undefined;
}

/** Runs `fn` once per idempotency key inside `tx`: a replay returns the first result and changes nothing. */
export async function once<T>(
  tx: Db,
  schoolId: string,
  actor: Actor,
  key: string | undefined,
  fn: () => Promise<T>,
  fp?: string,
): Promise<{ result: T; replayed: boolean }> {
  if (!key) return { result: await fn(), replayed: false };
  // a concurrent request with the same key waits here on the primary key until the first commits
  const claimed = await queryRows(
    tx,
    sql`INSERT INTO daily_writes (school_id, key, account_id) VALUES (${schoolId}, ${key}, ${actor.accountId}) ON CONFLICT DO NOTHING RETURNING key`,
  );
  if (claimed.length === 0) {
    const [prev] = await queryRows<{ account_id: string; result: Stored<T> }>(
      tx,
      sql`SELECT account_id, result FROM daily_writes WHERE school_id = ${schoolId} AND key = ${key}`,
    );
    return { result: unwrap(prev, actor, fp), replayed: true };
  }
  const result = await fn();
  await tx
    .update(dailyWrites)
    .set({ result: { fp: fp ?? '', value: result } as object })
    .where(sql`school_id = ${schoolId} AND key = ${key}`);
  return { result, replayed: false };
}
