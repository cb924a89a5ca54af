/**
 * The service plan of a term (一校一案): create (empty with the seed's slot times, or copied from an
 * earlier plan), read with its live compliance findings, edit texts, settings and slot times.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { planCreateInput, planPatchInput, slotsInput } from '../../../shared/plan-inputs';
import { planSettingsSchema } from '../../../shared/plans';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { blocking, checkPlan, RULE_CATALOGUE } from '../../compliance';
import type { Db } from '../../db/client';
import { offerings, planSlots, plans, planVersions, terms } from '../../db/schema';
import { conflict, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { ensureDraft } from './lifecycle';
import { presentPlanHead, presentTerm, presentVersionHead } from './presenter';
import { loadPlanState, type PlanRow, planOf } from './snapshot';

const idParams = z.object({ id: z.uuid() });

/** The seed's times (篇二): morning extension to 11:50, lunch and noon care, the afternoon to 18:00
 * (summer) or 17:40 (winter) with grades 1–2 twenty minutes earlier. */
export const DEFAULT_SLOTS = [
  { slot: 'morning', season: 'summer', gradeBand: 'all', startTime: '11:20', endTime: '11:50' },
  { slot: 'morning', season: 'winter', gradeBand: 'all', startTime: '11:20', endTime: '11:50' },
  { slot: 'noon', season: 'summer', gradeBand: 'all', startTime: '11:50', endTime: '13:30' },
  { slot: 'noon', season: 'winter', gradeBand: 'all', startTime: '11:50', endTime: '13:30' },
  { slot: 'afternoon', season: 'summer', gradeBand: 'low', startTime: '15:30', endTime: '17:40' },
  { slot: 'afternoon', season: 'summer', gradeBand: 'high', startTime: '15:50', endTime: '18:00' },
  { slot: 'afternoon', season: 'winter', gradeBand: 'low', startTime: '15:10', endTime: '17:20' },
  { slot: 'afternoon', season: 'winter', gradeBand: 'high', startTime: '15:30', endTime: '17:40' },
] as const;

/** The plan as the office edits it: working state, live findings, version history. */
export async function planView(db: Db, schoolId: string, p: PlanRow) {
  const state = await loadPlanState(db, schoolId, p);
  const findings = checkPlan(state.check);
  const versions = await db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.schoolId, schoolId), eq(planVersions.planId, p.id)))
    .orderBy(desc(planVersions.version));
  const published = versions.find((v) => v.status === 'published');
  const current = versions.find((v) => v.version === p.version);
  return {
    ...presentPlanHead(p),
    settings: state.snapshot.plan.settings,
    term: state.snapshot.term,
    slots: state.snapshot.slots,
    offerings: state.snapshot.offerings,
    findings,
    blocking: blocking(findings).length,
    canSubmit: (p.status === 'draft' || p.status === 'returned') && blocking(findings).length === 0,
    canPublish: p.status === 'filed' && current?.status === 'filed',
    reviewComment: current?.reviewComment ?? '',
    published: published ? { version: published.version, publishedAt: published.publishedAt?.toISOString() ?? null } : null,
    versions: versions.map(presentVersionHead),
  };
}

