/**
 * The outbox worker, one per server process. Each tick claims due deliveries with
 * `FOR UPDATE SKIP LOCKED` (several processes on one PostgreSQL never claim the same row), marks them
 * `sending` with a lease, commits, sends outside any transaction, then records the result: delivered,
 * or back to pending with exponential backoff, or dead after the channel's attempt limit. A worker
 * that dies mid-send leaves a `sending` row whose lease expires; it is then claimed again, so a
 * receiver may see a delivery twice only after a crash: it carries its id (X-Kehou-Delivery) to dedupe.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { backoffMs } from './backoff';
import { CHANNELS, type Channel, type Delivery } from './channels';

export interface OutboxOptions {
  /** no worker in this process (tests drive `tick()` themselves) */
  disabled?: boolean;
  /** how often to look for due deliveries */
  pollMs?: number;
  /** first retry delay; doubles per attempt */
  baseDelayMs?: number;
  /** rows claimed per tick */
  batch?: number;
  /** how long a claim holds before another worker may take the row */
  leaseMs?: number;
  /** extra channel implementations (tests, adapters) by kind */
  channels?: Record<string, Channel>;
}

/** Periodic checks that run with each tick (the incident escalation). */
export type TickTask = (db: Db) => Promise<void>;

interface Claimed {
  school_id: string;
  id: string;
  channel: string;
  attempts: number;
  max_attempts: number;
  config: Record<string, unknown>;
  notification_id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  payload: Record<string, unknown>;
  created_at: string;
  account_id: string;
  display_name: string;
  phone: string | null;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly opts: OutboxOptions = {},
    private readonly tasks: TickTask[] = [],
  ) {}

  start() {
    if (this.opts.disabled || !this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch(() => {})
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.opts.pollMs ?? 1_000);
    this.timer.unref();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round: periodic tasks, then every due delivery (a batch at a time). Returns how many were tried. */
  async tick(): Promise<number> {
    for (const t of this.tasks) await t(this.db).catch(() => {});
    let tried = 0;
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return tried;
      tried += rows.length;
      await Promise.all(rows.map((r) => this.deliver(r)));
    }
  }

  private async claim(): Promise<Claimed[]> {
    const lease = `${this.opts.leaseMs ?? 60_000} milliseconds`;
    return queryRows<Claimed>(
      this.db,
      sql`WITH due AS (
            SELECT school_id, id FROM outbox_deliveries
             WHERE ((status = 'pending' AND next_at <= now()) OR (status = 'sending' AND lease_until < now()))
               -- a disabled channel's deliveries wait (paused), they are not lost
               AND EXISTS (SELECT 1 FROM outbox_channels c WHERE c.school_id = outbox_deliveries.school_id AND c.kind = outbox_deliveries.channel AND c.enabled)
             ORDER BY next_at LIMIT ${this.opts.batch ?? 20}
             FOR UPDATE SKIP LOCKED)
          UPDATE outbox_deliveries d SET status = 'sending', attempts = d.attempts + 1, lease_until = now() + ${lease}::interval
            FROM due, notifications n, accounts a, outbox_channels c
           WHERE d.school_id = due.school_id AND d.id = due.id
             AND n.school_id = d.school_id AND n.id = d.notification_id AND a.id = n.account_id
             AND c.school_id = d.school_id AND c.kind = d.channel
          RETURNING d.school_id, d.id, d.channel, d.attempts, c.max_attempts, c.config, n.id AS notification_id, n.kind, n.title, n.body,
                    n.link, n.payload, n.created_at::text, a.id AS account_id, a.display_name, a.phone`,
    );
  }

  private async deliver(r: Claimed) {
    const channel = this.opts.channels?.[r.channel] ?? CHANNELS[r.channel];
    const d: Delivery = {
      id: r.id,
      schoolId: r.school_id,
      notificationId: r.notification_id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      link: r.link,
      payload: r.payload,
      createdAt: r.created_at,
      recipient: { accountId: r.account_id, displayName: r.display_name, phone: r.phone },
    };
    let error: string | null = null;
    try {
      if (!channel) throw new Error(`渠道 ${r.channel} 未接入`);
      await channel.send(d, r.config);
    } catch (e) {
      error = (e instanceof Error ? `${e.name === 'TimeoutError' ? '超时 ' : ''}${e.message}` : String(e)).slice(0, 500);
    }
    // guarded by the claim (status and attempt), so a row reclaimed after an expired lease is not overwritten
    if (!error) {
      await this.db.execute(sql`WITH d AS (
          UPDATE outbox_deliveries SET status = 'delivered', delivered_at = now(), lease_until = NULL, last_error = NULL
           WHERE school_id = ${r.school_id} AND id = ${r.id} AND status = 'sending' AND attempts = ${r.attempts} RETURNING notification_id)
        UPDATE notifications SET delivered_at = COALESCE(delivered_at, now()), attempts = attempts + 1
         WHERE school_id = ${r.school_id} AND id IN (SELECT notification_id FROM d)`);
      return;
    }
    const dead = r.attempts >= r.max_attempts;
    const delay = `${backoffMs(r.attempts, this.opts.baseDelayMs)} milliseconds`;
    await this.db.execute(sql`WITH d AS (
        UPDATE outbox_deliveries SET status = ${dead ? 'dead' : 'pending'}, last_error = ${error}, lease_until = NULL,
               next_at = now() + ${delay}::interval
         WHERE school_id = ${r.school_id} AND id = ${r.id} AND status = 'sending' AND attempts = ${r.attempts} RETURNING notification_id)
      UPDATE notifications SET attempts = attempts + 1 WHERE school_id = ${r.school_id} AND id IN (SELECT notification_id FROM d)`);
  }
}
