/**
 * An invoicing run: the office starts it, the page polls done/total. Pupils are settled in chunks,
 * each chunk one database transaction (its documents, ledger lines and the run's progress together),
 * so progress is visible while it runs and a failed run leaves whole chunks only; running again
 * completes it (settling is idempotent).
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { billingRuns } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { loadTermContext, type TermContext } from './context';
import { lockBilling, pupilsToBill, settleStudents, withTermLeave } from './settle';

export const CHUNK = 500;

export interface RunView {
  id: string;
  termId: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  documents: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface RunRow {
  id: string;
  term_id: string;
  status: RunView['status'];
  total: number;
  done: number;
  documents: number;
  error: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
}

const present = (r: RunRow): RunView => ({
  id: r.id,
  termId: r.term_id,
  status: r.status,
  total: r.total,
  done: r.done,
  documents: r.documents,
  error: r.error,
  startedAt: new Date(r.started_at).toISOString(),
  finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
});

export async function runOf(db: Db, schoolId: string, runId: string): Promise<RunView> {
  const [r] = await queryRows<RunRow>(
    db,
    sql`SELECT id, term_id, status, total, done, documents, error, started_at, finished_at FROM billing_runs WHERE school_id = ${schoolId} AND id = ${runId}`,
  );
  if (!r) throw notFound('开票任务');
  return present(r);
}

export async function latestRun(db: Db, schoolId: string, termId: string): Promise<RunView | null> {
  const [r] = await queryRows<RunRow>(
    db,
    sql`SELECT id, term_id, status, total, done, documents, error, started_at, finished_at FROM billing_runs
         WHERE school_id = ${schoolId} AND term_id = ${termId} ORDER BY started_at DESC LIMIT 1`,
  );
  return r ? present(r) : null;
}

/** Settles every pupil of the run's term, chunk by chunk; records the outcome on the run row. */
export async function executeRun(db: Db, termCtx: TermContext, runId: string, ids: string[], actorId: string | null): Promise<void> {
  let ctx = termCtx;
  try {
    ctx = await withTermLeave(db, termCtx);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      await db.transaction(async (tx) => {
        await lockBilling(tx, ctx.schoolId);
        const n = await settleStudents(tx, ctx, chunk, actorId);
        await tx.execute(
          sql`UPDATE billing_runs SET done = done + ${chunk.length}, documents = documents + ${n} WHERE school_id = ${ctx.schoolId} AND id = ${runId}`,
        );
      });
    }
    await db.execute(sql`UPDATE billing_runs SET status = 'done', finished_at = now() WHERE school_id = ${ctx.schoolId} AND id = ${runId}`);
  } catch (e) {
    const message = e instanceof AppError ? e.message : '开票失败，请重试（已完成的部分不会重复开票）';
    await db.execute(
      sql`UPDATE billing_runs SET status = 'failed', error = ${message}, finished_at = now() WHERE school_id = ${ctx.schoolId} AND id = ${runId}`,
    );
    if (!(e instanceof AppError)) throw e;
  }
}

/**
 * Checks the term (published fees, not a later term, open, providers approved), records the run and
 * its audit row, and returns the work to do in the background.
 */
export async function startRun(db: Db, actor: Actor, schoolId: string, termId: string, today: string) {
  const ctx = await loadTermContext(db, schoolId, termId, today);
  const running = await queryRows(
    db,
    sql`SELECT 1 FROM billing_runs WHERE school_id = ${schoolId} AND term_id = ${termId} AND status = 'running' AND started_at > now() - interval '10 minutes'`,
  );
  if (running.length > 0) throw new AppError(409, 'RUN_IN_PROGRESS', '该学期正在开票，请稍候');
  const ids = await pupilsToBill(db, schoolId, termId);
  const runId = newId();
  await db.transaction(async (tx) => {
    await tx.insert(billingRuns).values({ schoolId, id: runId, termId, status: 'running', total: ids.length, startedBy: actor.accountId });
    await audit(tx, actor, schoolId, {
      action: 'billing.run',
      entity: 'term',
      entityId: termId,
      detail: { runId, pupils: ids.length, mode: ctx.settings.mode, upTo: ctx.upTo, planVersion: ctx.planVersion },
    });
  });
  return { runId, work: () => executeRun(db, ctx, runId, ids, actor.accountId) };
}
