/**
 * The term's accounts for the office: preview, other spending (materials, …), publish a snapshot
 * (each publication a new version; history kept); and the public page's read (no login).
 */
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow, allowPublic } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { queryRows } from '../../db/client';
import { expenses, termAccountReports } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { postTransaction } from '../ledger';
import { buildTermAccounts } from './report';

const termParams = z.object({ termId: z.uuid() });
const codeParams = z.object({ schoolCode: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/, '学校代码格式有误') });
const EXPENSE_ACCOUNTS = ['expense.materials', 'expense.other'] as const;

function presentExpense(e: typeof expenses.$inferSelect) {
  return {
    id: e.id,
    termId: e.termId,
    account: e.account,
    amountFen: e.amountFen,
    description: e.description,
    spentOn: e.spentOn,
    createdAt: e.createdAt.toISOString(),
  };
}

function presentVersion(r: typeof termAccountReports.$inferSelect) {
  return { id: r.id, termId: r.termId, version: r.version, note: r.note, publishedAt: r.publishedAt.toISOString() };
}

export const accountsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.get(
    '/accounts/terms/:termId',
    {
      config: { policy: allow('accounts.read') },
      schema: { tags: ['accounts'], summary: '学期收支（预览，来自账簿）', params: termParams },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      const [report, versions, spent] = await Promise.all([
        buildTermAccounts(db, schoolId, req.params.termId),
        db
          .select()
          .from(termAccountReports)
          .where(sql`${termAccountReports.schoolId} = ${schoolId} AND ${termAccountReports.termId} = ${req.params.termId}`)
          .orderBy(sql`${termAccountReports.version} DESC`),
        db
          .select()
          .from(expenses)
          .where(sql`${expenses.schoolId} = ${schoolId} AND ${expenses.termId} = ${req.params.termId}`)
          .orderBy(expenses.spentOn, expenses.createdAt),
      ]);
      return { report, versions: versions.map(presentVersion), expenses: spent.map(presentExpense) };
    },
  );

  app.post(
    '/accounts/terms/:termId/expenses',
    {
      config: { policy: allow('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary: '登记其他支出（耗材、其他），从服务费中支出并记账',
        params: termParams,
        body: z
          .object({
            account: z.enum(EXPENSE_ACCOUNTS),
            amountFen: z.number().int('金额必须是整数分').positive().max(100_000_000),
            description: z.string().trim().min(2).max(200),
            spentOn: z.iso.date(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const b = req.body;
      const row = await db.transaction(async (tx) => {
        const [term] = await queryRows(tx, sql`SELECT 1 FROM terms WHERE school_id = ${schoolId} AND id = ${req.params.termId}`);
        if (!term) throw notFound('学期');
        const id = newId();
        const [e] = await tx
          .insert(expenses)
          .values({ schoolId, id, termId: req.params.termId, ...b, recordedBy: actor.accountId })
          .returning();
        await postTransaction(tx, {
          schoolId,
          termId: req.params.termId,
          kind: 'adjustment',
          sourceType: 'expense',
          sourceId: id,
          memo: b.description,
          postedBy: actor.accountId,
          lines: [
            { account: b.account, amountFen: b.amountFen },
            { account: 'cash.offline', amountFen: -b.amountFen },
          ],
        });
        await audit(tx, actor, schoolId, { action: 'expense.record', entity: 'expense', entityId: id, detail: { ...b } });
        return e;
      });
      reply.code(201);
      return { expense: presentExpense(row) };
    },
  );

  app.post(
    '/accounts/terms/:termId/publish',
    {
      config: { policy: allow('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary: '公示学期收支：保存当前数字为新版本，在学校公示页显示',
        params: termParams,
        body: z.object({ note: z.string().trim().max(500).default('') }).strict(),
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const row = await db.transaction(async (tx) => {
        // the term row's lock orders two publications: versions never collide
        const [term] = await queryRows(tx, sql`SELECT 1 FROM terms WHERE school_id = ${schoolId} AND id = ${req.params.termId} FOR UPDATE`);
        if (!term) throw notFound('学期');
        const report = await buildTermAccounts(tx, schoolId, req.params.termId);
        if (report.imbalanceFen !== 0) throw new AppError(409, 'LEDGER_UNBALANCED', '账目不平，不能公示');
        const [{ v }] = await queryRows<{ v: number }>(
          tx,
          sql`SELECT COALESCE(MAX(version), 0)::int + 1 AS v FROM term_account_reports WHERE school_id = ${schoolId} AND term_id = ${req.params.termId}`,
        );
        const [r] = await tx
          .insert(termAccountReports)
          .values({
            schoolId,
            id: newId(),
            termId: req.params.termId,
            version: v,
            snapshot: report,
            note: req.body.note,
            publishedBy: actor.accountId,
          })
          .returning();
        await audit(tx, actor, schoolId, {
          action: 'accounts.publish',
          entity: 'term_account_report',
          entityId: r.id,
          detail: { termId: req.params.termId, version: v },
        });
        return r;
      });
      reply.code(201);
      return { version: presentVersion(row), report: row.snapshot };
    },
  );

  app.get(
    '/public/accounts/:schoolCode',
    {
      config: { policy: allowPublic },
      schema: {
        tags: ['public'],
        summary: '学校公示的学期收支（无需登录）',
        params: codeParams,
        querystring: z.object({ termId: z.uuid().optional(), version: z.coerce.number().int().min(1).max(100_000).optional() }),
      },
    },
    async (req, reply) => {
      const [school] = await queryRows<{ id: string; name: string; code: string }>(
        db,
        sql`SELECT id, name, code FROM schools WHERE upper(code) = ${req.params.schoolCode.toUpperCase()}`,
      );
      if (!school) throw notFound('学校');
      const rows = await queryRows<{
        id: string;
        term_id: string;
        term_name: string;
        starts_on: string;
        version: number;
        note: string;
        published_at: Date;
      }>(
        db,
        sql`SELECT r.id, r.term_id, t.name AS term_name, t.starts_on::text, r.version, r.note, r.published_at
              FROM term_account_reports r JOIN terms t ON t.school_id = r.school_id AND t.id = r.term_id
             WHERE r.school_id = ${school.id} ORDER BY t.starts_on DESC, r.version DESC`,
      );
      if (rows.length === 0) throw notFound('已公示的学期收支');
      const pick =
        rows.find(
          (r) => (!req.query.termId || r.term_id === req.query.termId) && (!req.query.version || r.version === req.query.version),
        ) ?? null;
      if (!pick) throw notFound('已公示的学期收支');
      const [snap] = await db
        .select({ snapshot: termAccountReports.snapshot })
        .from(termAccountReports)
        .where(sql`${termAccountReports.schoolId} = ${school.id} AND ${termAccountReports.id} = ${pick.id}`);
      reply.header('cache-control', 'public, max-age=60');
      return {
        school: { name: school.name, code: school.code },
        termId: pick.term_id,
        version: pick.version,
        note: pick.note,
        publishedAt: new Date(pick.published_at).toISOString(),
        report: snap.snapshot,
        history: rows.map((r) => ({
          termId: r.term_id,
          termName: r.term_name,
          version: r.version,
          publishedAt: new Date(r.published_at).toISOString(),
        })),
      };
    },
  );
};
