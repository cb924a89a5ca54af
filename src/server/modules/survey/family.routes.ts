/**
 * The guardian's side of the needs survey: the open surveys of the school with each child's state,
 * and one answer per child (upsert) while the survey accepts answers. Only their own children
 * (familyScope; another pupil answers 404), and only after the data notice (N22).
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeDays, surveyAnswerInput } from '../../../shared/survey';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { classes, students, surveyAnswers, surveys, terms } from '../../db/schema';
import { AppError, conflict, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { consentRequired } from '../auth/service';
import { familyScope } from '../roster/scope';
import { presentSurvey } from './presenter';
import { accepting, loadSurvey } from './service';

async function requireConsent(db: Db, actor: Actor) {
  if (await consentRequired(db, actor)) {
    throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
  }
}

/** The guardian's active children with their answers to the given surveys. */
async function childrenWithAnswers(db: Db, actor: Actor, surveyIds: string[]) {
  const children = await db
    .select({ id: students.id, name: students.name, grade: students.grade, className: classes.name })
    .from(students)
    .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)))
    .where(and(familyScope(actor), eq(students.active, true)))
    .orderBy(asc(students.grade), asc(students.name));
  const answers =
    surveyIds.length === 0 || children.length === 0
      ? []
      : await db
          .select()
          .from(surveyAnswers)
          .where(
            and(
              eq(surveyAnswers.schoolId, actor.schoolId as string),
              inArray(surveyAnswers.surveyId, surveyIds),
              inArray(
                surveyAnswers.studentId,
                children.map((c) => c.id),
              ),
            ),
          );
  return { children, answers };
}

const presentFamilyAnswer = (a: typeof surveyAnswers.$inferSelect) => ({
  days: a.days,
  interests: a.interests,
  pickupTime: a.pickupTime,
  lunch: a.lunch,
  note: a.note,
  answeredAt: a.answeredAt,
});

export const surveyFamilyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/family/surveys',
    { config: { policy: allow('survey.answer') }, schema: { tags: ['family'], summary: '学校正在收集的需求调查，及每个孩子是否已填写' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const rows = await db
        .select({ s: surveys, termName: terms.name })
        .from(surveys)
        .innerJoin(terms, and(eq(terms.schoolId, surveys.schoolId), eq(terms.id, surveys.termId)))
        .where(and(eq(surveys.schoolId, schoolId), eq(surveys.status, 'open')))
        .orderBy(desc(surveys.createdAt));
      const { children, answers } = await childrenWithAnswers(
        db,
        actor,
        rows.map((r) => r.s.id),
      );
      return rows.map((r) => ({
        ...presentSurvey({ ...r.s, termName: r.termName }),
        children: children.map((c) => {
          const a = answers.find((x) => x.surveyId === r.s.id && x.studentId === c.id);
          return { id: c.id, name: c.name, grade: c.grade, className: c.className, answeredAt: a?.answeredAt ?? null };
        }),
      }));
    },
  );

  app.get(
    '/family/surveys/:id',
    {
      config: { policy: allow('survey.answer') },
      schema: { tags: ['family'], summary: '问卷及我的孩子们的答卷', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      const survey = await loadSurvey(db, schoolId, req.params.id);
      // A draft is the office's work in progress: guardians do not see it.
      if (survey.status === 'draft') throw notFound('问卷');
      const { children, answers } = await childrenWithAnswers(db, actor, [survey.id]);
      return {
        ...presentSurvey(survey),
        children: children.map((c) => {
          const a = answers.find((x) => x.studentId === c.id);
          return { ...c, answer: a ? presentFamilyAnswer(a) : null };
        }),
      };
    },
  );

  app.put(
    '/family/children/:id/surveys/:surveyId',
    {
      config: { policy: allow('survey.answer') },
      schema: {
        tags: ['family'],
        summary: '为孩子填写或修改问卷（问卷开放期间）',
        params: z.object({ id: z.uuid(), surveyId: z.uuid() }),
        body: surveyAnswerInput,
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      return db.transaction(async (tx) => {
        const survey = await loadSurvey(tx, schoolId, req.params.surveyId);
        if (survey.status === 'draft') throw notFound('问卷');
        const [child] = await tx
          .select({ id: students.id, name: students.name })
          .from(students)
          .where(and(familyScope(actor), eq(students.active, true), eq(students.id, req.params.id)));
        if (!child) throw notFound('孩子');
        if (!accepting(survey)) throw conflict('SURVEY_CLOSED', '问卷已截止，不能再填写或修改。如需调整请联系班主任');
        const body = req.body;
        const values = {
          days: normalizeDays(body.days),
          interests: [...new Set(body.interests)],
          pickupTime: body.pickupTime,
          lunch: body.lunch,
          note: body.note,
          accountId: actor.accountId,
          answeredAt: new Date(),
        };
        const [before] = await tx
          .select({ at: surveyAnswers.answeredAt })
          .from(surveyAnswers)
          .where(and(eq(surveyAnswers.schoolId, schoolId), eq(surveyAnswers.surveyId, survey.id), eq(surveyAnswers.studentId, child.id)));
        const [a] = await tx
          .insert(surveyAnswers)
          .values({ schoolId, surveyId: survey.id, studentId: child.id, ...values })
          .onConflictDoUpdate({ target: [surveyAnswers.schoolId, surveyAnswers.surveyId, surveyAnswers.studentId], set: values })
          .returning();
        await audit(tx, actor, schoolId, {
          action: before ? 'survey.answer_update' : 'survey.answer',
          entity: 'student',
          entityId: child.id,
          detail: { surveyId: survey.id, survey: survey.title },
        });
        return { studentId: child.id, answer: presentFamilyAnswer(a) };
      });
    },
  );
};
