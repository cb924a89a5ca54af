/**
 * Spreadsheets in and out: the roster template and import (school office), and the student, staff
 * and class exports. Every export of pupils is scoped to what the actor may see and audited as a
 * read of pupils' files (POLICY N24).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { audit } from '../audit/service';
import { importRoster } from './roster-import';
import { buildClassExport, buildStaffExport, buildStudentExport, buildTemplate } from './workbooks';
import { MAX_UPLOAD_BYTES, sendWorkbook, XLSX_MIME } from './xlsx';

const importQuery = z.object({
  dryRun: z.enum(['true', 'false', '1', '0']).optional(),
});

const importResult = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  guardians: z.number().int(),
  guardiansReused: z.number().int(),
  pickupsAdded: z.number().int(),
  createdClasses: z.array(z.object({ campus: z.string(), grade: z.number().int(), name: z.string() })),
});

/** The filters of GET /api/students, without paging. */
const studentExportQuery = z.object({
  classId: z.uuid().optional(),
  campusId: z.uuid().optional(),
  grade: z.coerce.number().int().min(1).max(6).optional(),
  q: z.string().trim().max(50).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  // The upload is the raw workbook. This parser is local to this plugin (encapsulation).
  app.addContentTypeParser(
    [XLSX_MIME, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/roster/template.xlsx',
    {
      config: { policy: allow('roster.import') },
      schema: { tags: ['roster'], summary: '学生名册导入模板 (.xlsx)', produces: [XLSX_MIME] },
    },
    async (req, reply) => {
      const { schoolId } = schoolActor(req);
      const wb = await buildTemplate(db, schoolId);
      return sendWorkbook(reply, wb, '学生名册导入模板.xlsx', 'roster-template.xlsx');
    },
  );

  app.post(
    '/roster/import',
    {
      config: { policy: allow('roster.import') },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['roster'],
        summary: '导入学生名册（请求体为 .xlsx 文件；dryRun=true 只校验不写入）',
        consumes: [XLSX_MIME, 'application/octet-stream'],
        querystring: importQuery,
        body: z.instanceof(Buffer, { message: '请求体应为 .xlsx 文件内容' }),
        response: { 200: importResult },
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
      return importRoster(db, actor, schoolId, req.body, { dryRun });
    },
  );

  app.get(
    '/roster/export/students.xlsx',
    {
      config: { policy: allow('student.export') },
      schema: {
        tags: ['roster'],
        summary: '导出学生名册（与导入模板同列，可修改后重新导入）',
        querystring: studentExportQuery,
        produces: [XLSX_MIME],
      },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const wb = await db.transaction(async (tx) => {
        const out = await buildStudentExport(tx, actor, schoolId, req.query);
        await audit(tx, actor, schoolId, {
          action: 'student.export',
          entity: 'student',
          detail: { count: out.count, filters: req.query },
        });
        return out.wb;
      });
      return sendWorkbook(reply, wb, '学生名册.xlsx', 'students.xlsx');
    },
  );

  app.get(
    '/roster/export/staff.xlsx',
    { config: { policy: allow('staff.read') }, schema: { tags: ['school'], summary: '导出教职工名单', produces: [XLSX_MIME] } },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const wb = await db.transaction(async (tx) => {
        const out = await buildStaffExport(tx, schoolId);
        await audit(tx, actor, schoolId, { action: 'staff.export', entity: 'staff', detail: { count: out.count } });
        return out.wb;
      });
      return sendWorkbook(reply, wb, '教职工名单.xlsx', 'staff.xlsx');
    },
  );

  app.get(
    '/roster/export/classes.xlsx',
    { config: { policy: allow('class.read') }, schema: { tags: ['school'], summary: '导出行政班', produces: [XLSX_MIME] } },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const wb = await db.transaction(async (tx) => {
        const out = await buildClassExport(tx, schoolId);
        await audit(tx, actor, schoolId, { action: 'class.export', entity: 'class', detail: { count: out.count } });
        return out.wb;
      });
      return sendWorkbook(reply, wb, '行政班.xlsx', 'classes.xlsx');
    },
  );
};
