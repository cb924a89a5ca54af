/**
 * The district bureau's filing (审核备案): the queue of its schools' submitted plans, a submitted
 * snapshot with its findings, and the decision — file it, or return it with a comment. A plan of a
 * school in another district answers 404, as if it did not exist.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { returnInput, reviewInput } from '../../../shared/plan-inputs';
import { PLAN_STATUSES } from '../../../shared/plans';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { actorOf } from '../../authz/request';
import type { Db } from '../../db/client';
import { plans, planVersions, schools, terms } from '../../db/schema';
import { forbidden, notFound } from '../../lib/errors';
import { reviewPlan } from './lifecycle';
import { presentTerm, presentVersion, presentVersionHead } from './presenter';

const idParams = z.object({ id: z.uuid() });
const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(100_000) });

function districtOf(actor: Actor): string {
  if (!actor.districtId) throw forbidden('请切换到区教育局身份');
  return actor.districtId;
}

/** The plan, if its school is in the actor's district; otherwise 404. */
async function districtPlan(db: Db, districtId: string, planId: string) {
  const [row] = await db
    .select({ p: plans, school: schools, t: terms })
    .from(plans)
    .innerJoin(schools, eq(schools.id, plans.schoolId))
    .innerJoin(terms, and(eq(terms.schoolId, plans.schoolId), eq(terms.id, plans.termId)))
    .where(and(eq(plans.id, planId), eq(schools.districtId, districtId)));
  if (!row) throw notFound('服务方案');
  return row;
}

const latestVersionSql = sql<number>`(SELECT max(v.version) FROM plan_versions v WHERE v.school_id = ${plans.schoolId} AND v.plan_id = ${plans.id})`;

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/district/plans',
    {
      config: { policy: allow('plan.review') },
      schema: {
        tags: ['district'],
        summary: '本区学校的服务方案（备案队列）',
        querystring: z.object({ status: z.enum(PLAN_STATUSES).optional() }),
      },
    },
    async (req) => {
      const districtId = districtOf(actorOf(req));
      const rows = await db
        .select({ p: plans, school: schools, t: terms, v: planVersions })
        .from(plans)
        .innerJoin(schools, eq(schools.id, plans.schoolId))
        .innerJoin(terms, and(eq(terms.schoolId, plans.schoolId), eq(terms.id, plans.termId)))
        .leftJoin(
          planVersions,
          and(eq(planVersions.schoolId, plans.schoolId), eq(planVersions.planId, plans.id), eq(planVersions.version, latestVersionSql)),
        )
        .where(and(eq(schools.districtId, districtId), req.query.status ? eq(plans.status, req.query.status) : undefined))
        .orderBy(asc(planVersions.submittedAt), asc(schools.name), desc(terms.startsOn));
      return rows.map((r) => ({
        id: r.p.id,
        status: r.p.status,
        version: r.p.version,
        school: { id: r.school.id, name: r.school.name, code: r.school.code },
        term: { id: r.t.id, name: r.t.name, startsOn: r.t.startsOn, endsOn: r.t.endsOn },
        latest: r.v ? presentVersionHead(r.v) : null,
      }));
    },
  );

  app.get(
    '/district/plans/:id',
    { config: { policy: allow('plan.review') }, schema: { tags: ['district'], summary: '学校方案及其版本', params: idParams } },
    async (req) => {
      const districtId = districtOf(actorOf(req));
      const { p, school, t } = await districtPlan(db, districtId, req.params.id);
      const versions = await db
        .select()
        .from(planVersions)
        .where(and(eq(planVersions.schoolId, p.schoolId), eq(planVersions.planId, p.id)))
        .orderBy(desc(planVersions.version));
      return {
        id: p.id,
        status: p.status,
        version: p.version,
        school: { id: school.id, name: school.name, code: school.code },
        term: presentTerm(t),
        versions: versions.map(presentVersionHead),
      };
    },
  );

  app.get(
    '/district/plans/:id/versions/:version',
    {
      config: { policy: allow('plan.review') },
      schema: { tags: ['district'], summary: '提交的方案快照与检查结果', params: versionParams },
    },
    async (req) => {
      const districtId = districtOf(actorOf(req));
      const { p } = await districtPlan(db, districtId, req.params.id);
      const [v] = await db
        .select()
        .from(planVersions)
        .where(and(eq(planVersions.schoolId, p.schoolId), eq(planVersions.planId, p.id), eq(planVersions.version, req.params.version)));
      if (!v) throw notFound('方案版本');
      return presentVersion(v);
    },
  );

  for (const [action, decision, body, summary] of [
    ['file', 'filed', reviewInput, '审核通过，予以备案'],
    ['return', 'returned', returnInput, '退回修改（附意见）'],
  ] as const) {
    app.post(
      `/district/plans/:id/versions/:version/${action}`,
      { config: { policy: allow('plan.review') }, schema: { tags: ['district'], summary, params: versionParams, body } },
      async (req) => {
        const actor = actorOf(req);
        const districtId = districtOf(actor);
        return db.transaction(async (tx) => {
          const { p } = await districtPlan(tx, districtId, req.params.id);
          const v = await reviewPlan(tx, actor, p.schoolId, p.id, req.params.version, decision, req.body.comment);
          return presentVersionHead(v);
        });
      },
    );
  }
};
