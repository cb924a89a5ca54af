/**
 * Leave (请假): a guardian's request from the app before the cut-off, a phone call recorded by the
 * homeroom teacher or office, approval as the school sets it, cancelling. Approved leave makes the
 * pupil's days 'leave' — rows already materialised are updated here (new ones by daily/today.ts) —
 * and resolves an open missing case of those days (a pupil on leave is not missing). Every change
 * is one transaction with its audit row and the guardians' notification.
 */
import { sql } from 'drizzle-orm';
import { LEAVE_STATUS_LABELS, type LeaveStatus } from '../../../shared/afternoon';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { leaveRequests } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { notifyAccounts, notifyGuardians } from '../enrollment/notify';
import { officeAccounts } from './common';

export interface LeaveRow {
  id: string;
  studentId: string;
  studentName: string;
  className: string;
  fromDay: string;
  toDay: string;
  slots: string[];
  reason: string;
  source: 'app' | 'call';
  status: LeaveStatus;
  requestedAt: string;
  requestedBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionNote: string;
}

/** Presenter query: every field named; `where` narrows (always by school). */
export function leaveRows(db: Db, schoolId: string, where: ReturnType<typeof sql>) {
  return queryRows<LeaveRow>(
    db,
    sql`SELECT l.id, l.student_id AS "studentId", s.name AS "studentName", c.name AS "className", l.from_day::text AS "fromDay", l.to_day::text AS "toDay",
               l.slots, l.reason, l.source, l.status, l.requested_at AS "requestedAt", ra.display_name AS "requestedBy",
               l.decided_at AS "decidedAt", da.display_name AS "decidedBy", l.decision_note AS "decisionNote"
          FROM leave_requests l JOIN students s ON s.school_id = l.school_id AND s.id = l.student_id
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          LEFT JOIN accounts ra ON ra.id = l.requested_by LEFT JOIN accounts da ON da.id = l.decided_by
         WHERE l.school_id = ${schoolId} AND ${where}
         ORDER BY l.status = 'pending' DESC, l.from_day DESC, l.requested_at DESC
         LIMIT 200`,
  );
}

const slotArray = (slots: readonly string[]) => sql`string_to_array(${slots.join(',')}, ',')::text[]`;

/** 409 when an active leave of the pupil already covers one of these days and slots. */
async function refuseOverlap(tx: Db, schoolId: string, studentId: string, from: string, to: string, slots: string[]) {
  const [dup] = await queryRows(
    tx,
    sql`SELECT 1 FROM leave_requests WHERE school_id = ${schoolId} AND student_id = ${studentId} AND status IN ('pending','approved')
          AND from_day <= ${to}::date AND to_day >= ${from}::date AND slots && ${slotArray(slots)} FOR UPDATE`,
  );
  if (dup) throw new AppError(409, 'LEAVE_OVERLAP', '这几天已经有请假记录了');
}

/** Approved leave → the pupil's open days become 'leave' and their missing cases are resolved. Returns the days touched. */
export async function applyLeave(
  tx: Db,
  schoolId: string,
  l: { id: string; studentId: string; fromDay: string; toDay: string; slots: string[] },
) {
  const rows = await queryRows<{ day: string; group_id: string }>(
    tx,
    sql`UPDATE attendance a SET status = 'leave'
          FROM care_groups g
         WHERE g.school_id = a.school_id AND g.id = a.group_id AND a.school_id = ${schoolId} AND a.student_id = ${l.studentId}
           AND a.day BETWEEN ${l.fromDay}::date AND ${l.toDay}::date AND g.slot = ANY (${slotArray(l.slots)})
           AND a.handover = 'none' AND a.status IN ('expected','absent')
           AND NOT EXISTS (SELECT 1 FROM day_closures d WHERE d.school_id = a.school_id AND d.day = a.day)
        RETURNING a.day::text AS day, a.group_id`,
  );
  await tx.execute(sql`UPDATE missing_cases m SET status = 'resolved', outcome = 'guardian_confirmed', note = '家长请假（已批准）', resolved_at = now()
                        FROM care_groups g
                       WHERE g.school_id = m.school_id AND g.id = m.group_id AND m.school_id = ${schoolId} AND m.student_id = ${l.studentId}
                         AND m.status = 'open' AND m.day BETWEEN ${l.fromDay}::date AND ${l.toDay}::date AND g.slot = ANY (${slotArray(l.slots)})`);
  return [...new Set(rows.map((r) => r.day))];
}

