/**
 * In-app notifications, written by the caller's transaction together with the event they report
 * (never lost). The outbox (modules/outbox) delivers them through external channels from the same rows.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { guardians, notifications, studentGuardians } from '../../db/schema';
import { newId } from '../../lib/ids';
import { enqueueDeliveries } from '../outbox/enqueue';

export interface Notice {
  kind: string;
  title: string;
  body?: string;
  link?: string;
  payload?: Record<string, unknown>;
}

/** The accounts of a pupil's guardians (those who can log in). */
export async function guardianAccounts(tx: Db, schoolId: string, studentId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ accountId: guardians.accountId })
    .from(studentGuardians)
    .innerJoin(guardians, and(eq(guardians.schoolId, studentGuardians.schoolId), eq(guardians.id, studentGuardians.guardianId)))
    .where(and(eq(studentGuardians.schoolId, schoolId), eq(studentGuardians.studentId, studentId), isNotNull(guardians.accountId)));
  return rows.map((r) => r.accountId as string);
}

export async function notifyAccounts(tx: Db, schoolId: string, accountIds: string[], n: Notice): Promise<void> {
  if (accountIds.length === 0) return;
  const ids = accountIds.map(() => newId());
  await tx.insert(notifications).values(
    accountIds.map((accountId, i) => ({
      schoolId,
      id: ids[i],
      accountId,
      kind: n.kind,
      title: n.title,
      body: n.body ?? '',
      link: n.link ?? '',
      payload: n.payload ?? {},
    })),
  );
  // the same transaction also queues their delivery through the school's external channels (outbox)
  await enqueueDeliveries(tx, schoolId, ids);
}

/** Tells every guardian of the pupil. */
export async function notifyGuardians(tx: Db, schoolId: string, studentId: string, n: Notice): Promise<void> {
  await notifyAccounts(tx, schoolId, await guardianAccounts(tx, schoolId, studentId), { ...n, payload: { studentId, ...n.payload } });
}
