/** The school's own record, its campuses, homeroom classes and staff. */
import { and, asc, count, eq, ilike, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campusInput, classInput, pageQuery, schoolInput, staffInput, STAFF_KINDS, VETTING, patchOf } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { campuses, classes, schools, staff, students } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { presentCampus, presentClass, presentStaff } from './presenter';
import { escapeLike } from './students.routes';

const idParams = z.object({ id: z.uuid() });

async function campusOf(db: Db, schoolId: string, id: string | null | undefined) {
  if (!id) return;
  const [c] = await db
    .select()
    .from(campuses)
    .where(and(eq(campuses.schoolId, schoolId), eq(campuses.id, id)));
  if (!c) throw notFound('校区');
}

async function staffOf(db: Db, schoolId: string, id: string | null | undefined) {
  if (!id) return;
  const [s] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.schoolId, schoolId), eq(staff.id, id)));
  if (!s) throw notFound('教师');
}

export const presentSchool = (s: typeof schools.$inferSelect) => ({
  id: s.id,
  code: s.code,
  name: s.name,
  address: s.address,
  phone: s.phone,
  remote: s.remote,
});

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get('/school', { config: { policy: allow('school.read') }, schema: { tags: ['school'], summary: '本校信息' } }, async (req) => {
    const { schoolId } = schoolActor(req);
    const [s] = await db.select().from(schools).where(eq(schools.id, schoolId));
    if (!s) throw notFound('学校');
    return presentSchool(s);
  });

  app.patch(
    '/school',
    {
      config: { policy: allow('school.write') },
      schema: { tags: ['school'], summary: '修改本校信息', body: patchOf(schoolInput.omit({ code: true, remote: true })) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [s] = await tx.update(schools).set(req.body).where(eq(schools.id, schoolId)).returning();
        await audit(tx, actor, schoolId, {
          action: 'school.update',
          entity: 'school',
          entityId: schoolId,
          detail: { fields: Object.keys(req.body) },
        });
        return presentSchool(s);
      });
    },
  );

  app.get('/campuses', { config: { policy: allow('campus.read') }, schema: { tags: ['school'], summary: '校区' } }, async (req) => {
    const { schoolId } = schoolActor(req);
    const rows = await db.select().from(campuses).where(eq(campuses.schoolId, schoolId)).orderBy(asc(campuses.name));
    return rows.map(presentCampus);
  });

  app.post(
    '/campuses',
    { config: { policy: allow('campus.write') }, schema: { tags: ['school'], summary: '新增校区', body: campusInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [c] = await tx
          .insert(campuses)
          .values({ ...req.body, schoolId, id: newId() })
          .returning();
        await audit(tx, actor, schoolId, { action: 'campus.create', entity: 'campus', entityId: c.id, detail: { name: c.name } });
        return presentCampus(c);
      });
    },
  );

  app.patch(
    '/campuses/:id',
    {
      config: { policy: allow('campus.write') },
      schema: { tags: ['school'], summary: '修改校区', params: idParams, body: patchOf(campusInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [c] = await tx
          .update(campuses)
          .set(req.body)
          .where(and(eq(campuses.schoolId, schoolId), eq(campuses.id, req.params.id)))
          .returning();
        if (!c) throw notFound('校区');
        await audit(tx, actor, schoolId, {
          action: 'campus.update',
          entity: 'campus',
          entityId: c.id,
          detail: { fields: Object.keys(req.body) },
        });
        return presentCampus(c);
      });
    },
  );

  app.get(
    '/classes',
    {
      config: { policy: allow('class.read') },
      schema: {
        tags: ['school'],
        summary: '行政班',
        querystring: z.object({ campusId: z.uuid().optional(), grade: z.coerce.number().int().min(1).max(6).optional() }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const rows = await db
        .select({
          c: classes,
          campusName: campuses.name,
          homeroomName: staff.name,
          studentCount: sql<number>`(SELECT count(*) FROM students s WHERE s.school_id = ${classes.schoolId} AND s.class_id = ${classes.id} AND s.active)`,
        })
        .from(classes)
        .innerJoin(campuses, and(eq(campuses.schoolId, classes.schoolId), eq(campuses.id, classes.campusId)))
        .leftJoin(staff, and(eq(staff.schoolId, classes.schoolId), eq(staff.id, classes.homeroomStaffId)))
        .where(
          and(
            eq(classes.schoolId, schoolId),
            req.query.campusId ? eq(classes.campusId, req.query.campusId) : undefined,
            req.query.grade ? eq(classes.grade, req.query.grade) : undefined,
          ),
        )
        .orderBy(asc(campuses.name), asc(classes.grade), asc(classes.name));
      return rows.map((r) =>
        presentClass({ ...r.c, campusName: r.campusName, homeroomName: r.homeroomName, studentCount: r.studentCount }),
      );
    },
  );

  app.post(
    '/classes',
    { config: { policy: allow('class.write') }, schema: { tags: ['school'], summary: '新增行政班', body: classInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        await campusOf(tx, schoolId, req.body.campusId);
        await staffOf(tx, schoolId, req.body.homeroomStaffId);
        const [c] = await tx
          .insert(classes)
          .values({ ...req.body, schoolId, id: newId() })
          .returning();
        await audit(tx, actor, schoolId, { action: 'class.create', entity: 'class', entityId: c.id, detail: { name: c.name } });
        return presentClass(c);
      });
    },
  );

  app.patch(
    '/classes/:id',
    {
      config: { policy: allow('class.write') },
      schema: { tags: ['school'], summary: '修改行政班', params: idParams, body: patchOf(classInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        await campusOf(tx, schoolId, req.body.campusId);
        await staffOf(tx, schoolId, req.body.homeroomStaffId);
        const [c] = await tx
          .update(classes)
          .set(req.body)
          .where(and(eq(classes.schoolId, schoolId), eq(classes.id, req.params.id)))
          .returning();
        if (!c) throw notFound('班级');
        // A pupil's grade and campus follow the class.
        if (req.body.grade !== undefined || req.body.campusId !== undefined) {
          await tx
            .update(students)
            .set({ grade: c.grade, campusId: c.campusId })
            .where(and(eq(students.schoolId, schoolId), eq(students.classId, c.id)));
        }
        await audit(tx, actor, schoolId, {
          action: 'class.update',
          entity: 'class',
          entityId: c.id,
          detail: { fields: Object.keys(req.body) },
        });
        return presentClass(c);
      });
    },
  );

  const staffQuery = pageQuery.extend({ kind: z.enum(STAFF_KINDS).optional(), vettingStatus: z.enum(VETTING).optional() });
  app.get(
    '/staff',
    { config: { policy: allow('staff.read') }, schema: { tags: ['school'], summary: '教职工与外聘人员', querystring: staffQuery } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const q = req.query;
      const where = and(
        eq(staff.schoolId, schoolId),
        q.kind ? eq(staff.kind, q.kind) : undefined,
        q.vettingStatus ? eq(staff.vettingStatus, q.vettingStatus) : undefined,
        q.q ? ilike(staff.name, `%${escapeLike(q.q)}%`) : undefined,
      );
      const [rows, [{ total }]] = await Promise.all([
        db
          .select({ s: staff, campusName: campuses.name })
          .from(staff)
          .leftJoin(campuses, and(eq(campuses.schoolId, staff.schoolId), eq(campuses.id, staff.campusId)))
          .where(where)
          .orderBy(asc(staff.name))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ total: count() }).from(staff).where(where),
      ]);
      return {
        items: rows.map((r) => presentStaff({ ...r.s, campusName: r.campusName })),
        total: Number(total),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

  app.post(
    '/staff',
    { config: { policy: allow('staff.write') }, schema: { tags: ['school'], summary: '新增教职工', body: staffInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        await campusOf(tx, schoolId, req.body.campusId);
        const [s] = await tx
          .insert(staff)
          .values({ ...req.body, schoolId, id: newId() })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'staff.create',
          entity: 'staff',
          entityId: s.id,
          detail: { name: s.name, vetting: s.vettingStatus },
        });
        return presentStaff(s);
      });
    },
  );

  app.patch(
    '/staff/:id',
    {
      config: { policy: allow('staff.write') },
      schema: { tags: ['school'], summary: '修改教职工（含从业审查）', params: idParams, body: patchOf(staffInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        await campusOf(tx, schoolId, req.body.campusId);
        const [s] = await tx
          .update(staff)
          .set(req.body)
          .where(and(eq(staff.schoolId, schoolId), eq(staff.id, req.params.id)))
          .returning();
        if (!s) throw notFound('教职工');
        await audit(tx, actor, schoolId, {
          action: 'staff.update',
          entity: 'staff',
          entityId: s.id,
          detail: { fields: Object.keys(req.body), vetting: s.vettingStatus },
        });
        return presentStaff(s);
      });
    },
  );
};