/** Cancelled leave → days the leave had set (no teacher's mark) go back to 'expected', unless another approved leave covers them. */
async function restoreDays(tx: Db, schoolId: string, l: { studentId: string; fromDay: string; toDay: string; slots: string[] }) {
  const rows = await queryRows<{ day: string }>(
    tx,
    sql`UPDATE attendance a SET status = 'expected'
          FROM care_groups g
         WHERE g.school_id = a.school_id AND g.id = a.group_id AND a.school_id = ${schoolId} AND a.student_id = ${l.studentId}
           AND a.day BETWEEN ${l.fromDay}::date AND ${l.toDay}::date AND g.slot = ANY (${slotArray(l.slots)})
           AND a.status = 'leave' AND a.marked_at IS NULL AND a.handover = 'none'
           AND NOT EXISTS (SELECT 1 FROM day_closures d WHERE d.school_id = a.school_id AND d.day = a.day)
           AND NOT EXISTS (SELECT 1 FROM leave_requests o WHERE o.school_id = a.school_id AND o.student_id = a.student_id AND o.status = 'approved'
                             AND a.day BETWEEN o.from_day AND o.to_day AND g.slot = ANY (o.slots))
        RETURNING a.day::text AS day`,
  );
  return [...new Set(rows.map((r) => r.day))];
}

const range = (l: { fromDay: string; toDay: string }) => (l.fromDay === l.toDay ? l.fromDay : `${l.fromDay} 至 ${l.toDay}`);

export interface NewLeave {
  studentId: string;
  studentName: string;
  homeroomAccount: string | null;
  fromDay: string;
  toDay: string;
  slots: string[];
  reason: string;
}

/** Creates a leave: from the app (pending or auto-approved) or a recorded call (approved at once). */
export async function createLeave(
  tx: Db,
  actor: Actor,
  schoolId: string,
  input: NewLeave,
  mode: { source: 'app' | 'call'; approver: 'auto' | 'homeroom' | 'office' },
) {
  await refuseOverlap(tx, schoolId, input.studentId, input.fromDay, input.toDay, input.slots);
  const approved = mode.source === 'call' || mode.approver === 'auto';
  const id = newId();
  await tx.insert(leaveRequests).values({
    schoolId,
    id,
    studentId: input.studentId,
    fromDay: input.fromDay,
    toDay: input.toDay,
    slots: input.slots,
    reason: input.reason,
    source: mode.source,
    status: approved ? 'approved' : 'pending',
    requestedBy: actor.accountId,
    ...(approved ? { decidedBy: actor.accountId, decidedAt: new Date() } : {}),
  });
  const days = approved ? await applyLeave(tx, schoolId, { id, ...input }) : [];
  await audit(tx, actor, schoolId, {
    action: mode.source === 'call' ? 'leave.record_call' : 'leave.request',
    entity: 'student',
    entityId: input.studentId,
    detail: { leaveId: id, fromDay: input.fromDay, toDay: input.toDay, slots: input.slots, status: approved ? 'approved' : 'pending' },
  });
  const what = `${input.studentName} ${range(input)} 的请假`;
  if (approved)
    await notifyGuardians(tx, schoolId, input.studentId, {
      kind: 'leave.approved',
      title: `${what}已批准`,
      body: mode.source === 'call' ? `老师已根据您的电话登记：${input.reason}` : `请假原因：${input.reason}`,
      link: '/m/family',
      payload: { leaveId: id },
    });
  else {
    const approvers = mode.approver === 'homeroom' && input.homeroomAccount ? [input.homeroomAccount] : await officeAccounts(tx, schoolId);
    await notifyAccounts(tx, schoolId, approvers, {
      kind: 'leave.pending',
      title: `${what}待审批`,
      body: `家长申请：${input.reason}`,
      link: '/m/leave',
      payload: { leaveId: id, studentId: input.studentId },
    });
  }
  return { id, status: approved ? 'approved' : 'pending', days };
}

