import { and, asc, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery, studentInput, patchOf } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { campuses, classes, guardians, pickupPersons, studentGuardians, students } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { presentGuardianLink, presentPickup, presentStudentRow } from './presenter';
import { studentScope } from './scope';

const idParams = z.object({ id: z.uuid() });
const listQuery = pageQuery.extend({
  classId: z.uuid().optional(),
  campusId: z.uuid().optional(),
  grade: z.coerce.number().int().min(1).max(6).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export async function classOfSchool(db: Db, schoolId: string, classId: string) {
  const [c] = await db
    .select()
    .from(classes)
    .where(and(eq(classes.schoolId, schoolId), eq(classes.id, classId)));
  if (!c) throw notFound('班级');
  return c;
}

export const studentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/students',
    { config: { policy: allow('student.read') }, schema: { tags: ['roster'], summary: '学生列表（按角色范围）', querystring: listQuery } },
    async (req) => {
      const { actor } = schoolActor(req);
      const q = req.query;
      const conds: (SQL | undefined)[] = [studentScope(actor)];
      if (q.includeInactive !== 'true') conds.push(eq(students.active, true));
      if (q.classId) conds.push(eq(students.classId, q.classId));
      if (q.campusId) conds.push(eq(students.campusId, q.campusId));
      if (q.grade) conds.push(eq(students.grade, q.grade));
      if (q.q) conds.push(or(ilike(students.name, `%${escapeLike(q.q)}%`), ilike(students.studentNo, `${escapeLike(q.q)}%`)));
      const where = and(...conds);
      const [rows, [{ total }]] = await Promise.all([
        db
          .select({ s: students, className: classes.name, campusName: campuses.name })
          .from(students)
          .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)))
          .innerJoin(campuses, and(eq(campuses.schoolId, students.schoolId), eq(campuses.id, students.campusId)))
          .where(where)
          .orderBy(asc(students.grade), asc(classes.name), asc(students.studentNo))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ total: count() }).from(students).where(where),
      ]);
      return {
        items: rows.map((r) => presentStudentRow({ ...r.s, className: r.className, campusName: r.campusName })),
        total: Number(total),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

  app.get(
    '/students/:id',
    { config: { policy: allow('student.read') }, schema: { tags: ['roster'], summary: '学生档案（读取记入审计）', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ s: students, className: classes.name, campusName: campuses.name })
          .from(students)
          .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)))
          .innerJoin(campuses, and(eq(campuses.schoolId, students.schoolId), eq(campuses.id, students.campusId)))
          .where(and(studentScope(actor), eq(students.id, req.params.id)));
        if (!row) throw notFound('学生');
        const showContacts = actor.permissions.has('guardian.read');
        const [gs, ps] = await Promise.all([
          showContacts
            ? tx
                .select({ g: guardians, relation: studentGuardians.relation, isPrimary: studentGuardians.isPrimary })
                .from(studentGuardians)
                .innerJoin(guardians, and(eq(guardians.schoolId, studentGuardians.schoolId), eq(guardians.id, studentGuardians.guardianId)))
                .where(and(eq(studentGuardians.schoolId, schoolId), eq(studentGuardians.studentId, row.s.id)))
                .orderBy(asc(guardians.name))
            : Promise.resolve([]),
          tx
            .select()
            .from(pickupPersons)
            .where(and(eq(pickupPersons.schoolId, schoolId), eq(pickupPersons.studentId, row.s.id)))
            .orderBy(asc(pickupPersons.createdAt)),
        ]);
        await audit(tx, actor, schoolId, { action: 'student.read', entity: 'student', entityId: row.s.id, detail: { name: row.s.name } });
        return {
          ...presentStudentRow({ ...row.s, className: row.className, campusName: row.campusName }),
          // R13: the file has the address and the guardians' contacts, for those allowed to see them.
          address: showContacts ? row.s.address : null,
          guardians: gs.map((g) => presentGuardianLink({ ...g.g, relation: g.relation, isPrimary: g.isPrimary })),
          pickups: ps.map(presentPickup),
        };
      });
    },
  );

  app.post(
    '/students',
    { config: { policy: allow('student.write') }, schema: { tags: ['roster'], summary: '新增学生', body: studentInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const cls = await classOfSchool(tx, schoolId, req.body.classId);
        const id = newId();
        const [s] = await tx
          .insert(students)
          .values({ ...req.body, schoolId, id, grade: cls.grade, campusId: cls.campusId })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'student.create',
          entity: 'student',
          entityId: id,
          detail: { name: s.name, studentNo: s.studentNo },
        });
        return presentStudentRow({ ...s, className: cls.name });
      });
    },
  );

  app.patch(
    '/students/:id',
    {
      config: { policy: allow('student.write') },
      schema: {
        tags: ['roster'],
        summary: '修改学生信息',
        params: idParams,
        body: patchOf(studentInput).extend({ active: z.boolean().optional() }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [cur] = await tx
          .select()
          .from(students)
          .where(and(studentScope(actor), eq(students.id, req.params.id)));
        if (!cur) throw notFound('学生');
        const patch: Partial<typeof students.$inferInsert> = { ...req.body, updatedAt: new Date() };
        if (req.body.classId) {
          const cls = await classOfSchool(tx, schoolId, req.body.classId);
          patch.grade = cls.grade;
          patch.campusId = cls.campusId;
        }
        const [s] = await tx
          .update(students)
          .set(patch)
          .where(and(eq(students.schoolId, schoolId), eq(students.id, cur.id)))
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'student.update',
          entity: 'student',
          entityId: s.id,
          detail: { fields: Object.keys(req.body) },
        });
        return presentStudentRow(s);
      });
    },
  );
};

/** `%` and `_` typed into a search box are letters, not wildcards. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
