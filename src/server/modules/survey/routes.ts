/**
 * The needs survey (调查摸底) for the school: the office writes, opens and closes a survey for a
 * term and sees the demand it adds up to (R5 groups and staff); homeroom teachers see their own
 * class's answers and who has not answered (survey.read, narrowed by surveyScope).
 */
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { surveyInput, surveyPatch } from '../../../shared/survey';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { students, surveyAnswers, surveys, terms } from '../../db/schema';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { surveyWorkbook, XLSX_MIME } from './export';
import { presentPupilAnswer, presentSurvey } from './presenter';
import { checkClass, demandOf, guardianContacts, loadSurvey, pupilsWithAnswers, surveyScope } from './service';

const idParams = z.object({ id: z.uuid() });
const classQuery = z.object({ classId: z.uuid().optional() });

async function termOf(db: Db, schoolId: string, termId: string) {
  const [t] = await db
    .select()
    .from(terms)
    .where(and(eq(terms.schoolId, schoolId), eq(terms.id, termId)));
  if (!t) throw notFound('学期');
  return t;
}

const closesAtFuture = (closesAt: string | null | undefined) => {
  if (closesAt && new Date(closesAt) <= new Date()) throw badRequest('SURVEY_CLOSES_AT_PAST', '截止时间应晚于现在');
};

