/** Guardians and authorised pick-up adults of a pupil (R13, POLICY P2). */
import { and, asc, count, eq, ilike, inArray, or } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateString, guardianInput, guardianLinkInput, pageQuery, photoSchema, pickupInput, patchOf } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Actor } from '../../auth/actor';
import type { Db } from '../../db/client';
import { guardians, pickupPersons, studentGuardians, students } from '../../db/schema';
import { badRequest, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { presentGuardianLink, presentPickup } from './presenter';
import { studentScope } from './scope';
import { escapeLike } from './students.routes';

const idParams = z.object({ id: z.uuid() });
const linkParams = z.object({ id: z.uuid(), guardianId: z.uuid() });

async function visibleStudent(db: Db, actor: Actor, id: string) {
  const [s] = await db
    .select({ id: students.id, name: students.name })
    .from(students)
    .where(and(studentScope(actor), eq(students.id, id)));
  if (!s) throw notFound('学生');
  return s;
}

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/guardians',
    { config: { policy: allow('guardian.read') }, schema: { tags: ['roster'], summary: '家长列表', querystring: pageQuery } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const q = req.query;
      // Guardians are visible through the pupils the actor may see.
      const visible = and(
        eq(guardians.schoolId, schoolId),
        q.q ? or(ilike(guardians.name, `%${escapeLike(q.q)}%`), ilike(guardians.phone, `%${escapeLike(q.q)}%`)) : undefined,
      );
      const scoped = db
        .selectDistinct({ id: studentGuardians.guardianId })
        .from(studentGuardians)
        .innerJoin(students, and(eq(students.schoolId, studentGuardians.schoolId), eq(students.id, studentGuardians.studentId)))
        .where(and(eq(studentGuardians.schoolId, schoolId), studentScope(actor)));
      const where = and(visible, inArray(guardians.id, scoped));
      const [rows, [{ total }]] = await Promise.all([
        db
          .select()
          .from(guardians)
          .where(where)
          .orderBy(asc(guardians.name))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ total: count() }).from(guardians).where(where),
      ]);
      return {
        items: rows.map((g) => ({ id: g.id, name: g.name, phone: g.phone, hasAccount: g.accountId !== null })),
        total: Number(total),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

  app.post(
    '/students/:id/guardians',
    {
      config: { policy: allow('guardian.write') },
      schema: {
        tags: ['roster'],
        summary: '为学生添加家长（按手机号复用）',
        params: idParams,
        body: guardianInput.extend(guardianLinkInput.shape),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const s = await visibleStudent(tx, actor, req.params.id);
        const [existing] = await tx
          .select()
          .from(guardians)
          .where(and(eq(guardians.schoolId, schoolId), eq(guardians.phone, req.body.phone)));
        const g =
          existing ??
          (await tx.insert(guardians).values({ schoolId, id: newId(), name: req.body.name, phone: req.body.phone }).returning())[0];
        await tx
          .insert(studentGuardians)
          .values({ schoolId, studentId: s.id, guardianId: g.id, relation: req.body.relation, isPrimary: req.body.isPrimary })
          .onConflictDoUpdate({
            target: [studentGuardians.schoolId, studentGuardians.studentId, studentGuardians.guardianId],
            set: { relation: req.body.relation, isPrimary: req.body.isPrimary },
          });
        await audit(tx, actor, schoolId, {
          action: 'guardian.link',
          entity: 'student',
          entityId: s.id,
          detail: { guardianId: g.id, relation: req.body.relation },
        });
        return presentGuardianLink({ ...g, relation: req.body.relation, isPrimary: req.body.isPrimary });
      });
    },
  );

  app.patch(
    '/guardians/:id',
    {
      config: { policy: allow('guardian.write') },
      schema: { tags: ['roster'], summary: '修改家长信息', params: idParams, body: patchOf(guardianInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [g] = await tx
          .update(guardians)
          .set(req.body)
          .where(and(eq(guardians.schoolId, schoolId), eq(guardians.id, req.params.id)))
          .returning();
        if (!g) throw notFound('家长');
        await audit(tx, actor, schoolId, {
          action: 'guardian.update',
          entity: 'guardian',
          entityId: g.id,
          detail: { fields: Object.keys(req.body) },
        });
        return { id: g.id, name: g.name, phone: g.phone, hasAccount: g.accountId !== null };
      });
    },
  );

  app.delete(
    '/students/:id/guardians/:guardianId',
    { config: { policy: allow('guardian.write') }, schema: { tags: ['roster'], summary: '解除学生与家长的关联', params: linkParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const s = await visibleStudent(tx, actor, req.params.id);
        const del = await tx
          .delete(studentGuardians)
          .where(
            and(
              eq(studentGuardians.schoolId, schoolId),
              eq(studentGuardians.studentId, s.id),
              eq(studentGuardians.guardianId, req.params.guardianId),
            ),
          )
          .returning();
        if (del.length === 0) throw notFound('家长关联');
        await audit(tx, actor, schoolId, {
          action: 'guardian.unlink',
          entity: 'student',
          entityId: s.id,
          detail: { guardianId: req.params.guardianId },
        });
        return { ok: true };
      });
    },
  );

  app.post(
    '/students/:id/pickups',
    {
      config: { policy: allow('pickup.write') },
      schema: { tags: ['roster'], summary: '添加授权接送人', params: idParams, body: pickupInput },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const s = await visibleStudent(tx, actor, req.params.id);
        const [p] = await tx
          .insert(pickupPersons)
          .values({ ...req.body, schoolId, id: newId(), studentId: s.id })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'pickup.create',
          entity: 'student',
          entityId: s.id,
          detail: { pickupId: p.id, name: p.name },
        });
        return presentPickup(p);
      });
    },
  );

  app.patch(
    '/pickups/:id',
    {
      config: { policy: allow('pickup.write') },
      schema: { tags: ['roster'], summary: '修改授权接送人', params: idParams, body: patchOf(pickupPatch) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [cur] = await tx
          .select()
          .from(pickupPersons)
          .where(and(eq(pickupPersons.schoolId, schoolId), eq(pickupPersons.id, req.params.id)));
        if (!cur) throw notFound('接送人');
        await visibleStudent(tx, actor, cur.studentId);
        const from = req.body.validFrom === undefined ? cur.validFrom : req.body.validFrom;
        const to = req.body.validTo === undefined ? cur.validTo : req.body.validTo;
        if (from && to && from > to) throw badRequest('VALIDATION', '有效期结束日期不能早于开始日期');
        const [p] = await tx
          .update(pickupPersons)
          .set(req.body)
          .where(and(eq(pickupPersons.schoolId, schoolId), eq(pickupPersons.id, cur.id)))
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'pickup.update',
          entity: 'student',
          entityId: cur.studentId,
          detail: { pickupId: p.id, fields: Object.keys(req.body) },
        });
        return presentPickup(p);
      });
    },
  );

  app.delete(
    '/pickups/:id',
    { config: { policy: allow('pickup.write') }, schema: { tags: ['roster'], summary: '删除授权接送人', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [cur] = await tx
          .select()
          .from(pickupPersons)
          .where(and(eq(pickupPersons.schoolId, schoolId), eq(pickupPersons.id, req.params.id)));
        if (!cur) throw notFound('接送人');
        await visibleStudent(tx, actor, cur.studentId);
        await tx.delete(pickupPersons).where(and(eq(pickupPersons.schoolId, schoolId), eq(pickupPersons.id, cur.id)));
        await audit(tx, actor, schoolId, {
          action: 'pickup.delete',
          entity: 'student',
          entityId: cur.studentId,
          detail: { pickupId: cur.id, name: cur.name },
        });
        return { ok: true };
      });
    },
  );
};

// the refine on pickupInput hides .partial(); the date order is checked in the handler
const pickupPatch = z.object({
  name: z.string().trim().min(1).max(40),
  relation: z.string().trim().min(1).max(20),
  phone: guardianInput.shape.phone,
  photo: photoSchema.nullable(),
  validFrom: dateString.nullable(),
  validTo: dateString.nullable(),
});
