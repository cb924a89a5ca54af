/** Office: generate the term's care groups, see the board per weekday × slot, edit with the rules checked (R5, R11). */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLOTS } from '../../../shared/plans';
import { allow } from '../../authz/policy';
import { schoolActor } from '../../authz/request';
import { type Db, queryRows } from '../../db/client';
import { careGroupMembers, careGroups, groupingRuns } from '../../db/schema';
import { AppError, notFound } from '../../lib/errors';
import { audit } from '../audit/service';
import { checkTeacherChange, lockStaff } from '../rota/checks';
import { todayOf } from './days';
import { checkGrouping, type Violation } from './grouping';
import { generateForTerm, loadGroupingInput, storedGrouping, storeGrouping } from './groups.service';

const termParams = z.object({ termId: z.uuid() });
const groupParams = z.object({ groupId: z.uuid() });

async function termOf(db: Db, schoolId: string, termId: string) {
  const [t] = await queryRows<{ id: string; name: string }>(
    db,
    sql`SELECT id, name FROM terms WHERE school_id = ${schoolId} AND id = ${termId}`,
  );
  if (!t) throw notFound('学期');
  return t;
}

async function groupOf(db: Db, schoolId: string, groupId: string) {
  const [g] = await db
    .select()
    .from(careGroups)
    .where(and(eq(careGroups.schoolId, schoolId), eq(careGroups.id, groupId)));
  if (!g) throw notFound('托管组');
  return g;
}

const vkey = (v: Violation) => `${v.code}|${v.groupKey ?? ''}|${v.weekday ?? ''}|${v.message}`;

/**
 * One office change of a term's groups at a time: edits and regenerations of the same term wait for
 * each other, so each one's check sees the others' results. (Against swap approvals, an edit of a
 * group's teacher also locks the staff rows: rota/checks.ts lockStaff.)
 */
