/** The term: dates, the summer/winter switch, the application window, and its calendar exceptions. */
import { and, asc, desc, eq, gte, lte } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, daysBetween, isoWeekdayOf, schoolDays, schoolDaySummary } from '../../../shared/calendar';
import { termDayInput, termInput } from '../../../shared/plan-inputs';
import { dateString, patchOf } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { plans, termDays, terms } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { presentTerm, presentTermDay } from './presenter';

const idParams = z.object({ id: z.uuid() });
const dayParams = z.object({ id: z.uuid(), day: dateString });

type TermRow = typeof terms.$inferSelect;

async function termOf(db: Db, schoolId: string, id: string, lock = false): Promise<TermRow> {
  const q = db
    .select()
    .from(terms)
    .where(and(eq(terms.schoolId, schoolId), eq(terms.id, id)));
  const [t] = await (lock ? q.for('update') : q);
  if (!t) throw notFound('学期');
  return t;
}

/** Dates and window that make sense together (after a PATCH is merged). */
function termProblem(t: {
  startsOn: string;
  endsOn: string;
  winterFrom: string | null;
  summerFrom: string | null;
  applyOpensAt: string | null;
  applyClosesAt: string | null;
}) {
  if (t.startsOn > t.endsOn) return badRequest('TERM_DATES', '学期结束日期不能早于开始日期');
  if (daysBetween(t.startsOn, t.endsOn) > 220) return badRequest('TERM_DATES', '一个学期不能超过 220 天');
  for (const [k, label] of [
    ['winterFrom', '冬令时开始日期'],
    ['summerFrom', '夏令时开始日期'],
  ] as const) {
    const d = t[k];
    if (d && (d < t.startsOn || d > t.endsOn)) return badRequest('TERM_DATES', `${label}应在学期之内`);
  }
  if ((t.applyOpensAt === null) !== (t.applyClosesAt === null)) return badRequest('TERM_WINDOW', '报名开始和截止时间应同时设置');
  if (t.applyOpensAt && t.applyClosesAt && Date.parse(t.applyOpensAt) >= Date.parse(t.applyClosesAt)) {
    return badRequest('TERM_WINDOW', '报名截止时间应晚于开始时间');
  }
  return null;
}

async function termDetail(db: Db, schoolId: string, t: TermRow) {
  const days = await db
    .select()
    .from(termDays)
    .where(and(eq(termDays.schoolId, schoolId), eq(termDays.termId, t.id)))
    .orderBy(asc(termDays.day));
  const service = schoolDays(t, days);
  return { ...presentTerm(t), days: days.map(presentTermDay), summary: schoolDaySummary(service) };
}

