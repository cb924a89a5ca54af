/**
 * The plan's offerings: regular care (普通托管) and clubs (特长社团), each with its slot, grades,
 * weekdays, capacity, venue, teacher or provider, fee and allocation mode. Any edit makes the plan
 * a draft (a published plan starts its next version; the published one stays public).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type OfferingInput, offeringInput, offeringProblem } from '../../../shared/plan-inputs';
import { patchOf } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { offerings, planVersions, staff, venues } from '../../db/schema';
import { badRequest, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { ensureDraft } from './lifecycle';
import { presentOffering } from './presenter';

const planParams = z.object({ id: z.uuid() });
const offeringParams = z.object({ id: z.uuid(), offeringId: z.uuid() });

/** The venue and teacher named must be this school's (another school's id is a 404, as if missing). */
async function checkRefs(db: Db, schoolId: string, o: Partial<Pick<OfferingInput, 'venueId' | 'teacherStaffId'>>) {
  if (o.venueId) {
    const [v] = await db
      .select({ id: venues.id })
      .from(venues)
      .where(and(eq(venues.schoolId, schoolId), eq(venues.id, o.venueId)));
    if (!v) throw notFound('场地');
  }
  if (o.teacherStaffId) {
    const [s] = await db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.schoolId, schoolId), eq(staff.id, o.teacherStaffId)));
    if (!s) throw notFound('教师');
  }
}

function consistent(o: Parameters<typeof offeringProblem>[0]) {
  const problem = offeringProblem(o);
  if (problem) throw badRequest('OFFERING_INVALID', problem.message, [problem]);
}

const toRow = (b: Partial<OfferingInput>) => ({
  ...b,
  opensAt: b.opensAt === undefined ? undefined : b.opensAt ? new Date(b.opensAt) : null,
  weekdays: b.weekdays ? [...b.weekdays].sort((x, y) => x - y) : undefined,
});

async function offeringOf(db: Db, schoolId: string, planId: string, id: string) {
  const [o] = await db
    .select()
    .from(offerings)
    .where(and(eq(offerings.schoolId, schoolId), eq(offerings.planId, planId), eq(offerings.id, id), eq(offerings.active, true)));
  if (!o) throw notFound('服务项目');
  return o;
}

export const offeringRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.post(
    '/plans/:id/offerings',
    {
      config: { policy: allow('plan.write') },
      schema: { tags: ['plans'], summary: '新增服务项目', params: planParams, body: offeringInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      consistent(req.body);
      return db.transaction(async (tx) => {
        const p = await ensureDraft(tx, actor, schoolId, req.params.id);
        await checkRefs(tx, schoolId, req.body);
        const [o] = await tx
          .insert(offerings)
          .values({ ...req.body, ...toRow(req.body), schoolId, id: newId(), planId: p.id } as typeof offerings.$inferInsert)
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'offering.create',
          entity: 'offering',
          entityId: o.id,
          detail: { name: o.name, plan: p.id },
        });
        return presentOffering(o);
      });
    },
  );

  app.patch(
    '/plans/:id/offerings/:offeringId',
    {
      config: { policy: allow('plan.write') },
      schema: { tags: ['plans'], summary: '修改服务项目', params: offeringParams, body: patchOf(offeringInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const p = await ensureDraft(tx, actor, schoolId, req.params.id);
        const old = presentOffering(await offeringOf(tx, schoolId, p.id, req.params.offeringId));
        const patch = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined)) as Partial<OfferingInput>;
        consistent({ ...old, ...patch });
        await checkRefs(tx, schoolId, patch);
        const [o] = await tx
          .update(offerings)
          .set(toRow(patch) as Partial<typeof offerings.$inferInsert>)
          .where(and(eq(offerings.schoolId, schoolId), eq(offerings.id, old.id)))
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'offering.update',
          entity: 'offering',
          entityId: o.id,
          detail: { fields: Object.keys(patch) },
        });
        return presentOffering(o);
      });
    },
  );

  app.delete(
    '/plans/:id/offerings/:offeringId',
    { config: { policy: allow('plan.write') }, schema: { tags: ['plans'], summary: '删除服务项目', params: offeringParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const p = await ensureDraft(tx, actor, schoolId, req.params.id);
        const o = await offeringOf(tx, schoolId, p.id, req.params.offeringId);
        // An offering that an earlier version carried (published, or on file) is kept, inactive:
        // that version's snapshot, seats and enrolments still point at it.
        const [inHistory] = await tx
          .select({ v: planVersions.version })
          .from(planVersions)
          .where(
            and(
              eq(planVersions.schoolId, schoolId),
              eq(planVersions.planId, p.id),
              sql`${planVersions.snapshot}->'offerings' @> ${JSON.stringify([{ id: o.id }])}::jsonb`,
            ),
          )
          .limit(1);
        if (inHistory) {
          await tx
            .update(offerings)
            .set({ active: false })
            .where(and(eq(offerings.schoolId, schoolId), eq(offerings.id, o.id)));
        } else {
          await tx.delete(offerings).where(and(eq(offerings.schoolId, schoolId), eq(offerings.id, o.id)));
        }
        await audit(tx, actor, schoolId, {
          action: 'offering.delete',
          entity: 'offering',
          entityId: o.id,
          detail: { name: o.name, kept: !!inHistory },
        });
        return { ok: true };
      });
    },
  );
};
