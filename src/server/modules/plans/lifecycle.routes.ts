/** The office's side of the state machine: submit to the district, publish a filed version, history. */
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { planVersions } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { publishPlan, submitPlan } from './lifecycle';
import { planView } from './plan.routes';
import { presentVersion, presentVersionHead } from './presenter';
import { planOf } from './snapshot';

const idParams = z.object({ id: z.uuid() });
const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(100_000) });

export const lifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.post(
    '/plans/:id/submit',
    { config: { policy: allow('plan.submit') }, schema: { tags: ['plans'], summary: '提交区教育局备案', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const v = await submitPlan(tx, actor, schoolId, req.params.id);
        return { version: presentVersionHead(v), plan: await planView(tx, schoolId, await planOf(tx, schoolId, req.params.id)) };
      });
    },
  );

  app.post(
    '/plans/:id/publish',
    { config: { policy: allow('plan.submit') }, schema: { tags: ['plans'], summary: '向家长公示已备案的方案', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const v = await publishPlan(tx, actor, schoolId, req.params.id);
        return { version: presentVersionHead(v), plan: await planView(tx, schoolId, await planOf(tx, schoolId, req.params.id)) };
      });
    },
  );

  app.get(
    '/plans/:id/versions',
    { config: { policy: allow('plan.read') }, schema: { tags: ['plans'], summary: '方案的历史版本', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const p = await planOf(db, schoolId, req.params.id);
      const rows = await db
        .select()
        .from(planVersions)
        .where(and(eq(planVersions.schoolId, schoolId), eq(planVersions.planId, p.id)))
        .orderBy(desc(planVersions.version));
      return rows.map(presentVersionHead);
    },
  );

  app.get(
    '/plans/:id/versions/:version',
    { config: { policy: allow('plan.read') }, schema: { tags: ['plans'], summary: '某一版本的快照与检查结果', params: versionParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const p = await planOf(db, schoolId, req.params.id);
      const [v] = await db
        .select()
        .from(planVersions)
        .where(and(eq(planVersions.schoolId, schoolId), eq(planVersions.planId, p.id), eq(planVersions.version, req.params.version)));
      if (!v) throw notFound('方案版本');
      return presentVersion(v);
    },
  );
};
