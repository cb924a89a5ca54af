/**
 * Live updates of the afternoon: after each committed write a small "changed" event goes to every
 * open event stream of the school. In-process through an EventEmitter; with PostgreSQL also through
 * LISTEN/NOTIFY on one pooled connection, so several processes behind a load balancer share them.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export interface DailyEvent {
  schoolId: string;
  day: string;
  kind: string;
  groupId?: string;
}

/** checked-release.ts names it in its statement too */
export const CHANNEL = 'kehou_daily';

export class DailyEvents {
  readonly bus = new EventEmitter();
  private readonly origin = randomUUID();
  private listener: pg.PoolClient | null = null;
  /** apps sharing this database that started the listener; the last to stop releases it */
  private users = 0;
  private starting: Promise<void> | null = null;

  constructor(private readonly pool?: pg.Pool) {
    this.bus.setMaxListeners(0);
  }

  async start() {
    this.users++;
    if (!this.pool || this.listener) return;
    this.starting ??= this.listen();
    await this.starting;
  }

  private async listen() {
    if (!this.pool) return;
    try {
      const client = await this.pool.connect();
      client.on('notification', (msg) => {
        if (msg.channel !== CHANNEL || !msg.payload) return;
        try {
          const { origin, event } = JSON.parse(msg.payload) as { origin: string; event: DailyEvent };
          if (origin !== this.origin) this.bus.emit('changed', event);
        } catch {
          /* a malformed payload is ignored */
        }
      });
      client.on('error', () => {});
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
    } catch {
      this.listener = null;
    }
  }

  async stop() {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    await this.starting?.catch(() => {});
    this.starting = null;
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
      this.listener.release();
      this.listener = null;
    }
  }

  /** Call after the write's transaction committed. */
  publish(event: DailyEvent) {
    this.emitLocal(event);
    const payload = this.payloadOf(event);
    if (this.pool && payload) this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch(() => {});
  }

  /**
   * For a write that sends its own `pg_notify(CHANNEL, payload)` inside its statement (delivered at
   * commit, one round trip fewer): the payload, or null where no other process listens (embedded).
   */
  payloadOf(event: DailyEvent): string | null {
    return this.pool ? JSON.stringify({ origin: this.origin, event }) : null;
  }

  /** This process's streams; other processes hear the write's own NOTIFY. */
  emitLocal(event: DailyEvent) {
    this.bus.emit('changed', event);
  }

  subscribe(schoolId: string, fn: (e: DailyEvent) => void): () => void {
    const h = (e: DailyEvent) => {
      if (e.schoolId === schoolId) fn(e);
    };
    this.bus.on('changed', h);
    return () => this.bus.off('changed', h);
  }
}

const registry = new WeakMap<object, DailyEvents>();
/** One DailyEvents per database (= per app instance). */
export function eventsFor(deps: { database: { pool?: pg.Pool } }): DailyEvents {
  let e = registry.get(deps.database);
  if (!e) {
    e = new DailyEvents(deps.database.pool);
    registry.set(deps.database, e);
  }
  return e;
}
