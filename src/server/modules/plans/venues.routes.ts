/** Venues per campus (教室、功能室、图书馆、操场、多媒体教室、体育馆) with their capacities. */
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { venueInput } from '../../../shared/plan-inputs';
import { patchOf } from '../../../shared/roster';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import type { Db } from '../../db/client';
import { campuses, offerings, venues } from '../../db/schema';
import { conflict, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { presentVenue } from './presenter';

const idParams = z.object({ id: z.uuid() });

async function campusOf(db: Db, schoolId: string, id: string | undefined) {
  if (!id) return;
  const [c] = await db
    .select({ id: campuses.id })
    .from(campuses)
    .where(and(eq(campuses.schoolId, schoolId), eq(campuses.id, id)));
  if (!c) throw notFound('校区');
}

export const venueRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/venues',
    {
      config: { policy: allow('venue.read') },
      schema: { tags: ['plans'], summary: '服务场地', querystring: z.object({ campusId: z.uuid().optional() }) },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const rows = await db
        .select({ v: venues, campusName: campuses.name })
        .from(venues)
        .innerJoin(campuses, and(eq(campuses.schoolId, venues.schoolId), eq(campuses.id, venues.campusId)))
        .where(and(eq(venues.schoolId, schoolId), req.query.campusId ? eq(venues.campusId, req.query.campusId) : undefined))
        .orderBy(asc(campuses.name), asc(venues.kind), asc(venues.name));
      return rows.map((r) => presentVenue({ ...r.v, campusName: r.campusName }));
    },
  );

  app.post(
    '/venues',
    { config: { policy: allow('venue.write') }, schema: { tags: ['plans'], summary: '新增场地', body: venueInput } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        await campusOf(tx, schoolId, req.body.campusId);
        const [v] = await tx
          .insert(venues)
          .values({ ...req.body, schoolId, id: newId() })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'venue.create',
          entity: 'venue',
          entityId: v.id,
          detail: { name: v.name, capacity: v.capacity },
        });
        return presentVenue(v);
      });
    },
  );

  app.patch(
    '/venues/:id',
    {
      config: { policy: allow('venue.write') },
      schema: { tags: ['plans'], summary: '修改场地', params: idParams, body: patchOf(venueInput) },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        await campusOf(tx, schoolId, req.body.campusId);
        const [v] = await tx
          .update(venues)
          .set(req.body)
          .where(and(eq(venues.schoolId, schoolId), eq(venues.id, req.params.id)))
          .returning();
        if (!v) throw notFound('场地');
        await audit(tx, actor, schoolId, {
          action: 'venue.update',
          entity: 'venue',
          entityId: v.id,
          detail: { fields: Object.keys(req.body) },
        });
        return presentVenue(v);
      });
    },
  );

  app.delete(
    '/venues/:id',
    { config: { policy: allow('venue.write') }, schema: { tags: ['plans'], summary: '删除场地（未被项目使用时）', params: idParams } },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      return db.transaction(async (tx) => {
        const [used] = await tx
          .select({ id: offerings.id })
          .from(offerings)
          .where(and(eq(offerings.schoolId, schoolId), eq(offerings.venueId, req.params.id)))
          .limit(1);
        if (used) throw conflict('VENUE_IN_USE', '场地已被服务项目使用，不能删除；可以改为停用');
        const gone = await tx
          .delete(venues)
          .where(and(eq(venues.schoolId, schoolId), eq(venues.id, req.params.id)))
          .returning();
        if (gone.length === 0) throw notFound('场地');
        await audit(tx, actor, schoolId, {
          action: 'venue.delete',
          entity: 'venue',
          entityId: req.params.id,
          detail: { name: gone[0].name },
        });
        return { ok: true };
      });
    },
  );
};
