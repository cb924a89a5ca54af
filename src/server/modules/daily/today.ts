/**
 * Today's roster: the day's attendance rows materialised lazily from the groups of the timetable
 * weekday (one idempotent INSERT … SELECT … ON CONFLICT DO NOTHING), and who may act on a group.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { AppError, forbidden, notFound } from '../../lib/errors';
import { effectiveTeacherSql } from '../rota/effective';
import { type SchoolDay, schoolDay, staffIdsOf, todayInChina } from './days';

/** Creates the day's missing attendance rows (expected) for every group of that weekday. */
export async function materialise(db: Db, schoolId: string, sd: SchoolDay): Promise<void> {
  if (!sd.termId || !sd.weekday) return;
  await db.execute(sql`
    INSERT INTO attendance (school_id, day, group_id, student_id, status)
    SELECT g.school_id, ${sd.day}::date, g.id, m.student_id,
           -- approved leave (modules/afternoon) makes the day 'leave' from the start; marked_at stays empty
           CASE WHEN EXISTS (SELECT 1 FROM leave_requests l WHERE l.school_id = g.school_id AND l.student_id = m.student_id AND l.status = 'approved'
                               AND ${sd.day}::date BETWEEN l.from_day AND l.to_day AND g.slot = ANY (l.slots)) THEN 'leave' ELSE 'expected' END
      FROM care_groups g JOIN care_group_members m ON m.school_id = g.school_id AND m.group_id = g.id
     WHERE g.school_id = ${schoolId} AND g.term_id = ${sd.termId} AND g.weekday = ${sd.weekday}
       AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.school_id = g.school_id AND a.day = ${sd.day}::date AND a.group_id = g.id)
    ON CONFLICT DO NOTHING`);
}

export interface TodayGroup {
  id: string;
  termId: string;
  weekday: number;
  slot: string;
  teacherStaffId: string | null;
}

/** Duty leaders and the office act on any group of the school today. */
export const isLeader = (actor: Actor) => actor.roles.includes('duty') || actor.roles.includes('school_admin');

/**
 * The group, if it runs today and the actor may work with it: duty leaders and the office any group
 * of the school; a care teacher only their own group (R6). Another school's or another day's → 404.
 */
export async function groupToday(db: Db, actor: Actor, schoolId: string, groupId: string, write = true, day = todayInChina()) {
  const sd = await schoolDay(db, schoolId, day);
  const [g] = await queryRows<{ id: string; term_id: string; weekday: number; slot: string; teacher_staff_id: string | null }>(
    db,
    // the teacher of the day: the timetable's, or whoever an approved swap gave the group to (R8)
    sql`SELECT g.id, g.term_id, g.weekday, g.slot, ${effectiveTeacherSql(day)} AS teacher_staff_id FROM care_groups g WHERE g.school_id = ${schoolId} AND g.id = ${groupId}`,
  );
  if (!g || g.term_id !== sd.termId || g.weekday !== sd.weekday) throw notFound('今日托管组');
  if (!isLeader(actor)) {
    const mine = await staffIdsOf(db, schoolId, actor.accountId);
    if (!g.teacher_staff_id || !mine.includes(g.teacher_staff_id)) {
      if (!write && actor.roles.includes('homeroom')) return { g, sd };
      throw forbidden('这不是您今天负责的托管组');
    }
  }
  if (write) {
    const [closed] = await queryRows(db, sql`SELECT 1 FROM day_closures WHERE school_id = ${schoolId} AND day = ${day}::date`);
    if (closed) throw new AppError(409, 'DAY_CLOSED', '今日已结束，不能再修改');
  }
  await materialise(db, schoolId, sd);
  return { g, sd };
}

export interface RosterRow {
  studentId: string;
  name: string;
  grade: number;
  className: string;
  status: string;
  handover: string;
  markedAt: string | null;
  relayAt: string | null;
  releasedAt: string | null;
  releasedToName: string | null;
  releasedAlone: boolean;
  goHomeAlone: boolean;
  caseOpen: boolean;
}

export async function rosterOf(db: Db, schoolId: string, day: string, groupId: string): Promise<RosterRow[]> {
  return queryRows<RosterRow>(
    db,
    sql`SELECT a.student_id AS "studentId", s.name, s.grade, c.name AS "className", a.status, a.handover,
               a.marked_at AS "markedAt", a.relay_at AS "relayAt", a.released_at AS "releasedAt",
               a.released_to_name AS "releasedToName", a.released_alone AS "releasedAlone",
               COALESCE((SELECT ap.go_home_alone FROM applications ap JOIN care_groups g ON g.school_id = ap.school_id AND g.id = a.group_id AND g.term_id = ap.term_id
                          WHERE ap.school_id = a.school_id AND ap.student_id = a.student_id AND ap.status NOT IN ('withdrawn', 'rejected')), false) AS "goHomeAlone",
               EXISTS (SELECT 1 FROM missing_cases mc WHERE mc.school_id = a.school_id AND mc.day = a.day AND mc.group_id = a.group_id
                          AND mc.student_id = a.student_id AND mc.status = 'open') AS "caseOpen"
          FROM attendance a
          JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
         WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND a.group_id = ${groupId}
         ORDER BY (a.handover = 'released'), a.released_at, s.grade, c.name, s.student_no`,
  );
}