export const termRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get('/terms', { config: { policy: allow('term.read') }, schema: { tags: ['plans'], summary: '学期列表' } }, async (req) => {
    const { schoolId } = schoolActor(req);
    const rows = await db
      .select({ t: terms, planId: plans.id, planStatus: plans.status, planVersion: plans.version })
      .from(terms)
      .leftJoin(plans, and(eq(plans.schoolId, terms.schoolId), eq(plans.termId, terms.id)))
      .where(eq(terms.schoolId, schoolId))
      .orderBy(desc(terms.startsOn));
    return rows.map((r) => ({
      ...presentTerm(r.t),
      plan: r.planId ? { id: r.planId, status: r.planStatus, version: r.planVersion } : null,
    }));
  });

  app.get(
    '/terms/:id',
    { config: { policy: allow('term.read') }, schema: { tags: ['plans'], summary: '学期与校历', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      return termDetail(db, schoolId, await termOf(db, schoolId, req.params.id));
    },
  );

  app.get(
    '/terms/:id/school-days',
    { config: { policy: allow('term.read') }, schema: { tags: ['plans'], summary: '学期内的服务日', params: idParams } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const t = await termOf(db, schoolId, req.params.id);
      const days = await db
        .select()
        .from(termDays)
        .where(and(eq(termDays.schoolId, schoolId), eq(termDays.termId, t.id)));
      const service = schoolDays(t, days);
      return { summary: schoolDaySummary(service), days: service };
    },
  );

  app.post(
    '/terms',
    { config: { policy: allow('term.write') }, schema: { tags: ['plans'], summary: '新增学期', body: termInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const problem = termProblem(req.body);
      if (problem) throw problem;
      return db.transaction(async (tx) => {
        const b = req.body;
        const [t] = await tx
          .insert(terms)
          .values({
            ...b,
            schoolId,
            id: newId(),
            applyOpensAt: b.applyOpensAt ? new Date(b.applyOpensAt) : null,
            applyClosesAt: b.applyClosesAt ? new Date(b.applyClosesAt) : null,
          })
          .returning();
        await audit(tx, actor, schoolId, { action: 'term.create', entity: 'term', entityId: t.id, detail: { name: t.name } });
        return termDetail(tx, schoolId, t);
      });
    },
  );

  app.patch(
    '/terms/:id',
    {
      config: { policy: allow('term.write') },
      schema: { tags: ['plans'], summary: '修改学期', params: idParams, body: patchOf(termInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const old = presentTerm(await termOf(tx, schoolId, req.params.id, true));
        const merged = { ...old, ...Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined)) } as typeof old;
        const problem = termProblem(merged);
        if (problem) throw problem;
        const b = req.body;
        const [t] = await tx
          .update(terms)
          .set({
            ...b,
            applyOpensAt: b.applyOpensAt === undefined ? undefined : b.applyOpensAt ? new Date(b.applyOpensAt) : null,
            applyClosesAt: b.applyClosesAt === undefined ? undefined : b.applyClosesAt ? new Date(b.applyClosesAt) : null,
          })
          .where(and(eq(terms.schoolId, schoolId), eq(terms.id, req.params.id)))
          .returning();
        // calendar exceptions outside the new dates no longer apply
        await tx
          .delete(termDays)
          .where(and(eq(termDays.schoolId, schoolId), eq(termDays.termId, t.id), lte(termDays.day, addDays(t.startsOn, -1))));
        await tx
          .delete(termDays)
          .where(and(eq(termDays.schoolId, schoolId), eq(termDays.termId, t.id), gte(termDays.day, addDays(t.endsOn, 1))));
        await audit(tx, actor, schoolId, { action: 'term.update', entity: 'term', entityId: t.id, detail: { fields: Object.keys(b) } });
        return termDetail(tx, schoolId, t);
      });
    },
  );

  app.delete(
    '/terms/:id',
    { config: { policy: allow('term.write') }, schema: { tags: ['plans'], summary: '删除学期（没有方案时）', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const t = await termOf(tx, schoolId, req.params.id, true);
        const [p] = await tx
          .select({ id: plans.id })
          .from(plans)
          .where(and(eq(plans.schoolId, schoolId), eq(plans.termId, t.id)));
        if (p) throw conflict('TERM_HAS_PLAN', '该学期已有服务方案，不能删除');
        await tx.delete(terms).where(and(eq(terms.schoolId, schoolId), eq(terms.id, t.id)));
        await audit(tx, actor, schoolId, { action: 'term.delete', entity: 'term', entityId: t.id, detail: { name: t.name } });
        return { ok: true };
      });
    },
  );

  app.post(
    '/terms/:id/days',
    {
      config: { policy: allow('term.write') },
      schema: { tags: ['plans'], summary: '设置放假或调休上课日（可为一段日期）', params: idParams, body: termDayInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const b = req.body;
      const to = b.to ?? b.day;
      if (to < b.day) throw badRequest('TERM_DAY', '结束日期不能早于开始日期');
      if (daysBetween(b.day, to) > 60) throw badRequest('TERM_DAY', '一次最多设置 60 天');
      if (b.kind === 'makeup' && b.to && b.to !== b.day) throw badRequest('TERM_DAY', '调休上课日请逐日设置');
      if (b.kind === 'makeup' && !b.asWeekday) throw badRequest('TERM_DAY', '调休上课日应注明按星期几上课');
      return db.transaction(async (tx) => {
        const t = await termOf(tx, schoolId, req.params.id, true);
        if (b.day < t.startsOn || to > t.endsOn) throw badRequest('TERM_DAY', '日期应在学期之内');
        const values = [];
        for (let i = 0; i <= daysBetween(b.day, to); i++) {
          const day = addDays(b.day, i);
          const weekend = isoWeekdayOf(day) > 5;
          if (b.kind === 'makeup' && !weekend) throw badRequest('TERM_DAY', '调休上课日应是周六或周日');
          if (b.kind === 'holiday' && weekend) {
            if (b.to) continue; // a range skips its weekends
            throw badRequest('TERM_DAY', '周末本来不上学，无需设为放假');
          }
          values.push({ schoolId, termId: t.id, day, kind: b.kind, asWeekday: b.kind === 'makeup' ? b.asWeekday : null, note: b.note });
        }
        if (values.length === 0) throw badRequest('TERM_DAY', '所选日期都是周末');
        await tx
          .insert(termDays)
          .values(values)
          .onConflictDoUpdate({
            target: [termDays.schoolId, termDays.termId, termDays.day],
            set: { kind: b.kind, asWeekday: b.kind === 'makeup' ? b.asWeekday : null, note: b.note },
          });
        await audit(tx, actor, schoolId, {
          action: 'term.days',
          entity: 'term',
          entityId: t.id,
          detail: { kind: b.kind, from: b.day, to },
        });
        return termDetail(tx, schoolId, t);
      });
    },
  );

  app.delete(
    '/terms/:id/days/:day',
    { config: { policy: allow('term.write') }, schema: { tags: ['plans'], summary: '取消放假或调休', params: dayParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const t = await termOf(tx, schoolId, req.params.id, true);
        const gone = await tx
          .delete(termDays)
          .where(and(eq(termDays.schoolId, schoolId), eq(termDays.termId, t.id), eq(termDays.day, req.params.day)))
          .returning();
        if (gone.length === 0) throw notFound('校历例外日');
        await audit(tx, actor, schoolId, { action: 'term.days.delete', entity: 'term', entityId: t.id, detail: { day: req.params.day } });
        return termDetail(tx, schoolId, t);
      });
    },
  );
};
