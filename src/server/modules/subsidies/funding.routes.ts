/**
 * District (经费): the subsidy rate per pupil per year for each school (R10 cap: 500 yuan, 600 for
 * schools marked remote), the range of hourly rates its schools may pay, the budget (rate × enrolled
 * pupils) against what each school's ledger shows, and allocating a term's share, posted in the
 * school's own ledger (receivable.district / income.district_subsidy).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatYuan } from '../../../shared/ledger';
import { annualBudgetFen, rangesOf, rateRangesSchema, subsidyCapFen, termShareFen } from '../../../shared/subsidies';
import { allow } from '../../authz/policy';
import { actorOf } from '../../authz/request';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { districtAllocations, schoolFunding, schools } from '../../db/schema';
import { AppError, forbidden, notFound } from '../../lib/errors';
import { audit, auditPlatform } from '../audit/service';
import { todayInChina } from '../enrollment/published';
import { isTermClosed, postTransaction } from '../ledger';

const idParams = z.object({ id: z.uuid() });

function districtOf(actor: Actor): string {
  if (!actor.districtId) throw forbidden('请切换到区教育局身份');
  return actor.districtId;
}

interface FundingRow {
  id: string;
  code: string;
  name: string;
  remote: boolean;
  ratePerPupilFen: number;
  rateRanges: unknown;
  termId: string | null;
  termName: string | null;
  pupils: number;
  allocatedFen: string;
  spentFen: string;
  termAllocated: boolean;
}

/**
 * Every school of the district in one statement: its current term (the one today falls in, else
 * the latest), pupils enrolled in it, and the ledger's district subsidy and service spending for it.
 */
async function fundingRows(db: Db, districtId: string, schoolId: string | null = null) {
  const today = todayInChina();
  const rows = await queryRows<FundingRow>(
    db,
    sql`SELECT s.id, s.code, s.name, s.remote, COALESCE(f.rate_per_pupil_fen, 0) AS "ratePerPupilFen", f.rate_ranges AS "rateRanges",
               t.id AS "termId", t.name AS "termName",
               COALESCE((SELECT count(DISTINCT e.student_id) FROM enrollments e
                          WHERE e.school_id = s.id AND e.term_id = t.id AND e.status = 'enrolled'), 0)::int AS pupils,
               COALESCE(-(SELECT SUM(l.amount_fen) FROM ledger_entries l
                          WHERE l.school_id = s.id AND l.term_id = t.id AND l.account = 'income.district_subsidy'), 0)::text AS "allocatedFen",
               COALESCE((SELECT SUM(l.amount_fen) FROM ledger_entries l
                          WHERE l.school_id = s.id AND l.term_id = t.id AND l.account IN ('expense.teacher_subsidy','expense.labour_fee','expense.materials','expense.other')), 0)::text AS "spentFen",
               EXISTS (SELECT 1 FROM district_allocations a WHERE a.school_id = s.id AND a.term_id = t.id) AS "termAllocated"
          FROM schools s
          LEFT JOIN school_funding f ON f.school_id = s.id
          LEFT JOIN LATERAL (SELECT id, name FROM terms WHERE school_id = s.id
                              ORDER BY (starts_on <= ${today}::date AND ends_on >= ${today}::date) DESC, starts_on DESC LIMIT 1) t ON true
         WHERE s.district_id = ${districtId} ${schoolId ? sql`AND s.id = ${schoolId}` : sql``}
         ORDER BY s.name`,
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    remote: r.remote,
    capFen: subsidyCapFen(r.remote),
    ratePerPupilFen: r.ratePerPupilFen,
    rateRanges: rangesOf(r.rateRanges),
    term: r.termId ? { id: r.termId, name: r.termName } : null,
    pupils: r.pupils,
    budgetFen: annualBudgetFen(r.ratePerPupilFen, r.pupils),
    termShareFen: termShareFen(r.ratePerPupilFen, r.pupils),
    allocatedFen: Number(r.allocatedFen),
    spentFen: Number(r.spentFen),
    termAllocated: r.termAllocated,
  }));
}

