/**
 * Care groups of a term: the GroupingInput read from the database, generation through the existing
 * engine (grouping/), storing the result, and a person's edit checked against the same constraints.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Slot } from '../../../shared/plans';
import { type Db, queryRows } from '../../db/client';
import { careGroupMembers, careGroups, dutyAssignments, groupingRuns } from '../../db/schema';
import { newId } from '../../lib/ids';
import { DEFAULT_GROUPING, type DutyAssignment, type Group, type GroupingInput, type GroupingResult, generateGroups } from './grouping';

const minutes = (a: string, b: string) => {
  const [ah, am] = a.split(':').map(Number);
  const [bh, bm] = b.split(':').map(Number);
  return bh * 60 + bm - (ah * 60 + am);
};

/** Everything the grouping needs for a term, read from the school's own rows. */
export async function loadGroupingInput(db: Db, schoolId: string, termId: string, today: string): Promise<GroupingInput> {
  const [plan] = await queryRows<{ id: string; settings: { maxGroupSize?: number } }>(
    db,
    sql`SELECT id, settings FROM plans WHERE school_id = ${schoolId} AND term_id = ${termId}`,
  );
  const slotMinutes: Record<Slot, number> = { morning: 30, noon: 100, afternoon: 130, late: 60 };
  if (plan) {
    const slots = await queryRows<{ slot: Slot; start: string; end: string }>(
      db,
      sql`SELECT slot, to_char(start_time, 'HH24:MI') AS start, to_char(end_time, 'HH24:MI') AS end FROM plan_slots
           WHERE school_id = ${schoolId} AND plan_id = ${plan.id} AND season = 'summer' AND grade_band IN ('all', 'high')`,
    );
    for (const s of slots) slotMinutes[s.slot] = minutes(s.start, s.end);
  }
  const offerings = plan
    ? await queryRows<{
        id: string;
        kind: 'care' | 'club';
        name: string;
        slot: Slot;
        venue_id: string | null;
        teacher_staff_id: string | null;
        provider_name: string;
      }>(
        db,
        sql`SELECT id, kind, name, slot, venue_id, teacher_staff_id, provider_name FROM offerings WHERE school_id = ${schoolId} AND plan_id = ${plan.id} AND active`,
      )
    : [];
  const enrolments = await queryRows<{ student_id: string; offering_id: string; weekday: number }>(
    db,
    sql`SELECT e.student_id, e.offering_id, e.weekday FROM enrollments e JOIN students s ON s.school_id = e.school_id AND s.id = e.student_id
         WHERE e.school_id = ${schoolId} AND e.term_id = ${termId} AND e.status = 'enrolled' AND s.active`,
  );
  const pupils = await queryRows<{ id: string; grade: number; campus_id: string; sort_key: string }>(
    db,
    sql`SELECT s.id, s.grade, s.campus_id, s.grade || '-' || c.name || '-' || s.student_no AS sort_key
          FROM students s JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
         WHERE s.school_id = ${schoolId} AND s.active AND s.id IN (SELECT student_id FROM enrollments WHERE school_id = ${schoolId} AND term_id = ${termId} AND status = 'enrolled')`,
  );
  // R11 / N16: vetted 'clear' within a year of today and active; only own staff lead a day (duty).
  const staff = await queryRows<{ id: string; name: string; campus_id: string | null; eligible: boolean; kind: string }>(
    db,
    sql`SELECT id, name, campus_id, kind,
               (active AND vetting_status = 'clear' AND vetting_checked_on IS NOT NULL AND vetting_checked_on > ${today}::date - interval '1 year') AS eligible
          FROM staff WHERE school_id = ${schoolId}`,
  );
  const venues = await queryRows<{ id: string; campus_id: string; name: string; capacity: number }>(
    db,
    sql`SELECT id, campus_id, name, capacity FROM venues WHERE school_id = ${schoolId} AND active`,
  );
  return {
    settings: { ...DEFAULT_GROUPING, maxGroupSize: plan?.settings?.maxGroupSize ?? DEFAULT_GROUPING.maxGroupSize },
    slotMinutes,
    pupils: pupils.map((p) => ({ id: p.id, grade: p.grade, campusId: p.campus_id, sortKey: p.sort_key })),
    offerings: offerings.map((o) => ({
      id: o.id,
      kind: o.kind,
      name: o.name,
      slot: o.slot,
      venueId: o.venue_id,
      teacherStaffId: o.teacher_staff_id,
      providerName: o.provider_name,
    })),
    enrolments: enrolments.map((e) => ({ studentId: e.student_id, offeringId: e.offering_id, weekday: e.weekday })),
    staff: staff.map((s) => ({
      id: s.id,
      name: s.name,
      campusId: s.campus_id,
      eligible: s.eligible,
      canDuty: s.kind === 'own',
      unavailable: [],
    })),
    venues: venues.map((v) => ({ id: v.id, campusId: v.campus_id, name: v.name, capacity: v.capacity })),
  };
}

