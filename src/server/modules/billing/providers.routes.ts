/**
 * The district's approved third-party providers (N17, L2): only these may have fees collected by a
 * school on their behalf (代收费). The bureau maintains the list; schools read it.
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../auth/actor';
import { allow } from '../../authz/policy';
import { actorOf, schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { approvedProviders } from '../../db/schema';
import { AppError, forbidden, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { auditPlatform } from '../audit/service';

function districtOf(actor: Actor): string {
  if (!actor.districtId) throw forbidden('请切换到区教育局身份');
  return actor.districtId;
}

const list = (db: Db, districtId: string) =>
  queryRows(
    db,
    sql`SELECT id, name, credit_code AS "creditCode", status, note, created_at AS "createdAt", removed_at AS "removedAt"
          FROM approved_providers WHERE district_id = ${districtId} ORDER BY status, name`,
  );

export const providerRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/district/providers',
    { config: { policy: allow('district.read') }, schema: { tags: ['billing'], summary: '准入第三方机构名单' } },
    async (req) => list(db, districtOf(actorOf(req))),
  );

  app.get(
    '/billing/providers',
    { config: { policy: allow('billing.read') }, schema: { tags: ['billing'], summary: '本区准入第三方机构（学校查看）' } },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const [s] = await queryRows<{ district_id: string }>(db, sql`SELECT district_id FROM schools WHERE id = ${schoolId}`);
      return (await list(db, s.district_id)).filter((p) => (p as { status: string }).status === 'active');
    },
  );

  app.post(
    '/district/providers',
    {
      config: { policy: allow('district.write') },
      schema: {
        tags: ['billing'],
        summary: '将第三方机构列入准入名单',
        body: z.object({
          name: z.string().trim().min(2).max(100),
          creditCode: z.string().trim().max(18).default(''),
          note: z.string().trim().max(300).default(''),
        }),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const districtId = districtOf(actor);
      const b = req.body;
      const id = newId();
      await db.transaction(async (tx) => {
        const clash = await queryRows(tx, sql`SELECT 1 FROM approved_providers WHERE district_id = ${districtId} AND name = ${b.name}`);
        if (clash.length > 0) throw new AppError(409, 'PROVIDER_EXISTS', '该机构已在名单中');
        await tx.insert(approvedProviders).values({ districtId, id, name: b.name, creditCode: b.creditCode, note: b.note });
        await auditPlatform(tx, {
          action: 'provider.approve',
          entity: 'provider',
          entityId: id,
          accountId: actor.accountId,
          districtId,
          ip: actor.ip,
          detail: b,
        });
      });
      return { id, ...b, status: 'active' };
    },
  );

  app.post(
    '/district/providers/:id/remove',
    {
      config: { policy: allow('district.write') },
      schema: { tags: ['billing'], summary: '移出准入名单（此后不能再代收其费用）', params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const actor = actorOf(req);
      const districtId = districtOf(actor);
      const ok = await db.transaction(async (tx) => {
        const rows = await queryRows(
          tx,
          sql`UPDATE approved_providers SET status = 'removed', removed_at = now() WHERE district_id = ${districtId} AND id = ${req.params.id} AND status = 'active' RETURNING id`,
        );
        if (rows.length === 0) return false;
        await auditPlatform(tx, {
          action: 'provider.remove',
          entity: 'provider',
          entityId: req.params.id,
          accountId: actor.accountId,
          districtId,
          ip: actor.ip,
        });
        return true;
      });
      if (!ok) throw notFound('准入机构');
      return { id: req.params.id, status: 'removed' };
    },
  );
};