export const fundingRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/district/funding',
    { config: { policy: allow('funding.read') }, schema: { tags: ['district'], summary: '各校补助标准、预算与支出' } },
    async (req) => fundingRows(db, districtOf(actorOf(req))),
  );

  app.put(
    '/district/schools/:id/funding',
    {
      config: { policy: allow('funding.write') },
      schema: {
        tags: ['district'],
        summary: '设置学校的生均补助（R10 上限）与补贴标准范围',
        params: idParams,
        body: z
          .object({
            ratePerPupilFen: z.number().int().min(0),
            remote: z.boolean().optional(),
            rateRanges: rateRangesSchema.optional(),
          })
          .strict(),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const districtId = districtOf(actor);
      const [s] = await db
        .select()
        .from(schools)
        .where(and(eq(schools.id, req.params.id), eq(schools.districtId, districtId)));
      if (!s) throw notFound('学校');
      const remote = req.body.remote ?? s.remote;
      const cap = subsidyCapFen(remote);
      if (req.body.ratePerPupilFen > cap)
        throw new AppError(
          422,
          'OVER_CAP',
          `生均补助每年不得超过 ${formatYuan(cap)} 元${remote ? '（边远地区学校上浮 20%）' : '（边远地区学校可上浮 20%）'}`,
        );
      const now = new Date();
      await db.transaction(async (tx) => {
        if (req.body.remote !== undefined && req.body.remote !== s.remote)
          await tx.update(schools).set({ remote }).where(eq(schools.id, s.id));
        const set = {
          ratePerPupilFen: req.body.ratePerPupilFen,
          ...(req.body.rateRanges ? { rateRanges: req.body.rateRanges } : {}),
          updatedBy: actor.accountId,
          updatedAt: now,
        };
        await tx
          .insert(schoolFunding)
          .values({ schoolId: s.id, ...set })
          .onConflictDoUpdate({ target: [schoolFunding.schoolId], set });
        await auditPlatform(tx, {
          accountId: actor.accountId,
          districtId,
          ip: actor.ip,
          action: 'funding.set',
          entity: 'school',
          entityId: s.id,
          detail: { ...req.body },
        });
      });
      const [row] = await fundingRows(db, districtId, s.id);
      return row;
    },
  );

  app.post(
    '/district/schools/:id/allocations',
    {
      config: { policy: allow('funding.write') },
      schema: {
        tags: ['district'],
        summary: '下拨本学期补助（记入学校账目）',
        params: idParams,
        body: z.object({ termId: z.uuid() }).strict(),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const districtId = districtOf(actor);
      const [s] = await fundingRows(db, districtId, req.params.id);
      if (!s) throw notFound('学校');
      const [t] = await queryRows<{ name: string }>(db, sql`SELECT name FROM terms WHERE school_id = ${s.id} AND id = ${req.body.termId}`);
      // the term is named in the body: an unknown one is bad input for this school, not a missing route object
      if (!t) throw new AppError(422, 'TERM_UNKNOWN', '该学校没有这个学期');
      if (await isTermClosed(db, s.id, req.body.termId)) throw new AppError(409, 'TERM_CLOSED', '该学期已结账，账目只读，不能再记账');
      const [p] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(DISTINCT student_id)::int AS n FROM enrollments WHERE school_id = ${s.id} AND term_id = ${req.body.termId} AND status = 'enrolled'`,
      );
      const amountFen = termShareFen(s.ratePerPupilFen, p.n);
      if (amountFen <= 0) throw new AppError(422, 'NOTHING_TO_ALLOCATE', '未设置生均补助或本学期没有在读学生');
      await db.transaction(async (tx) => {
        const [dup] = await queryRows(
          tx,
          sql`SELECT 1 FROM district_allocations WHERE school_id = ${s.id} AND term_id = ${req.body.termId} FOR UPDATE`,
        );
        if (dup) throw new AppError(409, 'ALREADY_ALLOCATED', `${t.name} 的补助已下拨`);
        const txnId = await postTransaction(tx, {
          schoolId: s.id,
          termId: req.body.termId,
          kind: 'district',
          sourceType: 'district_allocation',
          memo: `${t.name} 财政补助 ${p.n} 人 × ${formatYuan(s.ratePerPupilFen)} 元 ÷ 2`,
          postedBy: actor.accountId,
          lines: [
            { account: 'receivable.district', amountFen },
            { account: 'income.district_subsidy', amountFen: -amountFen },
          ],
        });
        await tx
          .insert(districtAllocations)
          .values({ schoolId: s.id, termId: req.body.termId, pupils: p.n, amountFen, txnId, createdBy: actor.accountId });
        await audit(tx, actor, s.id, {
          action: 'funding.allocate',
          entity: 'term',
          entityId: req.body.termId,
          detail: { amountFen, pupils: p.n },
        });
        await auditPlatform(tx, {
          accountId: actor.accountId,
          districtId,
          ip: actor.ip,
          action: 'funding.allocate',
          entity: 'school',
          entityId: s.id,
          detail: { termId: req.body.termId, amountFen },
        });
      });
      const [row] = await fundingRows(db, districtId, s.id);
      return row;
    },
  );
};
