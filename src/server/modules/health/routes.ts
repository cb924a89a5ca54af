import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allowPublic } from '../../authz/policy';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { config: { policy: allowPublic }, schema: { tags: ['ops'], summary: '健康检查' } }, async (_req, reply) => {
    const { database } = app.deps;
    try {
      await database.db.execute(sql`SELECT 1`);
      return { status: 'ok', db: database.kind };
    } catch {
      return reply.code(503).send({ status: 'down', db: database.kind, code: 'DB_DOWN', message: '数据库不可用' });
    }
  });
};
