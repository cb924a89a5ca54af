/**
 * Who actually works a shift on a date (R8): the timetable's teacher or duty leaders with the date's
 * approved swaps applied. The afternoon (today's groups, roll-call permission, check-in, the duty
 * console) asks these functions, never care_groups.teacher_staff_id alone.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Booking, bookingsOn, type Leg, type RotaGroup } from '../../../shared/rota';
import { type Db, queryRows } from '../../db/client';
import { toSql } from '../../db/exec';
import { schoolDay } from '../daily/days';

/**
 * SQL for the effective teacher of the care group aliased `g` on `day` (the last approved swap of
 * that date and group wins; none: the timetable's teacher).
 */
export const effectiveTeacherSql = (day: string, alias = 'g'): SQL => toSql(effectiveTeacherText('$1::date', alias), [day]);

/** The same as SQL text, the date given as an expression (e.g. a statement's `$2::date`), for hot-path statements. */
export const effectiveTeacherText = (dayExpr: string, alias = 'g'): string =>
  `COALESCE((SELECT l.to_staff_id FROM shift_swap_legs l JOIN shift_swaps sw ON sw.school_id = l.school_id AND sw.id = l.swap_id
              WHERE l.school_id = ${alias}.school_id AND l.day = ${dayExpr} AND l.group_id = ${alias}.id AND sw.status = 'approved'
              ORDER BY sw.decided_at DESC, l.leg DESC LIMIT 1), ${alias}.teacher_staff_id)`;

/** The effective teacher (staff id) of a group on a date, or null. */
export async function effectiveTeacher(db: Db, schoolId: string, day: string, groupId: string): Promise<string | null> {
  const [r] = await queryRows<{ staff_id: string | null }>(
    db,
    sql`SELECT ${effectiveTeacherSql(day)} AS staff_id FROM care_groups g WHERE g.school_id = ${schoolId} AND g.id = ${groupId}`,
  );
  return r?.staff_id ?? null;
}

/** A date's approved legs in the order they were approved. */
export async function approvedLegs(db: Db, schoolId: string, from: string, to: string): Promise<Leg[]> {
  return queryRows<Leg>(
    db,
    sql`SELECT l.day::text AS day, l.group_id AS "groupId", l.from_staff_id AS "fromStaffId", l.to_staff_id AS "toStaffId"
          FROM shift_swap_legs l JOIN shift_swaps sw ON sw.school_id = l.school_id AND sw.id = l.swap_id
         WHERE l.school_id = ${schoolId} AND l.day BETWEEN ${from}::date AND ${to}::date AND sw.status = 'approved'
         ORDER BY l.day, sw.decided_at, l.leg`,
  );
}

export interface DayPlan {
  groups: RotaGroup[];
  duty: string[];
  legs: Leg[];
}

/** The timetable of a term's weekday as RotaGroups (names for messages and the rota). */
export async function groupsOf(db: Db, schoolId: string, termId: string, weekday?: number): Promise<RotaGroup[]> {
  return queryRows<RotaGroup>(
    db,
    sql`SELECT g.id, g.weekday, g.slot, g.band, g.idx AS index, cp.name AS "campusName", o.name AS "offeringName", v.name AS "venueName",
               g.teacher_staff_id AS "teacherStaffId", g.provider_name AS "providerName"
          FROM care_groups g JOIN offerings o ON o.school_id = g.school_id AND o.id = g.offering_id
          JOIN campuses cp ON cp.school_id = g.school_id AND cp.id = g.campus_id
          LEFT JOIN venues v ON v.school_id = g.school_id AND v.id = g.venue_id
         WHERE g.school_id = ${schoolId} AND g.term_id = ${termId} ${weekday ? sql`AND g.weekday = ${weekday}` : sql``}
         ORDER BY g.weekday, array_position(ARRAY['morning','noon','afternoon','late'], g.slot), cp.name, o.kind, o.name, g.band, g.idx`,
  );
}

