/**
 * The state changes of a pupil's day, each inside the caller's transaction: roll call with the
 * absence alert (R6), release to an authorised adult (R7), relay care; and idempotency keys so a
 * write replayed from an offline phone is a no-op.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { guardianAccounts, notifyAccounts } from '../enrollment/notify';

export { once } from './idempotency';

export const STATUSES = ['present', 'late', 'leave', 'absent'] as const;
export type Mark = (typeof STATUSES)[number];

interface Ctx {
  tx: Db;
  actor: Actor;
  schoolId: string;
  day: string;
  groupId: string;
}

/** Roll call for pupils of the group today. Absent → homeroom teacher and guardians told, and an open case (R6). */
export async function mark(c: Ctx, marks: { studentId: string; status: Mark }[]) {
  const out: { studentId: string; status: string; changed: boolean }[] = [];
  for (const m of marks) {
    const [row] = await queryRows<{ status: string; handover: string; name: string; homeroom_account: string | null; on_leave: boolean }>(
      c.tx,
      sql`SELECT a.status, a.handover, s.name, st.account_id AS homeroom_account,
                 EXISTS (SELECT 1 FROM leave_requests l JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
                          WHERE l.school_id = a.school_id AND l.student_id = a.student_id AND l.status = 'approved'
                            AND a.day BETWEEN l.from_day AND l.to_day AND g.slot = ANY (l.slots)) AS on_leave
            FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
            JOIN classes cl ON cl.school_id = s.school_id AND cl.id = s.class_id
            LEFT JOIN staff st ON st.school_id = cl.school_id AND st.id = cl.homeroom_staff_id
           WHERE a.school_id = ${c.schoolId} AND a.day = ${c.day}::date AND a.group_id = ${c.groupId} AND a.student_id = ${m.studentId}
           FOR UPDATE OF a`,
    );
    if (!row) throw new AppError(404, 'NOT_FOUND', '该学生不在本组今日名单中');
    if (row.handover !== 'none' && row.status !== m.status)
      throw new AppError(409, 'ALREADY_HANDED_OVER', `${row.name} 已${row.handover === 'released' ? '被接走' : '移交值班'}，不能再改考勤`);
    if (row.status === m.status) {
      out.push({ studentId: m.studentId, status: m.status, changed: false });
      continue;
    }
    await c.tx.execute(sql`UPDATE attendance SET status = ${m.status}, marked_at = now(), marked_by = ${c.actor.accountId}
                            WHERE school_id = ${c.schoolId} AND day = ${c.day}::date AND group_id = ${c.groupId} AND student_id = ${m.studentId}`);
    // a pupil on approved leave is not missing: no alert, no case
    if (m.status === 'absent' && !row.on_leave) await openCase(c, m.studentId, row.name, row.homeroom_account);
    else if (row.status === 'absent')
      await c.tx.execute(sql`UPDATE missing_cases SET status = 'resolved', outcome = 'found', note = '重新点名：' || ${m.status}, resolved_at = now(), resolved_by = ${c.actor.accountId}
                              WHERE school_id = ${c.schoolId} AND day = ${c.day}::date AND group_id = ${c.groupId} AND student_id = ${m.studentId} AND status = 'open'`);
    out.push({ studentId: m.studentId, status: m.status, changed: true });
  }
  const changed = out.filter((o) => o.changed);
  if (changed.length)
    await audit(c.tx, c.actor, c.schoolId, {
      action: 'attendance.mark',
      entity: 'care_group',
      entityId: c.groupId,
      detail: { day: c.day, marks: changed },
    });
  return out;
}

