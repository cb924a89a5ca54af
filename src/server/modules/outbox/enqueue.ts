/**
 * Enqueues external deliveries for notifications, inside the caller's transaction: one row per
 * notification and enabled channel of the school, in one statement. If the transaction rolls back,
 * the notification and its deliveries go together (never a delivery of an event that did not happen,
 * never an event without its delivery).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

export async function enqueueDeliveries(tx: Db, schoolId: string, notificationIds: string[]): Promise<void> {
  if (notificationIds.length === 0) return;
  const ids = sql.join(
    notificationIds.map((id) => sql`(${id}::uuid)`),
    sql`, `,
  );
  await tx.execute(sql`
    INSERT INTO outbox_deliveries (school_id, id, notification_id, channel)
    SELECT c.school_id, gen_random_uuid(), v.nid, c.kind
      FROM outbox_channels c CROSS JOIN (VALUES ${ids}) AS v(nid)
     WHERE c.school_id = ${schoolId} AND c.enabled`);
}