/** The duty leaders of the timetable per weekday. */
export async function dutyOf(db: Db, schoolId: string, termId: string): Promise<Map<number, string[]>> {
  const rows = await queryRows<{ weekday: number; staff_id: string }>(
    db,
    sql`SELECT weekday, staff_id FROM duty_assignments WHERE school_id = ${schoolId} AND term_id = ${termId} ORDER BY weekday, staff_id`,
  );
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.weekday, [...(out.get(r.weekday) ?? []), r.staff_id]);
  return out;
}

/** Everything booked on one school day of a term (timetable weekday `weekday`). */
export async function dayPlan(db: Db, schoolId: string, termId: string, day: string, weekday: number): Promise<DayPlan> {
  const [groups, duty, legs] = [
    await groupsOf(db, schoolId, termId, weekday),
    (await dutyOf(db, schoolId, termId)).get(weekday) ?? [],
    await approvedLegs(db, schoolId, day, day),
  ];
  return { groups, duty, legs };
}

/** The effective bookings of a day plan with extra (not yet approved) legs applied after the approved ones. */
export const bookingsWith = (p: DayPlan, extra: readonly Leg[] = []): Booking[] => bookingsOn(p.groups, p.duty, [...p.legs, ...extra]);

/** The day's effective duty leaders (timetable's, with approved duty swaps). */
export async function effectiveDutyLeaders(db: Db, schoolId: string, termId: string, day: string, weekday: number): Promise<string[]> {
  const duty = (await dutyOf(db, schoolId, termId)).get(weekday) ?? [];
  const legs = (await approvedLegs(db, schoolId, day, day)).filter((l) => !l.groupId);
  return bookingsOn([], duty, legs).map((b) => b.staffId);
}

/**
 * SQL text: the staff record aliased `s` is named for the duty of the day `dayExpr` — by a duty
 * assignment of the day's weekday (a make-up day's timetable weekday included) or by an approved duty
 * leg of that date. Cheap and indexed: the session lookup (auth/actor.ts) asks it on every request,
 * so the usual "no" costs no round trip of its own; only a "yes" works out the day's rota (below).
 */
export const namedForDutyText = (dayExpr: string, s = 's'): string =>
  `(EXISTS (SELECT 1 FROM duty_assignments d WHERE d.school_id = ${s}.school_id AND d.staff_id = ${s}.id
              AND d.weekday IN (extract(isodow FROM ${dayExpr})::int,
                                (SELECT td.as_weekday FROM term_days td WHERE td.school_id = ${s}.school_id AND td.day = ${dayExpr} AND td.kind = 'makeup' LIMIT 1)))
    OR EXISTS (SELECT 1 FROM shift_swap_legs l JOIN shift_swaps sw ON sw.school_id = l.school_id AND sw.id = l.swap_id
                WHERE l.school_id = ${s}.school_id AND l.day = ${dayExpr} AND l.group_id IS NULL AND l.to_staff_id = ${s}.id AND sw.status = 'approved'))`;

/**
 * The account's staff records that lead the duty of `day` (the timetable's duty leaders of the day's
 * weekday with the day's approved duty swaps applied), or none. The relationship behind the duty day
 * role (authz/day-roles.ts), asked only when the session lookup found the account named for the day.
 */
export async function dutyLeadOf(db: Db, schoolId: string, accountId: string, day: string): Promise<string[]> {
  const named = await queryRows<{ id: string }>(
    db,
    toSql(`SELECT s.id FROM staff s WHERE s.school_id = $1::uuid AND s.account_id = $2::uuid AND ${namedForDutyText('$3::date')}`, [
      schoolId,
      accountId,
      day,
    ]),
  );
  if (!named.length) return [];
  const sd = await schoolDay(db, schoolId, day);
  if (!sd.termId || !sd.weekday) return [];
  const leaders = new Set(await effectiveDutyLeaders(db, schoolId, sd.termId, day, sd.weekday));
  return named.map((r) => r.id).filter((id) => leaders.has(id));
}