export async function decideLeave(tx: Db, actor: Actor, schoolId: string, id: string, approve: boolean, note: string) {
  const [l] = await queryRows<{
    id: string;
    student_id: string;
    name: string;
    from_day: string;
    to_day: string;
    slots: string[];
    status: string;
  }>(
    tx,
    sql`SELECT l.id, l.student_id, s.name, l.from_day::text, l.to_day::text, l.slots, l.status FROM leave_requests l
          JOIN students s ON s.school_id = l.school_id AND s.id = l.student_id
         WHERE l.school_id = ${schoolId} AND l.id = ${id} FOR UPDATE OF l`,
  );
  if (l.status !== 'pending') throw new AppError(409, 'LEAVE_DECIDED', `这条请假已经${LEAVE_STATUS_LABELS[l.status as LeaveStatus]}`);
  const status = approve ? 'approved' : 'refused';
  await tx.execute(sql`UPDATE leave_requests SET status = ${status}, decided_by = ${actor.accountId}, decided_at = now(), decision_note = ${note}
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  const leave = { id, studentId: l.student_id, fromDay: l.from_day, toDay: l.to_day, slots: l.slots };
  const days = approve ? await applyLeave(tx, schoolId, leave) : [];
  await audit(tx, actor, schoolId, {
    action: `leave.${status === 'approved' ? 'approve' : 'refuse'}`,
    entity: 'student',
    entityId: l.student_id,
    detail: { leaveId: id, note },
  });
  await notifyGuardians(tx, schoolId, l.student_id, {
    kind: `leave.${status}`,
    title: `${l.name} ${range(leave)} 的请假${approve ? '已批准' : '未批准'}`,
    body: note || (approve ? '老师已批准。' : '请联系班主任。'),
    link: '/m/family',
    payload: { leaveId: id },
  });
  return { id, status, days };
}

export async function cancelLeave(tx: Db, actor: Actor, schoolId: string, id: string) {
  const [l] = await queryRows<{ student_id: string; name: string; from_day: string; to_day: string; slots: string[]; status: string }>(
    tx,
    sql`SELECT l.student_id, s.name, l.from_day::text, l.to_day::text, l.slots, l.status FROM leave_requests l
          JOIN students s ON s.school_id = l.school_id AND s.id = l.student_id
         WHERE l.school_id = ${schoolId} AND l.id = ${id} FOR UPDATE OF l`,
  );
  if (l.status !== 'pending' && l.status !== 'approved')
    throw new AppError(409, 'LEAVE_DECIDED', `这条请假已经${LEAVE_STATUS_LABELS[l.status as LeaveStatus]}，不能撤销`);
  await tx.execute(sql`UPDATE leave_requests SET status = 'cancelled', cancelled_by = ${actor.accountId}, cancelled_at = now()
                        WHERE school_id = ${schoolId} AND id = ${id}`);
  const leave = { studentId: l.student_id, fromDay: l.from_day, toDay: l.to_day, slots: l.slots };
  const days = l.status === 'approved' ? await restoreDays(tx, schoolId, leave) : [];
  await audit(tx, actor, schoolId, { action: 'leave.cancel', entity: 'student', entityId: l.student_id, detail: { leaveId: id } });
  await notifyGuardians(tx, schoolId, l.student_id, {
    kind: 'leave.cancelled',
    title: `${l.name} ${range(leave)} 的请假已撤销`,
    body: days.length ? '孩子这几天按时参加托管。' : '',
    link: '/m/family',
    payload: { leaveId: id },
  });
  return { id, status: 'cancelled', days };
}