/** 无故脱管: notifications to the homeroom teacher and the guardians, and an open case, in this transaction. */
async function openCase(c: Ctx, studentId: string, name: string, homeroomAccount: string | null) {
  const opened = await queryRows<{ id: string }>(
    c.tx,
    sql`INSERT INTO missing_cases (school_id, id, day, group_id, student_id, opened_by)
        VALUES (${c.schoolId}, ${newId()}, ${c.day}::date, ${c.groupId}, ${studentId}, ${c.actor.accountId})
        ON CONFLICT (school_id, day, group_id, student_id) DO UPDATE SET status = 'open', outcome = NULL, resolved_at = NULL, resolved_by = NULL, opened_at = now()
        RETURNING id`,
  );
  const caseId = opened[0]?.id;
  const payload = { studentId, day: c.day, groupId: c.groupId, caseId };
  const title = `${name} 托管点名未到`;
  const guardians = (await guardianAccounts(c.tx, c.schoolId, studentId)).filter((a) => a !== homeroomAccount);
  if (homeroomAccount)
    await notifyAccounts(c.tx, c.schoolId, [homeroomAccount], {
      kind: 'attendance.absent',
      title,
      body: `您班的 ${name} 今天没有请假，托管点名时未到。值班台已立案跟踪，请协助确认孩子去向。`,
      link: '/m/notifications',
      payload,
    });
  await notifyAccounts(c.tx, c.schoolId, guardians, {
    kind: 'attendance.absent',
    title,
    body: `${name} 今天未请假，托管点名时未到。请立即联系学校（班主任或值班领导）确认孩子去向。`,
    link: '/m/family',
    payload,
  });
}

/** Whom a pupil is handed to: a listed adult, a substitute announced for today, a guardian (by their pick-up code), or alone. */
export interface ReleaseTo {
  pickupPersonId?: string;
  alone?: boolean;
  /** modules/afternoon: 临时接送人 the guardian announced for this day */
  substituteId?: string;
  /** modules/afternoon: the guardian whose signed pick-up code the teacher scanned or typed */
  guardianId?: string;
}

/**
 * R7: release to an authorised pick-up adult valid today, a substitute the guardian announced for
 * today, a guardian showing their pick-up code, or alone with the guardian's written permission.
 */