const lockTermGroups = (tx: Db, schoolId: string, termId: string) =>
  tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`groups:${schoolId}:${termId}`}))`);

/**
 * Applies `edit` to the stored grouping and refuses it when it adds a violation (GROUPING_VIOLATION).
 * Runs inside the edit's transaction, after its locks.
 */
async function checkedEdit(
  db: Db,
  schoolId: string,
  termId: string,
  today: string,
  edit: (gs: Awaited<ReturnType<typeof storedGrouping>>['groups']) => void,
) {
  const input = await loadGroupingInput(db, schoolId, termId, today);
  const stored = await storedGrouping(db, schoolId, termId);
  const before = new Set(checkGrouping(input, stored.groups, stored.duty).map(vkey));
  edit(stored.groups);
  const added = checkGrouping(input, stored.groups, stored.duty).filter((v) => !before.has(vkey(v)));
  if (added.length) throw new AppError(422, 'GROUPING_VIOLATION', `调整违反编班规则：${added[0].message}`, { violations: added });
}

export const groupRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.deps.database.db;

  app.post(
    '/daily/terms/:termId/groups/generate',
    {
      config: { policy: allow('group.write') },
      schema: { tags: ['daily'], summary: '按录取结果生成托管组（替换本学期已有分组）', params: termParams },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      await termOf(db, schoolId, req.params.termId);
      const { result } = await generateForTerm(db, schoolId, req.params.termId, todayOf(app.deps));
      const count = await db.transaction(async (tx) => {
        await lockTermGroups(tx, schoolId, req.params.termId);
        const n = await storeGrouping(tx, schoolId, req.params.termId, result, actor.accountId);
        await audit(tx, actor, schoolId, {
          action: 'groups.generate',
          entity: 'term',
          entityId: req.params.termId,
          detail: { groups: n, violations: result.violations.length, seconds: result.solver.seconds },
        });
        return n;
      });
      return {
        groups: count,
        duty: result.duty.length,
        violations: result.violations,
        notes: result.notes,
        teacherMinutesSpread: result.teacherMinutesSpread,
        solver: result.solver,
      };
    },
  );

  app.get(
    '/daily/terms/:termId/groups',
    {
      config: { policy: allow('group.read') },
      schema: {
        tags: ['daily'],
        summary: '编班看板（按星期 × 时段）',
        params: termParams,
        querystring: z.object({ weekday: z.coerce.number().int().min(1).max(5).optional(), slot: z.enum(SLOTS).optional() }),
      },
    },
    async (req) => {
      const { schoolId } = schoolActor(req);
      await termOf(db, schoolId, req.params.termId);
      const { weekday, slot } = req.query;
      const groups = await queryRows<Record<string, unknown>>(
        db,
        sql`SELECT g.id, g.key, g.weekday, g.slot, g.band, g.idx AS index, g.campus_id AS "campusId", cp.name AS "campusName",
                   g.offering_id AS "offeringId", o.name AS "offeringName", o.kind AS "offeringKind",
                   g.teacher_staff_id AS "teacherStaffId", st.name AS "teacherName", g.provider_name AS "providerName",
                   g.venue_id AS "venueId", v.name AS "venueName", v.capacity AS "venueCapacity",
                   COALESCE((SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'grade', s.grade, 'className', c.name) ORDER BY s.grade, c.name, s.student_no)
                      FROM care_group_members m JOIN students s ON s.school_id = m.school_id AND s.id = m.student_id
                      JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
                     WHERE m.school_id = g.school_id AND m.group_id = g.id), '[]'::json) AS pupils
              FROM care_groups g
              JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
              JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
              LEFT JOIN staff st ON st.school_id = g.school_id AND st.id = g.teacher_staff_id
              LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
             WHERE g.school_id = ${schoolId} AND g.term_id = ${req.params.termId}
               ${weekday ? sql`AND g.weekday = ${weekday}` : sql``} ${slot ? sql`AND g.slot = ${slot}` : sql``}
             ORDER BY g.weekday, array_position(ARRAY['morning','noon','afternoon','late'], g.slot), cp.name, o.kind, o.name, g.band, g.idx`,
      );
      const duty = await queryRows<{ weekday: number; staffId: string; name: string }>(
        db,
        sql`SELECT d.weekday, d.staff_id AS "staffId", s.name FROM duty_assignments d JOIN staff s ON s.school_id = d.school_id AND s.id = d.staff_id
             WHERE d.school_id = ${schoolId} AND d.term_id = ${req.params.termId} ORDER BY d.weekday, s.name`,
      );
      const [run] = await db
        .select()
        .from(groupingRuns)
        .where(and(eq(groupingRuns.schoolId, schoolId), eq(groupingRuns.termId, req.params.termId)));
      return {
        groups,
        duty,
        run: run ? { generatedAt: run.generatedAt, violations: run.violations, notes: run.notes, solver: run.solver } : null,
      };
    },
  );

  app.patch(
    '/daily/groups/:groupId',
    {
      config: { policy: allow('group.write') },
      schema: {
        tags: ['daily'],
        summary: '调整托管组的教师或场地（按规则检查）',
        params: groupParams,
        body: z.object({ teacherStaffId: z.uuid().nullable().optional(), venueId: z.uuid().nullable().optional() }).strict(),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const today = todayOf(app.deps);
      const found = await groupOf(db, schoolId, req.params.groupId);
      const { teacherStaffId, venueId } = req.body;
      if (teacherStaffId) {
        const [s] = await queryRows(db, sql`SELECT 1 FROM staff WHERE school_id = ${schoolId} AND id = ${teacherStaffId}`);
        if (!s) throw notFound('教师');
      }
      if (venueId) {
        const [v] = await queryRows(db, sql`SELECT 1 FROM venues WHERE school_id = ${schoolId} AND id = ${venueId}`);
        if (!v) throw notFound('场地');
      }
      return db.transaction(async (tx) => {
        await lockTermGroups(tx, schoolId, found.termId);
        const g = await groupOf(tx, schoolId, found.id); // as it is now, after any edit that committed meanwhile
        const newTeacher = teacherStaffId !== undefined && teacherStaffId !== g.teacherStaffId;
        // the old and the new teacher, locked like a swap approval's parties, before anything is checked
        if (newTeacher) await lockStaff(tx, schoolId, [g.teacherStaffId, teacherStaffId]);
        await checkedEdit(tx, schoolId, g.termId, today, (gs) => {
          const mine = gs.find((x) => x.id === g.id);
          if (!mine) return;
          if (teacherStaffId !== undefined) mine.teacherStaffId = teacherStaffId;
          if (venueId !== undefined) mine.venueId = venueId;
        });
        // approved swaps from today on that already give the new teacher another shift at that time
        if (newTeacher && teacherStaffId) await checkTeacherChange(tx, schoolId, g.termId, g.id, teacherStaffId, today);
        const set: Partial<typeof careGroups.$inferInsert> = {};
        if (teacherStaffId !== undefined) set.teacherStaffId = teacherStaffId;
        if (venueId !== undefined) set.venueId = venueId;
        if (Object.keys(set).length)
          await tx
            .update(careGroups)
            .set(set)
            .where(and(eq(careGroups.schoolId, schoolId), eq(careGroups.id, g.id)));
        await audit(tx, actor, schoolId, { action: 'group.update', entity: 'care_group', entityId: g.id, detail: { ...req.body } });
        return { id: g.id, teacherStaffId: set.teacherStaffId ?? g.teacherStaffId, venueId: set.venueId ?? g.venueId };
      });
    },
  );

  app.post(
    '/daily/groups/:groupId/move',
    {
      config: { policy: allow('group.write') },
      schema: {
        tags: ['daily'],
        summary: '把学生调到同一时段的另一个组（按规则检查）',
        params: groupParams,
        body: z.object({ studentId: z.uuid(), toGroupId: z.uuid() }).strict(),
      },
    },
    async (req) => {
      const { actor, schoolId } = schoolActor(req);
      const today = todayOf(app.deps);
      const first = await groupOf(db, schoolId, req.params.groupId);
      return db.transaction(async (tx) => {
        // a move changes no one's shifts (no staff rows to lock); edits of the term wait for each other
        await lockTermGroups(tx, schoolId, first.termId);
        const from = await groupOf(tx, schoolId, req.params.groupId);
        const to = await groupOf(tx, schoolId, req.body.toGroupId);
        const [m] = await queryRows(
          tx,
          sql`SELECT 1 FROM care_group_members WHERE school_id = ${schoolId} AND group_id = ${from.id} AND student_id = ${req.body.studentId}`,
        );
        if (!m) throw notFound('组内学生');
        if (to.termId !== from.termId || to.weekday !== from.weekday || to.offeringId !== from.offeringId || to.id === from.id)
          throw new AppError(422, 'GROUPING_VIOLATION', '只能调到同一天、同一项目的另一个组', { violations: [] });
        await checkedEdit(tx, schoolId, from.termId, today, (gs) => {
          const a = gs.find((x) => x.id === from.id);
          const b = gs.find((x) => x.id === to.id);
          if (!a || !b) return;
          a.studentIds = a.studentIds.filter((s) => s !== req.body.studentId);
          b.studentIds.push(req.body.studentId);
        });
        await tx
          .update(careGroupMembers)
          .set({ groupId: to.id })
          .where(
            and(
              eq(careGroupMembers.schoolId, schoolId),
              eq(careGroupMembers.groupId, from.id),
              eq(careGroupMembers.studentId, req.body.studentId),
            ),
          );
        await audit(tx, actor, schoolId, { action: 'group.move', entity: 'care_group', entityId: from.id, detail: { ...req.body } });
        return { studentId: req.body.studentId, groupId: to.id };
      });
    },
  );
};
