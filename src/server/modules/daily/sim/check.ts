/**
 * What must hold after every simulated school day, read from the database (not from the app's own
 * answers): every pupil of the day's last sessions is released to an adult authorised that day,
 * (a listed adult valid that day, a substitute the guardian announced for that day, or alone with
 * written permission), on leave, absent with the case resolved, or handed on to late care; no pupil released twice; each
 * absence told exactly once to the homeroom teacher and each guardian; the day closed.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client';

export interface DayPlan {
  day: string;
  /** `${groupId}:${studentId}` → the status the simulation marked (or the leave already recorded) */
  marks: Map<string, string>;
}

export async function dayViolations(db: Db, schoolId: string, plan: DayPlan): Promise<string[]> {
  const { day } = plan;
  const out: string[] = [];
  const rows = await queryRows<{
    group_id: string;
    student_id: string;
    slot: string;
    status: string;
    handover: string;
    released_alone: boolean;
    released_to_name: string | null;
    authorised: boolean;
    other_ok: boolean;
    alone_ok: boolean;
    case_status: string | null;
    handed_on: boolean;
  }>(
    db,
    sql`SELECT a.group_id, a.student_id, g.slot, a.status, a.handover, a.released_alone, a.released_to_name,
               EXISTS (SELECT 1 FROM pickup_persons p WHERE p.school_id = a.school_id AND p.id = a.released_to_pickup_id AND p.student_id = a.student_id
                         AND (p.valid_from IS NULL OR p.valid_from <= a.day) AND (p.valid_to IS NULL OR p.valid_to >= a.day)) AS authorised,
               -- a substitute the guardian announced for that day (modules/afternoon), or a guardian by their pick-up code
               EXISTS (SELECT 1 FROM pickup_records pr JOIN pickup_substitutes ps ON ps.school_id = pr.school_id AND ps.id = pr.substitute_id
                        WHERE pr.school_id = a.school_id AND pr.day = a.day AND pr.group_id = a.group_id AND pr.student_id = a.student_id
                          AND pr.via = 'substitute' AND ps.student_id = a.student_id AND ps.day = a.day AND ps.cancelled_at IS NULL)
               OR EXISTS (SELECT 1 FROM pickup_records pr JOIN guardians gd ON gd.school_id = pr.school_id AND gd.account_id = pr.guardian_account_id
                          JOIN student_guardians sg ON sg.school_id = gd.school_id AND sg.guardian_id = gd.id AND sg.student_id = a.student_id
                        WHERE pr.school_id = a.school_id AND pr.day = a.day AND pr.group_id = a.group_id AND pr.student_id = a.student_id AND pr.via = 'code') AS other_ok,
               EXISTS (SELECT 1 FROM applications ap WHERE ap.school_id = a.school_id AND ap.term_id = g.term_id AND ap.student_id = a.student_id
                         AND ap.go_home_alone AND ap.status NOT IN ('withdrawn', 'rejected')) AS alone_ok,
               (SELECT m.status FROM missing_cases m WHERE m.school_id = a.school_id AND m.day = a.day AND m.group_id = a.group_id AND m.student_id = a.student_id) AS case_status,
               (g.slot = 'afternoon' AND EXISTS (SELECT 1 FROM attendance l JOIN care_groups lg ON lg.school_id = l.school_id AND lg.id = l.group_id
                         WHERE l.school_id = a.school_id AND l.day = a.day AND l.student_id = a.student_id AND lg.slot = 'late')) AS handed_on
          FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
         WHERE a.school_id = ${schoolId} AND a.day = ${day}::date`,
  );
  for (const r of rows) {
    const who = `${day} ${r.slot} group ${r.group_id.slice(0, 8)} pupil ${r.student_id.slice(0, 8)}`;
    const planned = plan.marks.get(`${r.group_id}:${r.student_id}`);
    if (planned && planned !== r.status) out.push(`${who}: marked ${planned} but recorded ${r.status} (a lost write)`);
    if (r.slot !== 'afternoon' && r.slot !== 'late') continue;
    if (r.status === 'leave') continue;
    if (r.status === 'absent') {
      if (r.case_status !== 'resolved') out.push(`${who}: absent without a resolved case (${r.case_status})`);
      continue;
    }
    if (r.status === 'expected') out.push(`${who}: never marked`);
    else if (r.handover === 'released') {
      if (!(r.released_alone ? r.alone_ok : r.authorised || r.other_ok))
        out.push(`${who}: released to someone not authorised that day (${r.released_to_name})`);
    } else if (!r.handed_on) out.push(`${who}: not released (${r.handover})`);
  }

  const twice = await queryRows<{ entity_id: string; n: number }>(
    db,
    sql`SELECT entity_id, count(*)::int AS n FROM audit_log WHERE school_id = ${schoolId} AND action = 'attendance.release' AND detail->>'day' = ${day}
         GROUP BY entity_id, detail->>'groupId' HAVING count(*) > 1`,
  );
  for (const t of twice) out.push(`${day} pupil ${t.entity_id.slice(0, 8)} released ${t.n} times`);

  // each absence: one alert to the homeroom teacher and one to each guardian with an account, no more
  const absences = rows.filter((r) => r.status === 'absent');
  const alerts = await queryRows<{ group_id: string; student_id: string; account_id: string; n: number }>(
    db,
    sql`SELECT payload->>'groupId' AS group_id, payload->>'studentId' AS student_id, account_id, count(*)::int AS n FROM notifications
         WHERE school_id = ${schoolId} AND kind = 'attendance.absent' AND payload->>'day' = ${day}
         GROUP BY 1, 2, 3`,
  );
  const told = new Map<string, Map<string, number>>();
  for (const a of alerts) {
    const k = `${a.group_id}:${a.student_id}`;
    if (!told.has(k)) told.set(k, new Map());
    told.get(k)?.set(a.account_id, a.n);
  }
  const owed = await queryRows<{ student_id: string; account_id: string }>(
    db,
    sql`SELECT s.id AS student_id, st.account_id FROM students s JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id WHERE s.school_id = ${schoolId} AND st.account_id IS NOT NULL
        UNION SELECT sg.student_id, gd.account_id FROM student_guardians sg JOIN guardians gd ON gd.school_id = sg.school_id AND gd.id = sg.guardian_id
          WHERE sg.school_id = ${schoolId} AND gd.account_id IS NOT NULL`,
  );
  const owedBy = new Map<string, Set<string>>();
  for (const o of owed) {
    if (!owedBy.has(o.student_id)) owedBy.set(o.student_id, new Set());
    owedBy.get(o.student_id)?.add(o.account_id);
  }
  // a pupil marked absent, then present (found) and absent again is told again: count the case openings
  for (const r of absences) {
    const k = `${r.group_id}:${r.student_id}`;
    const got = told.get(k) ?? new Map<string, number>();
    const want = owedBy.get(r.student_id) ?? new Set<string>();
    for (const acc of want)
      if (got.get(acc) !== 1) out.push(`${day} absence ${k.slice(0, 8)}: account ${acc.slice(0, 8)} told ${got.get(acc) ?? 0} times`);
    for (const acc of got.keys()) if (!want.has(acc)) out.push(`${day} absence ${k.slice(0, 8)}: told an unrelated account`);
    told.delete(k);
  }
  for (const k of told.keys()) out.push(`${day} ${k.slice(0, 8)}: an absence alert for a pupil not absent`);

  const [closed] = await queryRows(db, sql`SELECT 1 FROM day_closures WHERE school_id = ${schoolId} AND day = ${day}::date`);
  if (!closed) out.push(`${day}: the day did not close`);
  return out;
}
