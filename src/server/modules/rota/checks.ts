/**
 * A swap's legs checked against the rota (R8, N16): each date is a school day on which the group
 * meets, the giver holds the shift now, the taker is vetted and may work there, and nobody ends up
 * booked twice at the same time. Run when a swap is asked for, accepted and approved.
 */
import { sql } from 'drizzle-orm';
import { SLOT_LABELS } from '../../../shared/plans';
import { bookingsOn, type Clash, clashes, groupLabel, type Leg, type RotaGroup } from '../../../shared/rota';
import { type Db, queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { schoolDay } from '../daily/days';
import { approvedLegs, bookingsWith, type DayPlan, dayPlan, dutyOf, groupsOf } from './effective';
import { termDays, termRow } from './rota.service';

/**
 * Locks the staff rows of everyone a change of the rota touches, in id order, before it is checked.
 * A swap approval (its parties) and an office edit of a group's teacher (the old and the new one)
 * both take these locks, so two changes that could book one person twice wait for each other and
 * the second checks against the first's commit (READ COMMITTED: each statement after the lock sees
 * it) — and refuses with 409 DOUBLE_BOOKED. The same order everywhere: no deadlock between them.
 */
export async function lockStaff(tx: Db, schoolId: string, ids: Iterable<string | null | undefined>): Promise<void> {
  const people = [...new Set([...ids].filter((i): i is string => !!i))].sort();
  if (!people.length) return;
  await tx.execute(
    sql`SELECT id FROM staff WHERE school_id = ${schoolId} AND id IN (${sql.join(
      people.map((p) => sql`${p}::uuid`),
      sql`, `,
    )}) ORDER BY id FOR UPDATE`,
  );
}

/** 409 DOUBLE_BOOKED naming the person, the date, the slot and both shifts. */
function doubleBooked(groups: readonly RotaGroup[], name: string, day: string, c: Clash): AppError {
  const what = (id: string | null) => {
    if (!id) return '值班领导';
    const g = groups.find((x) => x.id === id);
    return g ? `${g.campusName}${groupLabel(g)}` : '托管组';
  };
  return new AppError(
    409,
    'DOUBLE_BOOKED',
    `${name} ${day} ${SLOT_LABELS[c.slot]}会同时负责：${c.groupIds.map(what).join('、')}，不能重复排班`,
    {
      clash: { staffId: c.staffId, day, slot: c.slot, groupIds: c.groupIds },
    },
  );
}

export interface StaffRow {
  id: string;
  name: string;
  accountId: string | null;
  campusId: string | null;
  kind: string;
  eligible: boolean;
}

/** POLICY N16 / R11: vetted clear within a year of `day`, and active. */
export async function staffRows(db: Db, schoolId: string, ids: string[], day: string): Promise<Map<string, StaffRow>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<StaffRow>(
    db,
    sql`SELECT id, name, account_id AS "accountId", campus_id AS "campusId", kind,
               (active AND vetting_status = 'clear' AND vetting_checked_on IS NOT NULL AND vetting_checked_on > ${day}::date - interval '1 year') AS eligible
          FROM staff WHERE school_id = ${schoolId} AND id IN (${sql.join(
            ids.map((i) => sql`${i}::uuid`),
            sql`, `,
          )})`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const unprocessable = (code: string, message: string) => new AppError(422, code, message);

/** Checks every leg; returns the term the swap belongs to. Throws the first problem as {code, message}. */
export async function checkLegs(db: Db, schoolId: string, legs: Leg[], today: string): Promise<{ termId: string }> {
  const people = await staffRows(db, schoolId, [...new Set(legs.flatMap((l) => [l.fromStaffId, l.toStaffId]))], today);
  const name = (id: string) => people.get(id)?.name ?? '';
  const plans = new Map<string, DayPlan>();
  let termId = '';
  for (const l of legs) {
    if (l.day < today) throw unprocessable('SWAP_IN_PAST', `${l.day} 已经过去，不能再调班`);
    const sd = await schoolDay(db, schoolId, l.day);
    if (!sd.weekday || !sd.termId) throw unprocessable('NOT_A_SCHOOL_DAY', `${l.day} 不是课后服务日（周末、节假日或学期外）`);
    if (termId && termId !== sd.termId) throw unprocessable('SWAP_ACROSS_TERMS', '调班的两个班次须在同一学期');
    termId = sd.termId;
    const to = people.get(l.toStaffId);
    if (!to) throw notFound('教职工');
    if (!to.eligible) throw unprocessable('STAFF_NOT_ELIGIBLE', `${to.name} 未通过从业人员审查或不在岗，不能接班`);
    let plan = plans.get(l.day);
    if (!plan) {
      plan = await dayPlan(db, schoolId, sd.termId, l.day, sd.weekday);
      plans.set(l.day, plan);
    }
    const now = bookingsWith(plan);
    if (l.groupId) {
      const [g] = await queryRows<{ term_id: string; weekday: number; campus_id: string }>(
        db,
        sql`SELECT term_id, weekday, campus_id FROM care_groups WHERE school_id = ${schoolId} AND id = ${l.groupId}`,
      );
      if (!g) throw notFound('托管组');
      const group = plan.groups.find((x) => x.id === l.groupId);
      if (!group || g.term_id !== sd.termId || g.weekday !== sd.weekday)
        throw unprocessable('NOT_ON_THAT_DAY', `该托管组在 ${l.day} 没有课后服务`);
      const holder = now.find((b) => b.groupId === l.groupId)?.staffId;
      if (holder !== l.fromStaffId)
        throw new AppError(409, 'NOT_THEIR_SHIFT', `${name(l.fromStaffId)} 在 ${l.day} 不负责${groupLabel(group)}`);
      if (to.campusId && to.campusId !== g.campus_id)
        throw unprocessable('WRONG_CAMPUS', `${to.name} 不在${group.campusName}任教，不能接这个组`);
    } else {
      if (!now.some((b) => !b.groupId && b.staffId === l.fromStaffId))
        throw new AppError(409, 'NOT_THEIR_SHIFT', `${name(l.fromStaffId)} 在 ${l.day} 不是值班领导`);
      if (to.kind !== 'own') throw unprocessable('NOT_DUTY_STAFF', `值班领导须由本校教师担任，${to.name} 不能接值班`);
      // taking a second seat of the same duty would leave the day one leader short
      if (now.some((b) => !b.groupId && b.staffId === l.toStaffId))
        throw new AppError(409, 'DOUBLE_BOOKED', `${to.name} ${l.day} 已是值班领导，不能重复排班`, {
          clash: { staffId: to.id, day: l.day, slot: 'afternoon', groupIds: [null, null] },
        });
    }
  }
  // Nobody booked twice: compare each day's bookings before and after all the swap's legs.
  const parties = new Set(legs.flatMap((l) => [l.fromStaffId, l.toStaffId]));
  for (const [day, plan] of plans) {
    const key = (c: { staffId: string; slot: string; groupIds: (string | null)[] }) => `${c.staffId}|${c.slot}|${[...c.groupIds].sort()}`;
    const before = new Set(clashes(bookingsWith(plan), parties).map(key));
    const after = clashes(
      bookingsWith(
        plan,
        legs.filter((l) => l.day === day),
      ),
      parties,
    ).filter((c) => !before.has(key(c)));
    if (after.length) throw doubleBooked(plan.groups, name(after[0].staffId), day, after[0]);
  }
  return { termId };
}

/**
 * The office gives a group of the timetable to `teacherStaffId`: the timetable's own clashes are the
 * grouping checker's (422 GROUPING_VIOLATION); this adds the service days from `today` on where an
 * approved swap already gives that teacher another shift at the same time (409 DOUBLE_BOOKED, as
 * approving such a swap would be). Run after `lockStaff` of the old and the new teacher.
 */
export async function checkTeacherChange(
  db: Db,
  schoolId: string,
  termId: string,
  groupId: string,
  teacherStaffId: string,
  today: string,
): Promise<void> {
  const term = await termRow(db, schoolId, termId);
  if (term.endsOn < today) return;
  const legs = await approvedLegs(db, schoolId, today > term.startsOn ? today : term.startsOn, term.endsOn);
  if (!legs.length) return;
  const all = await groupsOf(db, schoolId, termId);
  const group = all.find((g) => g.id === groupId);
  if (!group) return;
  const before = all.filter((g) => g.weekday === group.weekday);
  const after = before.map((g) => (g.id === groupId ? { ...g, teacherStaffId } : g));
  const duty = (await dutyOf(db, schoolId, termId)).get(group.weekday) ?? [];
  const parties = new Set([teacherStaffId]);
  const key = (c: Clash) => `${c.staffId}|${c.slot}|${[...c.groupIds].sort()}`;
  for (const d of await termDays(db, schoolId, term)) {
    if (d.date < today || d.weekday !== group.weekday) continue;
    const dayLegs = legs.filter((l) => l.day === d.date);
    if (!dayLegs.length) continue; // the timetable alone: the grouping checker's
    const had = new Set(clashes(bookingsOn(before, duty, dayLegs), parties).map(key));
    const added = clashes(bookingsOn(after, duty, dayLegs), parties).filter((c) => !had.has(key(c)));
    if (added.length) {
      const [who] = await queryRows<{ name: string }>(
        db,
        sql`SELECT name FROM staff WHERE school_id = ${schoolId} AND id = ${teacherStaffId}`,
      );
      throw doubleBooked(after, who?.name ?? '', d.date, added[0]);
    }
  }
}