export async function release(c: Ctx & { termId: string }, studentId: string, to: ReleaseTo) {
  const [row] = await queryRows<{ status: string; handover: string; name: string; released_to_name: string | null; released_at: string }>(
    c.tx,
    sql`SELECT a.status, a.handover, s.name, a.released_to_name, a.released_at FROM attendance a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
         WHERE a.school_id = ${c.schoolId} AND a.day = ${c.day}::date AND a.group_id = ${c.groupId} AND a.student_id = ${studentId} FOR UPDATE OF a`,
  );
  if (!row) throw new AppError(404, 'NOT_FOUND', '该学生不在本组今日名单中');
  if (row.handover === 'released') return { studentId, releasedAt: row.released_at, releasedToName: row.released_to_name, replayed: true };
  if (row.status !== 'present' && row.status !== 'late') throw new AppError(409, 'NOT_PRESENT', `${row.name} 未点名到，不能交接`);
  let name: string;
  let pickupId: string | null = null;
  if (to.alone) {
    const [ok] = await queryRows(
      c.tx,
      sql`SELECT 1 FROM applications WHERE school_id = ${c.schoolId} AND term_id = ${c.termId} AND student_id = ${studentId}
            AND go_home_alone AND status NOT IN ('withdrawn', 'rejected')`,
    );
    if (!ok) throw new AppError(422, 'NOT_AUTHORISED_PICKUP', '家长未书面同意学生独自离校，不能让学生独自离开');
    name = '独自离校（家长书面同意）';
  } else if (to.substituteId) {
    const [p] = await queryRows<{ name: string; relation: string }>(
      c.tx,
      sql`SELECT name, relation FROM pickup_substitutes WHERE school_id = ${c.schoolId} AND student_id = ${studentId} AND id = ${to.substituteId}
            AND day = ${c.day}::date AND cancelled_at IS NULL`,
    );
    if (!p) throw new AppError(422, 'NOT_AUTHORISED_PICKUP', '家长没有为今天登记此临时接送人，不能接走学生');
    name = `${p.name}（${p.relation}，临时接送人）`;
  } else if (to.guardianId) {
    const [g] = await queryRows<{ name: string; relation: string }>(
      c.tx,
      sql`SELECT gd.name, sg.relation FROM student_guardians sg JOIN guardians gd ON gd.school_id = sg.school_id AND gd.id = sg.guardian_id
           WHERE sg.school_id = ${c.schoolId} AND sg.student_id = ${studentId} AND sg.guardian_id = ${to.guardianId}`,
    );
    if (!g) throw new AppError(422, 'NOT_AUTHORISED_PICKUP', '此人不是该学生的监护人，不能接走学生');
    name = `${g.name}（${g.relation}，接送码）`;
  } else {
    const [p] = await queryRows<{ id: string; name: string; relation: string }>(
      c.tx,
      sql`SELECT id, name, relation FROM pickup_persons WHERE school_id = ${c.schoolId} AND student_id = ${studentId} AND id = ${to.pickupPersonId ?? null}
            AND (valid_from IS NULL OR valid_from <= ${c.day}::date) AND (valid_to IS NULL OR valid_to >= ${c.day}::date)`,
    );
    if (!p) throw new AppError(422, 'NOT_AUTHORISED_PICKUP', '此人不在授权接送名单中，不能接走学生');
    name = `${p.name}（${p.relation}）`;
    pickupId = p.id;
  }
  const [done] = await queryRows<{ released_at: string }>(
    c.tx,
    sql`UPDATE attendance SET handover = 'released', released_at = now(), released_to_pickup_id = ${pickupId}, released_to_name = ${name},
               released_alone = ${!!to.alone}, released_by = ${c.actor.accountId}
         WHERE school_id = ${c.schoolId} AND day = ${c.day}::date AND group_id = ${c.groupId} AND student_id = ${studentId} AND handover <> 'released'
         RETURNING released_at`,
  );
  const via = to.substituteId ? 'substitute' : to.guardianId ? 'code' : null;
  if (via)
    await c.tx.execute(sql`INSERT INTO pickup_records (school_id, day, group_id, student_id, via, substitute_id, guardian_account_id)
                           VALUES (${c.schoolId}, ${c.day}::date, ${c.groupId}, ${studentId}, ${via}, ${to.substituteId ?? null},
                                   (SELECT account_id FROM guardians WHERE school_id = ${c.schoolId} AND id = ${to.guardianId ?? null}))
                           ON CONFLICT (school_id, day, group_id, student_id) DO UPDATE SET via = EXCLUDED.via, substitute_id = EXCLUDED.substitute_id,
                                   guardian_account_id = EXCLUDED.guardian_account_id`);
  await audit(c.tx, c.actor, c.schoolId, {
    action: 'attendance.release',
    entity: 'student',
    entityId: studentId,
    detail: {
      day: c.day,
      groupId: c.groupId,
      pickupPersonId: pickupId,
      alone: !!to.alone,
      to: name,
      ...(via ? { via, substituteId: to.substituteId, guardianId: to.guardianId } : {}),
    },
  });
  return { studentId, releasedAt: done.released_at, releasedToName: name, replayed: false };
}

/** 接力托管: every present or late pupil not yet handed over goes to the duty leader in one step. */
export async function relay(c: Ctx) {
  const rows = await queryRows<{ student_id: string }>(
    c.tx,
    sql`UPDATE attendance SET handover = 'relay', relay_at = now()
         WHERE school_id = ${c.schoolId} AND day = ${c.day}::date AND group_id = ${c.groupId} AND status IN ('present', 'late') AND handover = 'none'
         RETURNING student_id`,
  );
  if (rows.length)
    await audit(c.tx, c.actor, c.schoolId, {
      action: 'attendance.relay',
      entity: 'care_group',
      entityId: c.groupId,
      detail: { day: c.day, pupils: rows.length },
    });
  return { moved: rows.length };
}
