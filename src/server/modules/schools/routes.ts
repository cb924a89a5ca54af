/** The district bureau's view of its schools: list with counts, add and edit schools. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { patchOf, schoolInput } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { actorOf } from '../../authz/request';
import type { Actor } from '../../auth/actor';
import { districts, schools } from '../../db/schema';
import { forbidden, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { auditPlatform } from '../audit/service';
import { presentSchool } from '../roster/org.routes';

const idParams = z.object({ id: z.uuid() });

function districtOf(actor: Actor): string {
  if (!actor.districtId) throw forbidden('请切换到区教育局身份');
  return actor.districtId;
}

export const schoolRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get('/district', { config: { policy: allow('district.read') }, schema: { tags: ['district'], summary: '本区信息' } }, async (req) => {
    const districtId = districtOf(actorOf(req));
    const [d] = await db.select().from(districts).where(eq(districts.id, districtId));
    if (!d) throw notFound('区县');
    return { id: d.id, code: d.code, name: d.name };
  });

  app.get(
    '/district/schools',
    { config: { policy: allow('district.read') }, schema: { tags: ['district'], summary: '本区学校及规模' } },
    async (req) => {
      const districtId = districtOf(actorOf(req));
      // Spelled out: in a one-table select drizzle renders ${schools.id} as a bare "id", which
      // inside these subqueries names the subquery's own id column (and every count was 0).
      const schoolIdRef = sql.raw('"schools"."id"');
      const rows = await db
        .select({
          s: schools,
          campuses: sql<number>`(SELECT count(*) FROM campuses c WHERE c.school_id = ${schoolIdRef})`,
          classes: sql<number>`(SELECT count(*) FROM classes c WHERE c.school_id = ${schoolIdRef})`,
          students: sql<number>`(SELECT count(*) FROM students s WHERE s.school_id = ${schoolIdRef} AND s.active)`,
          staff: sql<number>`(SELECT count(*) FROM staff s WHERE s.school_id = ${schoolIdRef} AND s.active)`,
        })
        .from(schools)
        .where(eq(schools.districtId, districtId))
        .orderBy(asc(schools.name));
      return rows.map((r) => ({
        ...presentSchool(r.s),
        campuses: Number(r.campuses),
        classes: Number(r.classes),
        students: Number(r.students),
        staff: Number(r.staff),
      }));
    },
  );

  app.post(
    '/district/schools',
    { config: { policy: allow('school.create') }, schema: { tags: ['district'], summary: '新增学校', body: schoolInput } },
    async (req) => {
      const actor = actorOf(req);
      const districtId = districtOf(actor);
      return db.transaction(async (tx) => {
        const [s] = await tx
          .insert(schools)
          .values({ ...req.body, id: newId(), districtId })
          .returning();
        await auditPlatform(tx, {
          action: 'school.create',
          entity: 'school',
          entityId: s.id,
          accountId: actor.accountId,
          districtId,
          ip: actor.ip,
          detail: { name: s.name },
        });
        return presentSchool(s);
      });
    },
  );

  app.patch(
    '/district/schools/:id',
    {
      config: { policy: allow('district.write') },
      schema: { tags: ['district'], summary: '修改学校', params: idParams, body: patchOf(schoolInput) },
    },
    async (req) => {
      const actor = actorOf(req);
      const districtId = districtOf(actor);
      return db.transaction(async (tx) => {
        const [s] = await tx
          .update(schools)
          .set(req.body)
          .where(and(eq(schools.id, req.params.id), eq(schools.districtId, districtId)))
          .returning();
        if (!s) throw notFound('学校');
        await auditPlatform(tx, {
          action: 'school.update',
          entity: 'school',
          entityId: s.id,
          accountId: actor.accountId,
          districtId,
          ip: actor.ip,
          detail: { fields: Object.keys(req.body) },
        });
        return presentSchool(s);
      });
    },
  );
};
