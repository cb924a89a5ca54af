import { and, count, desc, eq, ilike } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateString, pageQuery } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { auditLog } from '../../db/schema';
import { sql } from 'drizzle-orm';

const query = pageQuery.extend({
  action: z.string().max(50).optional(),
  entityId: z.string().max(64).optional(),
  actor: z.string().max(40).optional(),
  from: dateString.optional(),
  to: dateString.optional(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;
  app.get(
    '/audit',
    { config: { policy: allow('audit.read') }, schema: { tags: ['audit'], summary: '审计日志', querystring: query } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const q = req.query;
      const where = and(
        eq(auditLog.schoolId, schoolId),
        q.action ? eq(auditLog.action, q.action) : undefined,
        q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
        q.actor ? ilike(auditLog.actorName, `%${q.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
        q.from ? sql`${auditLog.at} >= (${q.from}::date AT TIME ZONE 'Asia/Shanghai')` : undefined,
        q.to ? sql`${auditLog.at} < ((${q.to}::date + 1) AT TIME ZONE 'Asia/Shanghai')` : undefined,
      );
      const [rows, [{ total }]] = await Promise.all([
        db
          .select()
          .from(auditLog)
          .where(where)
          .orderBy(desc(auditLog.at))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ total: count() }).from(auditLog).where(where),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorName: r.actorName,
          role: r.role,
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          ip: r.ip,
          detail: r.detail,
        })),
        total: Number(total),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );
};
