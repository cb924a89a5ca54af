/**
 * Live updates of the afternoon: after each committed write a small "changed" event goes to every
 * open event stream of the school. In-process through an EventEmitter at once; with PostgreSQL also
 * through LISTEN/NOTIFY on one pooled connection, so several processes behind a load balancer share
 * them. The other processes hear them coalesced: the distinct events of a short window (FLUSH_MS) in
 * one NOTIFY. An event means "this group changed, fetch it again", so two releases in one group are
 * one event; at the 17:30 pick-up burst a NOTIFY per release was a sixth of the database's CPU per
 * release (bench pickup-peak). A process that dies inside the window loses only those hints: the
 * pages refetch when their stream reconnects.
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

export const CHANNEL = 'kehou_daily';
/** how long other processes may hear a change late */
export const FLUSH_MS = 50;
/** NOTIFY's payload must stay under 8000 bytes */
const MAX_PAYLOAD = 7000;

export class DailyEvents {
  readonly bus = new EventEmitter();
  private readonly origin = randomUUID();
  private listener: pg.PoolClient | null = null;
  /** apps sharing this database that started the listener; the last to stop releases it */
  private users = 0;
  private starting: Promise<void> | null = null;
  /** events not yet sent to the other processes, by what they name */
  private pending = new Map<string, DailyEvent>();
  private timer: NodeJS.Timeout | null = null;

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
          const { origin, events } = JSON.parse(msg.payload) as { origin: string; events: DailyEvent[] };
          if (origin === this.origin || !Array.isArray(events)) return;
          for (const event of events) this.bus.emit('changed', event);
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
    await this.flush();
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
    this.bus.emit('changed', event);
    if (!this.pool) return;
    this.pending.set(`${event.schoolId}|${event.day}|${event.kind}|${event.groupId ?? ''}`, event);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Sends the window's events to the other processes, as few NOTIFYs as fit them. */
  async flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pool || this.pending.size === 0) return;
    const events = [...this.pending.values()];
    this.pending.clear();
    for (const payload of payloadsOf(this.origin, events)) {
      await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch(() => {});
    }
  }

  subscribe(schoolId: string, fn: (e: DailyEvent) => void): () => void {
    const h = (e: DailyEvent) => {
      if (e.schoolId === schoolId) fn(e);
    };
    this.bus.on('changed', h);
    return () => this.bus.off('changed', h);
  }
}

/** The events in payloads under NOTIFY's limit (an event is ~150 bytes). */
export function payloadsOf(origin: string, events: DailyEvent[]): string[] {
  const out: string[] = [];
  let batch: DailyEvent[] = [];
  let size = 0;
  for (const e of events) {
    const n = JSON.stringify(e).length + 1;
    if (batch.length > 0 && size + n > MAX_PAYLOAD) {
      out.push(JSON.stringify({ origin, events: batch }));
      batch = [];
      size = 0;
    }
    batch.push(e);
    size += n;
  }
  if (batch.length > 0) out.push(JSON.stringify({ origin, events: batch }));
  return out;
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
