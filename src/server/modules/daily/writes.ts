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
    const [row] = await queryRows<{ status: string; handover: string; name: string; homeroom_account: string | null }>(
      c.tx,
      sql`SELECT a.status, a.handover, s.name, st.account_id AS homeroom_account
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
    if (m.status === 'absent') await openCase(c, m.studentId, row.name, row.homeroom_account);
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

/** R7: release to an authorised pick-up adult valid today, or alone with the guardian's written permission. */
export async function release(c: Ctx & { termId: string }, studentId: string, to: { pickupPersonId?: string; alone?: boolean }) {
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
  await audit(c.tx, c.actor, c.schoolId, {
    action: 'attendance.release',
    entity: 'student',
    entityId: studentId,
    detail: { day: c.day, groupId: c.groupId, pickupPersonId: pickupId, alone: !!to.alone, to: name },
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
