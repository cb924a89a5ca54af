/** The office's view of the outbox: channels (settings) and deliveries (pending, delivered, dead) with retry. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { escalateOverdue } from '../carelog/escalation';
import { eventsFor } from '../daily/events';
import { CHANNELS } from './channels';
import { OutboxWorker } from './worker';

const KINDS = ['webhook', 'email', 'sms', 'wechat'] as const;
const STATUSES = ['pending', 'sending', 'delivered', 'dead'] as const;

interface ChannelRow {
  kind: string;
  enabled: boolean;
  config: Record<string, unknown>;
  maxAttempts: number;
  updatedAt: string;
}

/** Settings never shown back to the page (only whether they are set), and kept when saved empty. */
const HIDDEN = ['secret', 'pass'];
const hide = (config: Record<string, unknown>) => Object.fromEntries(Object.entries(config).filter(([k]) => !HIDDEN.includes(k)));

function presentChannel(kind: string, row: ChannelRow | undefined) {
  const config = (row?.config ?? {}) as Record<string, unknown>;
  const secret = HIDDEN.map((k) => config[k]).find((v) => typeof v === 'string' && v.length > 0);
  const rest = hide(config);
  return {
    kind,
    available: kind in CHANNELS,
    enabled: row?.enabled ?? false,
    config: rest,
    secretSet: typeof secret === 'string' && secret.length > 0,
    maxAttempts: row?.maxAttempts ?? 6,
    updatedAt: row?.updatedAt ?? null,
  };
}

export const outboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const events = eventsFor(app.deps);
  // the worker's tick also escalates overdue incidents and tells the duty consoles
  const escalate = async (d: typeof db) => {
    for (const e of await escalateOverdue(d)) events.publish({ schoolId: e.schoolId, day: e.day, kind: 'incident' });
  };
  const worker = new OutboxWorker(db, app.deps.outbox, [escalate]);
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', () => worker.stop());

  app.get(
    '/outbox/channels',
    { config: { policy: allow('outbox.read') }, schema: { tags: ['outbox'], summary: '通知外发渠道设置' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const rows = await queryRows<ChannelRow>(
        db,
        sql`SELECT kind, enabled, config, max_attempts AS "maxAttempts", updated_at AS "updatedAt" FROM outbox_channels WHERE school_id = ${schoolId}`,
      );
      return {
        channels: KINDS.map((k) =>
          presentChannel(
            k,
            rows.find((r) => r.kind === k),
          ),
        ),
      };
    },
  );

  app.put(
    '/outbox/channels/:kind',
    {
      config: { policy: allow('outbox.write') },
      schema: {
        tags: ['outbox'],
        summary: '保存一个外发渠道（webhook 等）',
        params: z.object({ kind: z.enum(KINDS) }),
        body: z
          .object({
            enabled: z.boolean(),
            maxAttempts: z.number().int().min(1).max(20).default(6),
            config: z.record(z.string(), z.unknown()).default({}),
          })
          .strict(),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const channel = CHANNELS[req.params.kind];
      if (!channel) throw new AppError(422, 'CHANNEL_NOT_AVAILABLE', '该渠道尚未接入（短信、微信模板消息见 README“通知外发渠道”）');
      const [prev] = await queryRows<{ config: Record<string, unknown> }>(
        db,
        sql`SELECT config FROM outbox_channels WHERE school_id = ${schoolId} AND kind = ${req.params.kind}`,
      );
      // an empty secret keeps the one saved before (the page never sees it)
      const merged = { ...req.body.config };
      for (const k of HIDDEN) if (!merged[k] && prev?.config[k]) merged[k] = prev.config[k];
      const parsed = channel.config.safeParse(merged);
      if (!parsed.success)
        throw new AppError(400, 'VALIDATION', parsed.error.issues[0]?.message ?? '设置不正确', { issues: parsed.error.issues });
      const row = await db.transaction(async (tx) => {
        const [r] = await queryRows<ChannelRow>(
          tx,
          sql`INSERT INTO outbox_channels (school_id, kind, enabled, config, max_attempts)
              VALUES (${schoolId}, ${req.params.kind}, ${req.body.enabled}, ${JSON.stringify(parsed.data)}::jsonb, ${req.body.maxAttempts})
              ON CONFLICT (school_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled, config = EXCLUDED.config, max_attempts = EXCLUDED.max_attempts, updated_at = now()
              RETURNING kind, enabled, config, max_attempts AS "maxAttempts", updated_at AS "updatedAt"`,
        );
        const shown = hide(parsed.data as Record<string, unknown>);
        await audit(tx, actor, schoolId, {
          action: 'outbox.channel.save',
          entity: 'outbox_channel',
          entityId: req.params.kind,
          detail: { enabled: req.body.enabled, maxAttempts: req.body.maxAttempts, config: shown },
        });
        return r;
      });
      return presentChannel(req.params.kind, row);
    },
  );

  app.get(
    '/outbox/deliveries',
    {
      config: { policy: allow('outbox.read') },
      schema: {
        tags: ['outbox'],
        summary: '外发记录（待发、已送达、失败）',
        querystring: z.object({
          status: z.enum(STATUSES).optional(),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const { status, page, pageSize } = req.query;
      const where = sql`d.school_id = ${schoolId} ${status ? sql`AND d.status = ${status}` : sql``}`;
      const items = await queryRows(
        db,
        sql`SELECT d.id, d.channel, d.status, d.attempts, d.next_at AS "nextAt", d.last_error AS "lastError", d.delivered_at AS "deliveredAt",
                   d.created_at AS "createdAt", n.kind, n.title, a.display_name AS "recipientName"
              FROM outbox_deliveries d JOIN notifications n ON n.school_id = d.school_id AND n.id = d.notification_id
              JOIN accounts a ON a.id = n.account_id
             WHERE ${where}
             ORDER BY d.created_at DESC, d.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      );
      const counts = await queryRows<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM outbox_deliveries WHERE school_id = ${schoolId} GROUP BY status`,
      );
      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0]));
      return { items, page, pageSize, total: status ? byStatus[status] : counts.reduce((a, c) => a + c.n, 0), counts: byStatus };
    },
  );

  app.post(
    '/outbox/deliveries/:id/retry',
    {
      config: { policy: allow('outbox.write') },
      schema: { tags: ['outbox'], summary: '立即重试一条外发', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [d] = await queryRows<{ id: string; status: string; attempts: number }>(
          tx,
          sql`SELECT id, status, attempts FROM outbox_deliveries WHERE school_id = ${schoolId} AND id = ${req.params.id} FOR UPDATE`,
        );
        if (!d) throw notFound('外发记录');
        if (d.status === 'delivered' || d.status === 'sending')
          throw new AppError(409, 'NOT_RETRYABLE', d.status === 'delivered' ? '已送达，无需重试' : '正在发送，请稍后再看');
        // a dead delivery gets a fresh set of attempts
        await tx.execute(sql`UPDATE outbox_deliveries SET status = 'pending', next_at = now(), attempts = 0
                              WHERE school_id = ${schoolId} AND id = ${d.id}`);
        await audit(tx, actor, schoolId, {
          action: 'outbox.retry',
          entity: 'outbox_delivery',
          entityId: d.id,
          detail: { from: d.status, attempts: d.attempts },
        });
        return { id: d.id, status: 'pending' };
      });
    },
  );
};