async function termOf(db: Db, schoolId: string, id: string) {
  const [t] = await db
    .select()
    .from(terms)
    .where(and(eq(terms.schoolId, schoolId), eq(terms.id, id)));
  if (!t) throw notFound('学期');
  return t;
}

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/plans/rules',
    { config: { policy: allow('plan.read') }, schema: { tags: ['plans'], summary: '合规规则目录' } },
    async () => RULE_CATALOGUE,
  );

  app.get('/plans', { config: { policy: allow('plan.read') }, schema: { tags: ['plans'], summary: '各学期的服务方案' } }, async (req) => {
    const { schoolId } = schoolActor(req);
    const rows = await db
      .select({ p: plans, t: terms })
      .from(plans)
      .innerJoin(terms, and(eq(terms.schoolId, plans.schoolId), eq(terms.id, plans.termId)))
      .where(eq(plans.schoolId, schoolId))
      .orderBy(desc(terms.startsOn));
    return rows.map((r) => ({ ...presentPlanHead(r.p), term: presentTerm(r.t) }));
  });

  app.post(
    '/plans',
    { config: { policy: allow('plan.write') }, schema: { tags: ['plans'], summary: '新建学期服务方案', body: planCreateInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const term = await termOf(tx, schoolId, req.body.termId);
        const [exists] = await tx
          .select({ id: plans.id })
          .from(plans)
          .where(and(eq(plans.schoolId, schoolId), eq(plans.termId, term.id)));
        if (exists) throw conflict('PLAN_EXISTS', '该学期已有服务方案（一校一案）');
        const from = req.body.copyFromPlanId ? await planOf(tx, schoolId, req.body.copyFromPlanId) : null;
        const id = newId();
        const [p] = await tx
          .insert(plans)
          .values({
            schoolId,
            id,
            termId: term.id,
            safetyMeasures: from?.safetyMeasures ?? '',
            complaintPhone: from?.complaintPhone ?? '',
            complaintChannel: from?.complaintChannel ?? '',
            feeBasis: from?.feeBasis ?? '',
            settings: planSettingsSchema.parse(from?.settings ?? {}),
          })
          .returning();
        if (from) {
          const slots = await tx
            .select()
            .from(planSlots)
            .where(and(eq(planSlots.schoolId, schoolId), eq(planSlots.planId, from.id)));
          if (slots.length) await tx.insert(planSlots).values(slots.map((s) => ({ ...s, planId: id })));
          const olds = await tx
            .select()
            .from(offerings)
            .where(and(eq(offerings.schoolId, schoolId), eq(offerings.planId, from.id), eq(offerings.active, true)))
            .orderBy(asc(offerings.createdAt));
          // opening times belonged to the earlier term's window
          for (const o of olds) await tx.insert(offerings).values({ ...o, id: newId(), planId: id, opensAt: null, createdAt: new Date() });
        } else {
          await tx.insert(planSlots).values(DEFAULT_SLOTS.map((s) => ({ ...s, schoolId, planId: id })));
        }
        await audit(tx, actor, schoolId, {
          action: 'plan.create',
          entity: 'plan',
          entityId: id,
          detail: { term: term.name, copyFrom: from?.id ?? null },
        });
        return planView(tx, schoolId, p);
      });
    },
  );

  app.get(
    '/plans/:id',
    { config: { policy: allow('plan.read') }, schema: { tags: ['plans'], summary: '服务方案（含合规检查）', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return planView(db, schoolId, await planOf(db, schoolId, req.params.id));
    },
  );

  app.get(
    '/plans/:id/check',
    { config: { policy: allow('plan.read') }, schema: { tags: ['plans'], summary: '合规检查', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const state = await loadPlanState(db, schoolId, await planOf(db, schoolId, req.params.id));
      const findings = checkPlan(state.check);
      return { findings, blocking: blocking(findings).length };
    },
  );

  app.patch(
    '/plans/:id',
    {
      config: { policy: allow('plan.write') },
      schema: { tags: ['plans'], summary: '修改安全措施、投诉渠道、收费依据和设置', params: idParams, body: planPatchInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const p = await ensureDraft(tx, actor, schoolId, req.params.id);
        const { settings, ...texts } = req.body;
        const merged = settings ? planSettingsSchema.parse({ ...planSettingsSchema.parse(p.settings ?? {}), ...settings }) : undefined;
        const [u] = await tx
          .update(plans)
          .set({ ...texts, ...(merged ? { settings: merged } : {}), updatedAt: new Date() })
          .where(and(eq(plans.schoolId, schoolId), eq(plans.id, p.id)))
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'plan.update',
          entity: 'plan',
          entityId: p.id,
          detail: { fields: Object.keys(req.body), settings: settings ? Object.keys(settings) : [] },
        });
        return planView(tx, schoolId, u);
      });
    },
  );

  app.put(
    '/plans/:id/slots',
    {
      config: { policy: allow('plan.write') },
      schema: { tags: ['plans'], summary: '设置各时段的时间（按季节和年级段）', params: idParams, body: slotsInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const p = await ensureDraft(tx, actor, schoolId, req.params.id);
        await tx.delete(planSlots).where(and(eq(planSlots.schoolId, schoolId), eq(planSlots.planId, p.id)));
        if (req.body.slots.length) await tx.insert(planSlots).values(req.body.slots.map((s) => ({ ...s, schoolId, planId: p.id })));
        await audit(tx, actor, schoolId, {
          action: 'plan.slots',
          entity: 'plan',
          entityId: p.id,
          detail: { slots: req.body.slots.length },
        });
        return planView(tx, schoolId, p);
      });
    },
  );
};
