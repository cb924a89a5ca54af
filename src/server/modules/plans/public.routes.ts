/**
 * The published plan (公示), without login: the latest published version of a school's plan for the
 * current (or next, else the most recent) term, or
 * of the term asked for. Only the published snapshot: no pupil data.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { schoolDays, schoolDaySummary } from '../../../shared/calendar';
import type { PlanSnapshot } from '../../../shared/plan-inputs';
import { allowPublic } from '../../authz/policy';
import { planVersions, plans, schools, termDays, terms } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { todayInShanghai } from './snapshot';

// School codes are matched without regard to case: a link typed in lower case still works.
const codeParams = z.object({ schoolCode: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/, '学校代码格式有误') });

export const publicPlanRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/public/plans/:schoolCode',
    {
      config: { policy: allowPublic },
      schema: {
        tags: ['public'],
        summary: '学校公示的课后服务方案（无需登录）',
        params: codeParams,
        querystring: z.object({ termId: z.uuid().optional() }),
      },
    },
    async (req, reply) => {
      const [school] = await db
        .select({ id: schools.id })
        .from(schools)
        .where(sql`upper(${schools.code}) = ${req.params.schoolCode.toUpperCase()}`);
      if (!school) throw notFound('学校');
      const rows = await db
        .select({ v: planVersions, t: terms })
        .from(planVersions)
        .innerJoin(plans, and(eq(plans.schoolId, planVersions.schoolId), eq(plans.id, planVersions.planId)))
        .innerJoin(terms, and(eq(terms.schoolId, plans.schoolId), eq(terms.id, plans.termId)))
        .where(and(eq(planVersions.schoolId, school.id), eq(planVersions.status, 'published')))
        .orderBy(desc(planVersions.version));
      if (rows.length === 0) throw notFound('已公示的服务方案');
      // one row per term: its latest published version
      const byTerm = new Map<string, (typeof rows)[number]>();
      for (const r of rows) if (!byTerm.has(r.t.id)) byTerm.set(r.t.id, r);
      const today = todayInShanghai();
      const candidates = [...byTerm.values()];
      if (req.query.termId && !byTerm.has(req.query.termId)) throw notFound('已公示的服务方案');
      const pinned = req.query.termId ? byTerm.get(req.query.termId) : undefined;
      const current = candidates.filter((r) => r.t.endsOn >= today).sort((a, b) => (a.t.startsOn < b.t.startsOn ? -1 : 1))[0];
      const chosen = pinned ?? current ?? candidates.sort((a, b) => (a.t.endsOn > b.t.endsOn ? -1 : 1))[0];
      const snapshot = chosen.v.snapshot as PlanSnapshot;
      const days = await db
        .select()
        .from(termDays)
        .where(and(eq(termDays.schoolId, school.id), eq(termDays.termId, chosen.t.id)));
      reply.header('cache-control', 'public, max-age=60');
      return {
        version: chosen.v.version,
        publishedAt: chosen.v.publishedAt?.toISOString() ?? null,
        filedAt: chosen.v.reviewedAt?.toISOString() ?? null,
        calendar: {
          exceptions: days
            .map((d) => ({ day: d.day, kind: d.kind, asWeekday: d.asWeekday, note: d.note }))
            .sort((a, b) => (a.day < b.day ? -1 : 1)),
          summary: schoolDaySummary(schoolDays(snapshot.term, days)),
        },
        snapshot,
      };
    },
  );
};
