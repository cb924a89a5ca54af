/**
 * A swap's legs checked against the rota (R8, N16): each date is a school day on which the group
 * meets, the giver holds the shift now, the taker is vetted and may work there, and nobody ends up
 * booked twice at the same time. Run when a swap is asked for, accepted and approved.
 */
import { sql } from 'drizzle-orm';
import { SLOT_LABELS } from '../../../shared/plans';
import { clashes, groupLabel, type Leg } from '../../../shared/rota';
import { type Db, queryRows } from '../../db/client';
import { AppError, notFound } from '../../lib/errors';
import { schoolDay } from '../daily/days';
import { bookingsWith, type DayPlan, dayPlan } from './effective';

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
    if (after.length) {
      const c = after[0];
      const what = (id: string | null) => {
        if (!id) return '值班领导';
        const g = plan.groups.find((x) => x.id === id);
        return g ? `${g.campusName}${groupLabel(g)}` : '托管组';
      };
      throw new AppError(
        409,
        'DOUBLE_BOOKED',
        `${name(c.staffId)} ${day} ${SLOT_LABELS[c.slot]}会同时负责：${c.groupIds.map(what).join('、')}，不能重复排班`,
        { clash: { staffId: c.staffId, day, slot: c.slot, groupIds: c.groupIds } },
      );
    }
  }
  return { termId };
}
