/**
 * The guardian's side of the roster: the data-protection notice and consent (POLICY N22), then
 * their own children and who may pick them up. No child data before consent.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRIVACY_NOTICE_VERSION, pickupInput } from '../../../shared/roster';
import { PRIVACY_NOTICE } from '../../../shared/privacy-notice';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { campuses, classes, consents, pickupPersons, schools, studentGuardians, students } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { consentRequired } from '../auth/service';
import { presentPickup } from '../roster/presenter';
import { familyScope } from '../roster/scope';

const idParams = z.object({ id: z.uuid() });

async function requireConsent(db: Db, actor: Actor) {
  if (await consentRequired(db, actor)) {
    throw new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《儿童个人信息保护告知书》');
  }
}

export const familyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/family/notice',
    { config: { policy: allow('family.consent') }, schema: { tags: ['family'], summary: '儿童个人信息保护告知书' } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const [s] = await db.select({ name: schools.name, phone: schools.phone }).from(schools).where(eq(schools.id, schoolId));
      return {
        version: PRIVACY_NOTICE_VERSION,
        school: s?.name ?? '',
        contact: s?.phone ?? '',
        sections: PRIVACY_NOTICE,
        accepted: !(await consentRequired(db, actor)),
      };
    },
  );

  app.post(
    '/family/consent',
    {
      config: { policy: allow('family.consent') },
      schema: {
        tags: ['family'],
        summary: '同意告知书（记录账号、时间、版本）',
        body: z.object({ version: z.string().max(20), accept: z.literal(true) }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      if (req.body.version !== PRIVACY_NOTICE_VERSION) throw new AppError(409, 'NOTICE_OUTDATED', '告知书已更新，请刷新后重新阅读');
      return db.transaction(async (tx) => {
        await tx
          .insert(consents)
          .values({ schoolId, accountId: actor.accountId, noticeVersion: PRIVACY_NOTICE_VERSION, ip: actor.ip })
          .onConflictDoNothing();
        await audit(tx, actor, schoolId, { action: 'consent.accept', entity: 'consent', entityId: PRIVACY_NOTICE_VERSION });
        return { ok: true, version: PRIVACY_NOTICE_VERSION };
      });
    },
  );

  app.get(
    '/family/children',
    { config: { policy: allow('family.read') }, schema: { tags: ['family'], summary: '我的孩子' } },
    async (req) => {
      const { actor } = schoolActor(req);
      await requireConsent(db, actor);
      const rows = await db
        .selectDistinct({
          id: students.id,
          name: students.name,
          gender: students.gender,
          grade: students.grade,
          className: classes.name,
          campusName: campuses.name,
          relation: studentGuardians.relation,
        })
        .from(students)
        .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)))
        .innerJoin(campuses, and(eq(campuses.schoolId, students.schoolId), eq(campuses.id, students.campusId)))
        .innerJoin(studentGuardians, and(eq(studentGuardians.schoolId, students.schoolId), eq(studentGuardians.studentId, students.id)))
        .where(and(familyScope(actor), eq(students.active, true)))
        .orderBy(asc(students.name));
      // One row per child (a guardian linked twice, e.g. as 父亲 and 监护人, still sees the child once).
      const seen = new Map<string, (typeof rows)[number]>();
      for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, r);
      return [...seen.values()];
    },
  );

  app.get(
    '/family/children/:id',
    { config: { policy: allow('family.read') }, schema: { tags: ['family'], summary: '孩子的档案与接送人', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      return db.transaction(async (tx) => {
        const [s] = await tx
          .select()
          .from(students)
          .where(and(familyScope(actor), eq(students.id, req.params.id)));
        if (!s) throw notFound('孩子');
        const pickups = await tx
          .select()
          .from(pickupPersons)
          .where(and(eq(pickupPersons.schoolId, schoolId), eq(pickupPersons.studentId, s.id)))
          .orderBy(asc(pickupPersons.createdAt));
        await audit(tx, actor, schoolId, { action: 'student.read', entity: 'student', entityId: s.id, detail: { by: 'guardian' } });
        return {
          id: s.id,
          name: s.name,
          gender: s.gender,
          grade: s.grade,
          studentNo: s.studentNo,
          address: s.address,
          pickups: pickups.map(presentPickup),
        };
      });
    },
  );

  app.post(
    '/family/children/:id/pickups',
    {
      config: { policy: allow('family.write') },
      schema: { tags: ['family'], summary: '家长添加授权接送人', params: idParams, body: pickupInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await requireConsent(db, actor);
      return db.transaction(async (tx) => {
        const [s] = await tx
          .select({ id: students.id })
          .from(students)
          .where(and(familyScope(actor), eq(students.id, req.params.id)));
        if (!s) throw notFound('孩子');
        const [p] = await tx
          .insert(pickupPersons)
          .values({ ...req.body, schoolId, id: newId(), studentId: s.id })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'pickup.create',
          entity: 'student',
          entityId: s.id,
          detail: { pickupId: p.id, by: 'guardian' },
        });
        return presentPickup(p);
      });
    },
  );
};
