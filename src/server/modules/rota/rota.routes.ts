/** The term rota: the office's whole-school view and .xlsx, a teacher's own shifts, and the colleagues one can swap with. */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { staffIdsOf, todayOf } from '../daily/days';
import { sendWorkbook } from '../imports/xlsx';
import { loadRota } from './rota.service';
import { rotaByMonth, rotaByTeacher } from './xlsx';

const isoDate = z.iso.date();
const termParams = z.object({ termId: z.uuid() });
const range = z.object({ from: isoDate.optional(), to: isoDate.optional() });

export const rotaRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/rota/terms/:termId',
    {
      config: { policy: allow('rota.read') },
      schema: {
        tags: ['rota'],
        summary: '学期排班表（办公室：全校，可按教师筛选；教师：本人的班次）',
        params: termParams,
        querystring: range.extend({ staffId: z.uuid().optional() }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const office = actor.permissions.has('rota.export');
      let staffIds: string[] | undefined;
      if (!office) staffIds = await staffIdsOf(db, schoolId, actor.accountId);
      else if (req.query.staffId) {
        const [s] = await queryRows(db, sql`SELECT 1 FROM staff WHERE school_id = ${schoolId} AND id = ${req.query.staffId}`);
        if (!s) throw notFound('教职工');
        staffIds = [req.query.staffId];
      }
      const view = await loadRota(db, schoolId, req.params.termId, { from: req.query.from, to: req.query.to, staffIds });
      return { term: view.term, today: todayOf(app.deps), mine: office ? null : staffIds, days: view.days };
    },
  );

  app.get(
    '/rota/terms/:termId/export',
    {
      config: { policy: allow('rota.export') },
      schema: {
        tags: ['rota'],
        summary: '导出排班表 .xlsx（按月分表，或按教师分表并汇总课时）',
        params: termParams,
        querystring: range.extend({ by: z.enum(['month', 'teacher']).default('month') }),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const view = await loadRota(db, schoolId, req.params.termId, { from: req.query.from, to: req.query.to });
      const wb = req.query.by === 'teacher' ? rotaByTeacher(view) : rotaByMonth(view);
      await audit(db, actor, schoolId, { action: 'rota.export', entity: 'term', entityId: view.term.id, detail: { by: req.query.by } });
      const name = `${view.term.name}排班表（${req.query.by === 'teacher' ? '按教师' : '按月'}）.xlsx`;
      return sendWorkbook(reply, wb, name, `rota-${req.query.by}.xlsx`);
    },
  );

  app.get(
    '/rota/staff',
    {
      config: { policy: allow('rota.read') },
      schema: { tags: ['rota'], summary: '可调班的同事（在岗；未通过审查的标明不可接班）' },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const mine = await staffIdsOf(db, schoolId, actor.accountId);
      const today = todayOf(app.deps);
      const rows = await queryRows<{ id: string; name: string; campusName: string | null; kind: string; eligible: boolean }>(
        db,
        sql`SELECT s.id, s.name, cp.name AS "campusName", s.kind,
                   (s.vetting_status = 'clear' AND s.vetting_checked_on IS NOT NULL AND s.vetting_checked_on > ${today}::date - interval '1 year') AS eligible
              FROM staff s LEFT JOIN campuses cp ON cp.school_id = s.school_id AND cp.id = s.campus_id
             WHERE s.school_id = ${schoolId} AND s.active ORDER BY s.name`,
      );
      return { mine, staff: rows.map((r) => ({ ...r, me: mine.includes(r.id) })) };
    },
  );
};
