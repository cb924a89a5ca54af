/**
 * The guardian's side of applying (R1, R2, R14, P2): the page's data for one child, signing the
 * two agreements, and submitting, changing or withdrawing the application inside the window.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applicationInput, applicationPatch, signInput } from '../../../shared/enrollment';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { agreementSignatures, applications, classes } from '../../db/schema';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { choicesOf, createApplication, updateApplication, withdrawApplication } from './applications.service';
import { ownChild, requireConsent, requirePublished, requireWindow } from './checks';
import { presentApplication, presentEnrollment, presentOffering, presentText } from './presenters';
import { publishedTerms, termWithPlan, windowState } from './published';
import { enrollmentsOf, seatCounts } from './queries';
import { loadSettings } from './settings';
import { currentTexts } from './texts';

const idParams = z.object({ id: z.uuid() });

export const applyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/family/apply/:studentId',
    {
      config: { policy: allow('family.apply') },
      schema: {
        tags: ['enrollment'],
        summary: '报名页：方案、项目与余位、协议、申请与录取',
        params: z.object({ studentId: z.uuid() }),
        querystring: z.object({ termId: z.uuid().optional() }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const child = await ownChild(db, actor, req.params.studentId);
      const [cls] = await db
        .select({ name: classes.name })
        .from(classes)
        .where(and(eq(classes.schoolId, schoolId), eq(classes.id, child.classId)));
      const terms = await publishedTerms(db, schoolId);
      const plan = req.query.termId ? (await termWithPlan(db, schoolId, req.query.termId)).plan : (terms[0] ?? null);
      const texts = await currentTexts(db, schoolId);
      const settings = await loadSettings(db, schoolId);
      const base = {
        child: { id: child.id, name: child.name, grade: child.grade, className: cls?.name ?? '' },
        terms: terms.map((p) => ({ id: p.term.id, name: p.term.name })),
        settings: { offerHours: settings.offerHours, goHomeAloneMinGrade: settings.goHomeAloneMinGrade },
      };
      if (!plan)
        return {
          ...base,
          term: null,
          slots: [],
          offerings: [],
          agreements: texts.map((t) => presentText(t, undefined)),
          application: null,
          enrollments: [],
        };
      const signatures = await db
        .select({ textId: agreementSignatures.textId, signedAt: agreementSignatures.signedAt, textHash: agreementSignatures.textHash })
        .from(agreementSignatures)
        .where(
          and(
            eq(agreementSignatures.schoolId, schoolId),
            eq(agreementSignatures.termId, plan.term.id),
            eq(agreementSignatures.studentId, child.id),
          ),
        );
      const [application] = await db
        .select()
        .from(applications)
        .where(and(eq(applications.schoolId, schoolId), eq(applications.termId, plan.term.id), eq(applications.studentId, child.id)));
      const seats = await seatCounts(
        db,
        schoolId,
        plan.offerings.map((o) => o.id),
      );
      const places = await enrollmentsOf(db, schoolId, sql`e.student_id = ${child.id} AND e.term_id = ${plan.term.id}`);
      return {
        ...base,
        term: { ...plan.term, window: windowState(plan.term), planVersion: plan.version },
        slots: plan.slots,
        offerings: plan.offerings.map((o) => presentOffering(o, child.grade, seats.get(o.id) ?? [])),
        agreements: texts.map((t) =>
          presentText(
            t,
            signatures.find((s) => s.textId === t.id),
          ),
        ),
        application: application ? presentApplication(application, await choicesOf(db, schoolId, application.id)) : null,
        enrollments: places.map(presentEnrollment),
      };
    },
  );

  app.post(
    '/family/agreements/sign',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '签署服务协议与安全协议（记录账号、时间、IP、文本哈希）', body: signInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const child = await ownChild(db, actor, req.body.studentId);
      await termWithPlan(db, schoolId, req.body.termId); // 404 for another school's term
      const texts = await queryRows<{ id: string; kind: string; version: number; sha256: string }>(
        db,
        sql`SELECT id, kind, version, sha256 FROM agreement_texts WHERE school_id = ${schoolId} AND id IN (${sql.join(
          req.body.textIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      );
      if (texts.length !== new Set(req.body.textIds).size) throw notFound('协议');
      return db.transaction(async (tx) => {
        for (const t of texts) {
          await tx
            .insert(agreementSignatures)
            .values({
              schoolId,
              termId: req.body.termId,
              studentId: child.id,
              textId: t.id,
              accountId: actor.accountId,
              textHash: t.sha256,
              ip: actor.ip,
            })
            .onConflictDoNothing();
          await audit(tx, actor, schoolId, {
            action: 'agreement.sign',
            entity: 'agreement',
            entityId: t.id,
            detail: { studentId: child.id, termId: req.body.termId, kind: t.kind, version: t.version, sha256: t.sha256 },
          });
        }
        return { ok: true, signed: texts.map((t) => ({ id: t.id, kind: t.kind, sha256: t.sha256 })) };
      });
    },
  );

  app.post(
    '/family/applications',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '提交报名申请（按孩子、学期）', body: applicationInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const child = await ownChild(db, actor, req.body.studentId);
      const { term, plan } = await termWithPlan(db, schoolId, req.body.termId);
      const published = requirePublished(plan);
      requireWindow(term);
      return db.transaction(async (tx) => {
        const { app: a, seats } = await createApplication(tx, actor, schoolId, published, child, req.body);
        return { application: presentApplication(a, await choicesOf(tx, schoolId, a.id)), seats };
      });
    },
  );

  /** The guardian's own application (through their child), or 404. */
  async function ownApplication(req: Parameters<typeof schoolActor>[0], id: string) {
    const { actor, schoolId } = schoolActor(req);
    await requireConsent(db, actor);
    const [a] = await db
      .select()
      .from(applications)
      .where(and(eq(applications.schoolId, schoolId), eq(applications.id, id)));
    if (!a) throw notFound('申请');
    const child = await ownChild(db, actor, a.studentId).catch(() => {
      throw notFound('申请');
    });
    const { term, plan } = await termWithPlan(db, schoolId, a.termId);
    return { actor, schoolId, a, child, term, plan };
  }

  app.patch(
    '/family/applications/:id',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '报名期内修改申请', params: idParams, body: applicationPatch },
    },
    async (req) => {
      const { actor, schoolId, a, child, term, plan } = await ownApplication(req, req.params.id);
      const published = requirePublished(plan);
      requireWindow(term);
      return db.transaction(async (tx) => {
        const { app: u, seats } = await updateApplication(tx, actor, a, published, child, req.body, false);
        return { application: presentApplication(u, await choicesOf(tx, schoolId, u.id)), seats };
      });
    },
  );

  app.post(
    '/family/applications/:id/withdraw',
    {
      config: { policy: allow('family.apply') },
      schema: { tags: ['enrollment'], summary: '报名期内撤回申请（退出全部项目）', params: idParams },
    },
    async (req) => {
      const { actor, schoolId, a, term } = await ownApplication(req, req.params.id);
      if (windowState(term) !== 'open') throw new AppError(409, 'WINDOW_CLOSED', '报名时间已结束，如需退出请联系学校课后服务办公室');
      if (a.status === 'withdrawn') throw badRequest('APPLICATION_WITHDRAWN', '申请已撤回');
      return db.transaction(async (tx) => {
        const u = await withdrawApplication(tx, actor, a, false);
        return { application: presentApplication(u, await choicesOf(tx, schoolId, u.id)) };
      });
    },
  );
};