export const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/surveys',
    {
      config: { policy: allow('survey.read') },
      schema: { tags: ['survey'], summary: '需求调查问卷（含回收数）', querystring: z.object({ termId: z.uuid().optional() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const rows = await db
        .select({
          s: surveys,
          termName: terms.name,
          answered: sql<number>`(SELECT count(*)::int FROM ${surveyAnswers} a JOIN ${students} ON ${students.schoolId} = a.school_id AND ${students.id} = a.student_id
             WHERE a.school_id = ${surveys.schoolId} AND a.survey_id = ${surveys.id} AND ${students.active} AND ${surveyScope(actor)})`,
        })
        .from(surveys)
        .innerJoin(terms, and(eq(terms.schoolId, surveys.schoolId), eq(terms.id, surveys.termId)))
        .where(and(eq(surveys.schoolId, schoolId), req.query.termId ? eq(surveys.termId, req.query.termId) : undefined))
        .orderBy(desc(surveys.createdAt));
      const [{ pupils }] = await db
        .select({ pupils: count() })
        .from(students)
        .where(and(surveyScope(actor), eq(students.active, true)));
      const termRows = await db
        .select({ id: terms.id, name: terms.name, startsOn: terms.startsOn })
        .from(terms)
        .where(eq(terms.schoolId, schoolId))
        .orderBy(desc(terms.startsOn), asc(terms.name));
      return {
        items: rows.map((r) => ({
          ...presentSurvey({ ...r.s, termName: r.termName }),
          answered: Number(r.answered),
          pupils: Number(pupils),
        })),
        terms: termRows.map((t) => ({ id: t.id, name: t.name })),
      };
    },
  );

  app.post(
    '/surveys',
    { config: { policy: allow('survey.write') }, schema: { tags: ['survey'], summary: '新建需求调查问卷（草稿）', body: surveyInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      closesAtFuture(req.body.closesAt);
      return db.transaction(async (tx) => {
        const term = await termOf(tx, schoolId, req.body.termId);
        const [s] = await tx
          .insert(surveys)
          .values({ ...req.body, closesAt: req.body.closesAt ? new Date(req.body.closesAt) : null, schoolId, id: newId(), status: 'draft' })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'survey.create',
          entity: 'survey',
          entityId: s.id,
          detail: { name: s.title, term: term.name },
        });
        return presentSurvey({ ...s, termName: term.name });
      });
    },
  );

  app.get(
    '/surveys/:id',
    { config: { policy: allow('survey.read') }, schema: { tags: ['survey'], summary: '问卷', params: idParams } },
    async (req) => presentSurvey(await loadSurvey(db, schoolActor(req).schoolId, req.params.id)),
  );

  app.patch(
    '/surveys/:id',
    {
      config: { policy: allow('survey.write') },
      schema: { tags: ['survey'], summary: '修改问卷（标题、说明、截止时间）', params: idParams, body: surveyPatch },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      closesAtFuture(req.body.closesAt);
      return db.transaction(async (tx) => {
        const cur = await loadSurvey(tx, schoolId, req.params.id);
        const { closesAt, ...rest } = req.body;
        const [s] = await tx
          .update(surveys)
          .set({ ...rest, ...(closesAt !== undefined ? { closesAt: closesAt ? new Date(closesAt) : null } : {}) })
          .where(and(eq(surveys.schoolId, schoolId), eq(surveys.id, cur.id)))
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'survey.update',
          entity: 'survey',
          entityId: s.id,
          detail: { name: s.title, fields: Object.keys(req.body) },
        });
        return presentSurvey({ ...s, termName: cur.termName });
      });
    },
  );

  app.post(
    '/surveys/:id/open',
    { config: { policy: allow('survey.write') }, schema: { tags: ['survey'], summary: '开放问卷（家长可以填写）', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const cur = await loadSurvey(tx, schoolId, req.params.id);
        if (cur.status === 'open') return presentSurvey(cur);
        if (cur.closesAt && cur.closesAt <= new Date()) {
          throw conflict('SURVEY_CLOSES_AT_PAST', '截止时间已过，请先修改截止时间再开放');
        }
        const [s] = await tx
          .update(surveys)
          .set({ status: 'open' })
          .where(and(eq(surveys.schoolId, schoolId), eq(surveys.id, cur.id)))
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'survey.open',
          entity: 'survey',
          entityId: s.id,
          detail: { name: s.title, from: cur.status },
        });
        return presentSurvey({ ...s, termName: cur.termName });
      });
    },
  );

  app.post(
    '/surveys/:id/close',
    { config: { policy: allow('survey.write') }, schema: { tags: ['survey'], summary: '截止问卷（不再接受填写）', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const cur = await loadSurvey(tx, schoolId, req.params.id);
        if (cur.status === 'closed') return presentSurvey(cur);
        if (cur.status !== 'open') throw conflict('SURVEY_NOT_OPEN', '问卷尚未开放，不能截止');
        const [s] = await tx
          .update(surveys)
          .set({ status: 'closed' })
          .where(and(eq(surveys.schoolId, schoolId), eq(surveys.id, cur.id)))
          .returning();
        await audit(tx, actor, schoolId, { action: 'survey.close', entity: 'survey', entityId: s.id, detail: { name: s.title } });
        return presentSurvey({ ...s, termName: cur.termName });
      });
    },
  );

  app.delete(
    '/surveys/:id',
    { config: { policy: allow('survey.write') }, schema: { tags: ['survey'], summary: '删除草稿问卷', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const cur = await loadSurvey(tx, schoolId, req.params.id);
        if (cur.status !== 'draft') throw conflict('SURVEY_NOT_DRAFT', '只能删除尚未开放的草稿问卷');
        await tx.delete(surveys).where(and(eq(surveys.schoolId, schoolId), eq(surveys.id, cur.id)));
        await audit(tx, actor, schoolId, { action: 'survey.delete', entity: 'survey', entityId: cur.id, detail: { name: cur.title } });
        return { ok: true };
      });
    },
  );

  app.get(
    '/surveys/:id/answers',
    {
      config: { policy: allow('survey.read') },
      schema: { tags: ['survey'], summary: '答卷与未填写名单（班主任只看本班）', params: idParams, querystring: classQuery },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const survey = await loadSurvey(db, schoolId, req.params.id);
      if (req.query.classId) await checkClass(db, actor, req.query.classId);
      const rows = await pupilsWithAnswers(db, actor, survey.id, req.query.classId);
      const missing = rows.filter((r) => !r.answer);
      // Whoever may read guardians' contacts gets a number to call for each missing answer.
      const contacts = actor.permissions.has('guardian.read')
        ? await guardianContacts(
            db,
            schoolId,
            missing.map((m) => m.studentId),
          )
        : new Map();
      return {
        survey: presentSurvey(survey),
        pupils: rows.length,
        answered: rows.filter((r) => r.answer).map(presentPupilAnswer),
        missing: missing.map((m) => ({ ...presentPupilAnswer(m), guardian: contacts.get(m.studentId) ?? null })),
      };
    },
  );

  app.get(
    '/surveys/:id/demand',
    {
      config: { policy: allow('survey.read') },
      schema: {
        tags: ['survey'],
        summary: '需求汇总：周几 × 时段 × 学段的人数、组数与所需教师、值班领导（R5）',
        params: idParams,
        querystring: classQuery,
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const survey = await loadSurvey(db, schoolId, req.params.id);
      if (req.query.classId) await checkClass(db, actor, req.query.classId);
      const { rows: _rows, ...view } = await demandOf(db, actor, survey, req.query.classId);
      return { survey: presentSurvey(survey), ...view };
    },
  );

  app.get(
    '/surveys/:id/export.xlsx',
    {
      config: { policy: allow('survey.read') },
      schema: { tags: ['survey'], summary: '导出需求汇总与答卷 (.xlsx)', params: idParams, querystring: classQuery, produces: [XLSX_MIME] },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const survey = await loadSurvey(db, schoolId, req.params.id);
      if (req.query.classId) await checkClass(db, actor, req.query.classId);
      const view = await demandOf(db, actor, survey, req.query.classId);
      const wb = surveyWorkbook(survey, view);
      const buf = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
      await db.transaction(async (tx) => {
        await audit(tx, actor, schoolId, {
          action: 'survey.export',
          entity: 'survey',
          entityId: survey.id,
          detail: { name: survey.title, classId: req.query.classId ?? null, pupils: view.pupils },
        });
      });
      const fileName = `${survey.title}.xlsx`;
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', `attachment; filename="survey.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
        .header('cache-control', 'no-store')
        .send(buf);
    },
  );
};
