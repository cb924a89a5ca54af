/** Shift swaps (R8) over HTTP: ask, accept / decline / withdraw, and the office's approval. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SWAP_STATUS_LABELS, type SwapStatus } from '../../../shared/rota';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { staffIdsOf, todayOf } from '../daily/days';
import { decide, requestSwap, respond } from './swaps.service';

const idParams = z.object({ id: z.uuid() });
const leg = z.object({ day: z.iso.date(), groupId: z.uuid().nullable() }).strict();

export const swapRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/swaps',
    {
      config: { policy: allow('swap.request') },
      schema: {
        tags: ['rota'],
        summary: '调班申请（办公室：全校；教职工：本人参与的）',
        querystring: z.object({ status: z.enum(['open', 'all']).default('all') }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const office = actor.permissions.has('swap.approve');
      const mine = await staffIdsOf(db, schoolId, actor.accountId);
      const ids = mine.length
        ? sql.join(
            mine.map((m) => sql`${m}::uuid`),
            sql`, `,
          )
        : sql`NULL`;
      const rows = await queryRows<Record<string, unknown> & { status: SwapStatus; requesterStaffId: string; colleagueStaffId: string }>(
        db,
        sql`SELECT sw.id, sw.status, sw.reason, sw.created_at AS "createdAt", sw.accepted_at AS "acceptedAt", sw.decided_at AS "decidedAt",
                   sw.decision_note AS "decisionNote", sw.requester_staff_id AS "requesterStaffId", rq.name AS "requesterName",
                   sw.colleague_staff_id AS "colleagueStaffId", co.name AS "colleagueName",
                   (SELECT json_agg(json_build_object('leg', l.leg, 'day', l.day, 'groupId', l.group_id, 'slot', COALESCE(g.slot, 'afternoon'),
                             'label', CASE WHEN g.id IS NULL THEN '值班领导' ELSE cp.name || ' ' || o.name || ' ' || g.idx || '组' END,
                             'venueName', v.name, 'fromStaffId', l.from_staff_id, 'toStaffId', l.to_staff_id) ORDER BY l.leg)
                      FROM shift_swap_legs l LEFT JOIN care_groups g ON g.school_id = l.school_id AND g.id = l.group_id
                      LEFT JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
                      LEFT JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
                      LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
                     WHERE l.school_id = sw.school_id AND l.swap_id = sw.id) AS legs
              FROM shift_swaps sw JOIN staff rq ON rq.school_id = sw.school_id AND rq.id = sw.requester_staff_id
              JOIN staff co ON co.school_id = sw.school_id AND co.id = sw.colleague_staff_id
             WHERE sw.school_id = ${schoolId}
               ${office ? sql`` : sql`AND (sw.requester_staff_id IN (${ids}) OR sw.colleague_staff_id IN (${ids}))`}
               ${req.query.status === 'open' ? sql`AND sw.status IN ('requested', 'accepted')` : sql``}
             ORDER BY (sw.status IN ('requested', 'accepted')) DESC, sw.created_at DESC LIMIT 500`,
      );
      return {
        swaps: rows.map((r) => ({
          ...r,
          statusLabel: SWAP_STATUS_LABELS[r.status],
          role: mine.includes(r.requesterStaffId) ? 'requester' : mine.includes(r.colleagueStaffId) ? 'colleague' : null,
        })),
      };
    },
  );

  app.post(
    '/swaps',
    {
      config: { policy: allow('swap.request') },
      schema: {
        tags: ['rota'],
        summary: '申请调班：把一个班次（某日的托管组或值班）交给同事，或与同事的班次互换',
        body: z
          .object({ colleagueStaffId: z.uuid(), give: leg, take: leg.optional(), reason: z.string().trim().max(500).default('') })
          .strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const id = await db.transaction((tx) => requestSwap(tx, actor, schoolId, req.body, todayOf(app.deps)));
      return reply.code(201).send({ id, status: 'requested' as const });
    },
  );

  for (const what of ['accept', 'decline', 'cancel'] as const)
    app.post(
      `/swaps/:id/${what}`,
      {
        config: { policy: allow('swap.request') },
        schema: {
          tags: ['rota'],
          summary: { accept: '同事同意接班', decline: '同事拒绝', cancel: '申请人撤回' }[what],
          params: idParams,
        },
      },
      async (req) => {
        const { actor, schoolId } = schoolActor(req);
        const status = await db.transaction((tx) => respond(tx, actor, schoolId, req.params.id, what, todayOf(app.deps)));
        return { id: req.params.id, status };
      },
    );

  for (const what of ['approve', 'refuse'] as const)
    app.post(
      `/swaps/:id/${what}`,
      {
        config: { policy: allow('swap.approve') },
        schema: {
          tags: ['rota'],
          summary: what === 'approve' ? '批准调班（再次检查不重复排班）' : '不批准调班',
          params: idParams,
          body: z.object({ note: z.string().trim().max(500).default('') }).strict(),
        },
      },
      async (req) => {
        const { actor, schoolId } = schoolActor(req);
        const status = await db.transaction((tx) =>
          decide(tx, actor, schoolId, req.params.id, what === 'approve', req.body.note, todayOf(app.deps)),
        );
        return { id: req.params.id, status };
      },
    );
};
