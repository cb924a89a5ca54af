/**
 * The afternoon's releases (to a substitute, by pick-up code) as replayable writes, exactly like the
 * daily routes (daily/attendance.routes.ts `replayable`), with the same helpers from
 * daily/idempotency.ts: the request's fingerprint is its route, group and body; a committed earlier
 * run of the key answers its first result with `replayed: true` before any of today's checks (so
 * also after the day was closed, and before a pick-up code that has expired since is checked
 * again); the same key with another body or from another account is 409 IDEMPOTENCY_KEY_REUSED;
 * otherwise today's checks, the route's own checks, then the write and its key in one transaction,
 * and the live event only when the write was not a replay.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../auth/actor';
import type { Database, Db } from '../../db/client';
import { todayOf } from '../daily/days';
import type { DailyEvents } from '../daily/events';
import { fingerprint, once, priorWrite } from '../daily/idempotency';
import { groupToday } from '../daily/today';
import { schoolActor } from '../../authz/request';

export type GroupToday = Awaited<ReturnType<typeof groupToday>>;

/**
 * `prepare` runs after today's checks and outside the transaction (it may read, e.g. verify a
 * pick-up code; a refusal it throws is not stored, so its replay is refused again) and returns the
 * write that runs inside the transaction with the key.
 */
export type Prepare<T> = (c: GroupToday, actor: Actor, schoolId: string) => Promise<(tx: Db) => Promise<T>>;

export function replayableFor(deps: { database: Database; clock?: () => Date }, events: DailyEvents) {
  const db = deps.database.db;
  return async function replayable<T>(req: FastifyRequest, prepare: Prepare<T>, kind: string): Promise<T & { replayed: boolean }> {
    const { actor, schoolId } = schoolActor(req);
    const key = req.headers['idempotency-key'] as string | undefined;
    const { groupId } = req.params as { groupId: string };
    const fp = fingerprint(req.routeOptions.url, groupId, req.body ?? {});
    const prior = await priorWrite<T>(db, schoolId, actor, key, fp);
    if (prior !== undefined) return { ...prior, replayed: true };
    const c = await groupToday(db, actor, schoolId, groupId, true, todayOf(deps));
    const run = await prepare(c, actor, schoolId);
    const { result, replayed } = await db.transaction((tx) => once(tx, schoolId, actor, key, () => run(tx), fp));
    if (!replayed) events.publish({ schoolId, day: c.sd.day, kind, groupId: c.g.id });
    // release() reports a pupil released already (another key, another adult's phone) as a replay too
    return { ...result, replayed: replayed || (result as { replayed?: boolean }).replayed === true };
  };
}
