/** The in-app inbox: one's own notifications in the active school, the unread count, marking read. */
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { notifications } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { audit } from '../audit/service';

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  const mine = (accountId: string, schoolId: string) => and(eq(notifications.schoolId, schoolId), eq(notifications.accountId, accountId));

  app.get(
    '/notifications',
    {
      config: { policy: allow('notification.read') },
      schema: {
        tags: ['notifications'],
        summary: '我的通知与未读数',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [items, [{ unread }]] = await Promise.all([
        db
          .select({
            id: notifications.id,
            kind: notifications.kind,
            title: notifications.title,
            body: notifications.body,
            link: notifications.link,
            createdAt: notifications.createdAt,
            readAt: notifications.readAt,
          })
          .from(notifications)
          .where(mine(actor.accountId, schoolId))
          .orderBy(desc(notifications.createdAt))
          .limit(req.query.limit),
        db
          .select({ unread: count() })
          .from(notifications)
          .where(and(mine(actor.accountId, schoolId), isNull(notifications.readAt))),
      ]);
      return { items, unread: Number(unread) };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { policy: allow('notification.read') },
      schema: { tags: ['notifications'], summary: '标记已读', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [n] = await tx
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(mine(actor.accountId, schoolId), eq(notifications.id, req.params.id)))
          .returning({ id: notifications.id, readAt: notifications.readAt });
        if (!n) throw notFound('通知');
        await audit(tx, actor, schoolId, { action: 'notification.read', entity: 'notification', entityId: n.id });
        return n;
      });
    },
  );

  app.post(
    '/notifications/read-all',
    { config: { policy: allow('notification.read') }, schema: { tags: ['notifications'], summary: '全部标记已读' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(mine(actor.accountId, schoolId), isNull(notifications.readAt)))
          .returning({ id: notifications.id });
        if (rows.length)
          await audit(tx, actor, schoolId, { action: 'notification.read_all', entity: 'notification', detail: { count: rows.length } });
        return { marked: rows.length };
      });
    },
  );
};
