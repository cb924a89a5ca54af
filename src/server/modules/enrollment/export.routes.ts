/** The office's direct enrolment (override, R1 still applies) and the .xlsx export of places. */
import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ENROLLMENT_STATUS_LABELS,
  PRIORITY_LABELS,
  type PriorityCategory,
  SLOT_LABELS,
  type Slot,
  WEEKDAY_LABELS,
} from '../../../shared/plans';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { applications, students } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { newWorkbook, sendWorkbook, styleHeader } from '../imports/xlsx';
import { checkEligible, publishedOffering, requireAgreements, requirePublished } from './checks';
import { execIn } from '../../db/exec';
import { placeRows } from './office.routes';
import { effectiveDates, termWithPlan } from './published';
import { takeSeat } from './seats';
import { notifyGuardians } from './notify';

export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.post(
    '/enrollment/enrollments',
    {
      config: { policy: allow('enrollment.write') },
      schema: {
        tags: ['enrollment'],
        summary: '办公室为学生报名某项目某天（有空位即录取，否则候补；仍须申请和协议）',
        body: z.object({ termId: z.uuid(), studentId: z.uuid(), offeringId: z.uuid(), weekday: z.number().int().min(1).max(5) }),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const { termId, studentId, offeringId, weekday } = req.body;
      const [child] = await db
        .select({ id: students.id, name: students.name, grade: students.grade })
        .from(students)
        .where(and(eq(students.schoolId, schoolId), eq(students.id, studentId)));
      if (!child) throw notFound('学生');
      const { plan } = await termWithPlan(db, schoolId, termId);
      const published = requirePublished(plan);
      const o = await publishedOffering(db, schoolId, published, offeringId);
      checkEligible(o, child.grade, weekday);
      const [a] = await db
        .select({ status: applications.status })
        .from(applications)
        .where(and(eq(applications.schoolId, schoolId), eq(applications.termId, termId), eq(applications.studentId, studentId)));
      if (!a || a.status === 'withdrawn' || a.status === 'rejected')
        throw new AppError(409, 'APPLICATION_REQUIRED', '没有家长的有效申请，不能报名（自愿原则）');
      await requireAgreements(db, schoolId, termId, studentId);
      const { from, to } = effectiveDates(published.term);
      return db.transaction(async (tx) => {
        const r = await takeSeat(execIn(tx), actor, {
          schoolId,
          termId,
          studentId,
          offeringId,
          weekday,
          source: 'office',
          idempotencyKey: null,
          effectiveFrom: from,
          effectiveTo: to,
          queueKey: null,
        });
        if (r.created) {
          await notifyGuardians(tx, schoolId, studentId, {
            kind: 'enrollment.office',
            title:
              r.status === 'enrolled'
                ? `学校已为${child.name}报名「${o.name}」${WEEKDAY_LABELS[weekday]}`
                : `${child.name}已进入「${o.name}」${WEEKDAY_LABELS[weekday]}候补`,
            link: '/m/apply',
          });
        }
        return { ...r, statusLabel: ENROLLMENT_STATUS_LABELS[r.status as keyof typeof ENROLLMENT_STATUS_LABELS] ?? r.status };
      });
    },
  );

  app.get(
    '/enrollment/export',
    {
      config: { policy: allow('enrollment.read') },
      schema: { tags: ['enrollment'], summary: '导出录取与候补名单 (.xlsx)', querystring: z.object({ termId: z.uuid() }) },
    },
    async (req, reply) => {
      const { actor, schoolId } = schoolActor(req);
      const { term } = await termWithPlan(db, schoolId, req.query.termId);
      const rows = await placeRows(db, actor, schoolId, term.id, {});
      const wb = newWorkbook();
      const ws = wb.addWorksheet('录取名单');
      ws.addRow(['项目', '时段', '星期', '状态', '候补位次', '学号', '姓名', '年级', '班级', '优先类别', '来源', '开始日期', '结束日期']);
      for (const r of rows) {
        ws.addRow([
          r.offering_name,
          SLOT_LABELS[r.slot as Slot] ?? r.slot,
          WEEKDAY_LABELS[r.weekday],
          ENROLLMENT_STATUS_LABELS[r.status as keyof typeof ENROLLMENT_STATUS_LABELS] ?? r.status,
          r.position ?? '',
          r.student_no,
          r.student_name,
          r.grade,
          r.class_name,
          r.priority_category ? (PRIORITY_LABELS[r.priority_category as PriorityCategory] ?? '') : '',
          r.source,
          r.effective_from ?? '',
          r.effective_to ?? '',
        ]);
      }
      styleHeader(ws, [22, 14, 8, 16, 10, 14, 10, 6, 10, 18, 10, 12, 12]);
      return sendWorkbook(reply, wb, `${term.name}录取名单.xlsx`, 'enrollments.xlsx');
    },
  );
};