/** Replaces the term's groups, members and duty leaders with `result`, in the caller's transaction. */
export async function storeGrouping(
  tx: Db,
  schoolId: string,
  termId: string,
  result: Pick<GroupingResult, 'groups' | 'duty' | 'violations' | 'notes' | 'solver'>,
  by: string | null,
) {
  await tx.delete(careGroups).where(and(eq(careGroups.schoolId, schoolId), eq(careGroups.termId, termId)));
  await tx.delete(dutyAssignments).where(and(eq(dutyAssignments.schoolId, schoolId), eq(dutyAssignments.termId, termId)));
  const rows = result.groups.map((g) => ({
    schoolId,
    id: newId(),
    termId,
    key: g.key,
    weekday: g.weekday,
    slot: g.slot,
    campusId: g.campusId,
    offeringId: g.offeringId,
    band: g.band,
    idx: g.index,
    teacherStaffId: g.teacherStaffId,
    providerName: g.providerName,
    venueId: g.venueId,
  }));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(careGroups).values(rows.slice(i, i + 500));
  const members = result.groups.flatMap((g, i) => g.studentIds.map((studentId) => ({ schoolId, groupId: rows[i].id, studentId })));
  for (let i = 0; i < members.length; i += 2000) await tx.insert(careGroupMembers).values(members.slice(i, i + 2000));
  const duty = [...new Map(result.duty.map((d) => [`${d.weekday}|${d.staffId}`, d])).values()];
  if (duty.length) await tx.insert(dutyAssignments).values(duty.map((d) => ({ schoolId, termId, weekday: d.weekday, staffId: d.staffId })));
  await tx
    .insert(groupingRuns)
    .values({ schoolId, termId, violations: result.violations, notes: result.notes, solver: result.solver, generatedBy: by })
    .onConflictDoUpdate({
      target: [groupingRuns.schoolId, groupingRuns.termId],
      set: { violations: result.violations, notes: result.notes, solver: result.solver, generatedBy: by, generatedAt: new Date() },
    });
  return rows.length;
}

export async function generateForTerm(db: Db, schoolId: string, termId: string, today: string) {
  const input = await loadGroupingInput(db, schoolId, termId, today);
  return { input, result: await generateGroups(input) };
}

/** The stored grouping of a term in the engine's shape (for checking an edit), with row ids. */
export async function storedGrouping(
  db: Db,
  schoolId: string,
  termId: string,
): Promise<{ groups: (Group & { id: string })[]; duty: DutyAssignment[] }> {
  const gs = await queryRows<{
    id: string;
    key: string;
    weekday: number;
    slot: Slot;
    campus_id: string;
    offering_id: string;
    band: Group['band'];
    idx: number;
    teacher_staff_id: string | null;
    provider_name: string;
    venue_id: string | null;
    members: string[] | null;
  }>(
    db,
    sql`SELECT g.id, g.key, g.weekday, g.slot, g.campus_id, g.offering_id, g.band, g.idx, g.teacher_staff_id, g.provider_name, g.venue_id,
               (SELECT array_agg(m.student_id ORDER BY m.student_id) FROM care_group_members m WHERE m.school_id = g.school_id AND m.group_id = g.id) AS members
          FROM care_groups g WHERE g.school_id = ${schoolId} AND g.term_id = ${termId}
         ORDER BY g.weekday, g.slot, g.key`,
  );
  const duty = await queryRows<{ weekday: number; staff_id: string }>(
    db,
    sql`SELECT weekday, staff_id FROM duty_assignments WHERE school_id = ${schoolId} AND term_id = ${termId}`,
  );
  return {
    groups: gs.map((g) => ({
      id: g.id,
      key: g.key,
      weekday: g.weekday,
      slot: g.slot,
      campusId: g.campus_id,
      offeringId: g.offering_id,
      band: g.band,
      index: g.idx,
      studentIds: g.members ?? [],
      teacherStaffId: g.teacher_staff_id,
      providerName: g.provider_name,
      venueId: g.venue_id,
    })),
    duty: duty.map((d) => ({ weekday: d.weekday, staffId: d.staff_id })),
  };
}

export { careGroupMembers };
