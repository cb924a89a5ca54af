/**
 * The outbox (issue 4): every notification is also delivered through the school's external
 * channels. A delivery row is written in the same transaction as the notification (never lost);
 * a worker claims due rows with FOR UPDATE SKIP LOCKED, sends, and retries with backoff until
 * delivered or dead after the channel's attempt limit.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { notifications } from './enrollment';
import { schoolId, ts, hotSchoolId } from './columns';

/** A school's external channel (webhook | email | sms | wechat) and its settings; one per kind. */
export const outboxChannels = pgTable(
  'outbox_channels',
  {
    schoolId: schoolId(),
    kind: text('kind').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    /** webhook: { url, secret, timeoutMs }; email: { host, port, from, secure } */
    config: jsonb('config').notNull().default(sql`'{}'::jsonb`),
    maxAttempts: integer('max_attempts').notNull().default(6),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.kind] }),
    check('outbox_channels_kind_ck', sql`${t.kind} IN ('webhook','email','sms','wechat')`),
  ],
);

/** One notification through one channel. pending → sending (claimed, lease) → delivered | pending (retry) | dead. */
export const outboxDeliveries = pgTable(
  'outbox_deliveries',
  {
    schoolId: hotSchoolId(),
    id: uuid('id').notNull(),
    notificationId: uuid('notification_id').notNull(),
    channel: text('channel').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAt: ts('next_at').notNull().defaultNow(),
    /** while `sending`: the claim expires then (a crashed worker's row becomes due again) */
    leaseUntil: ts('lease_until'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.notificationId], foreignColumns: [notifications.schoolId, notifications.id] }).onDelete('cascade'),
    index('outbox_deliveries_due_idx').on(t.status, t.nextAt),
    index('outbox_deliveries_school_idx').on(t.schoolId, t.createdAt),
    check('outbox_deliveries_status_ck', sql`${t.status} IN ('pending','sending','delivered','dead')`),
  ],
);
