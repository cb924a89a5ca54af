/**
 * The plan's working state read in one place, turned into the published snapshot (the contract
 * enrolment reads, see PlanSnapshot) and into the input of the compliance rules.
 */
import { todayInChina } from '../../../shared/china-time';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { PlanSnapshot } from '../../../shared/plan-inputs';
import { planSettingsSchema } from '../../../shared/plans';
import type { PlanCheckInput } from '../../compliance';
import type { Db } from '../../db/client';
import { offerings, planSlots, plans, schools, staff, termDays, terms, venues } from '../../db/schema';
import { notFound } from '../../lib/errors';
import { presentOffering, presentSlot, presentTerm } from './presenter';
import { together } from '../../db/together';

export type PlanRow = typeof plans.$inferSelect;

/** The plan of this school, or 404 (another school's plan answers the same as a missing one). */
export async function planOf(db: Db, schoolId: string, planId: string, lock = false): Promise<PlanRow> {
  const q = db
    .select()
    .from(plans)
    .where(and(eq(plans.schoolId, schoolId), eq(plans.id, planId)));
  const [p] = await (lock ? q.for('update') : q);
  if (!p) throw notFound('服务方案');
  return p;
}

export interface PlanState {
  plan: PlanRow;
  snapshot: PlanSnapshot;
  check: PlanCheckInput;
}

/** Today's date in Asia/Shanghai (YYYY-MM-DD). */
export const todayInShanghai = todayInChina;

export async function loadPlanState(db: Db, schoolId: string, plan: PlanRow, today = todayInShanghai()): Promise<PlanState> {
  const [[term], days, slotRows, offeringRows, [school]] = await together(db, [
    () =>
      db
        .select()
        .from(terms)
        .where(and(eq(terms.schoolId, schoolId), eq(terms.id, plan.termId))),
    () =>
      db
        .select()
        .from(termDays)
        .where(and(eq(termDays.schoolId, schoolId), eq(termDays.termId, plan.termId)))
        .orderBy(asc(termDays.day)),
    () =>
      db
        .select()
        .from(planSlots)
        .where(and(eq(planSlots.schoolId, schoolId), eq(planSlots.planId, plan.id))),
    () =>
      db
        .select({ o: offerings, venueName: venues.name, teacherName: staff.name })
        .from(offerings)
        .leftJoin(venues, and(eq(venues.schoolId, offerings.schoolId), eq(venues.id, offerings.venueId)))
        .leftJoin(staff, and(eq(staff.schoolId, offerings.schoolId), eq(staff.id, offerings.teacherStaffId)))
        .where(and(eq(offerings.schoolId, schoolId), eq(offerings.planId, plan.id), eq(offerings.active, true)))
        .orderBy(asc(offerings.createdAt), asc(offerings.id)),
    () => db.select().from(schools).where(eq(schools.id, schoolId)),
  ]);
  if (!term || !school) throw notFound('学期');
  const venueIds = [...new Set(offeringRows.map((r) => r.o.venueId).filter((v): v is string => !!v))];
  const staffIds = [...new Set(offeringRows.map((r) => r.o.teacherStaffId).filter((v): v is string => !!v))];
  const [venueRows, staffRows] = await together(db, [
    () =>
      venueIds.length
        ? db
            .select()
            .from(venues)
            .where(and(eq(venues.schoolId, schoolId), inArray(venues.id, venueIds)))
        : Promise.resolve([]),
    () =>
      staffIds.length
        ? db
            .select()
            .from(staff)
            .where(and(eq(staff.schoolId, schoolId), inArray(staff.id, staffIds)))
        : Promise.resolve([]),
  ]);
  const settings = planSettingsSchema.parse(plan.settings ?? {});
  const slotOrder = (s: PlanSnapshot['slots'][number]) =>
    `${['morning', 'noon', 'afternoon', 'late'].indexOf(s.slot)}${s.season}${s.gradeBand}`;
  const snapshot: PlanSnapshot = {
    term: presentTerm(term),
    plan: {
      id: plan.id,
      version: plan.version,
      safetyMeasures: plan.safetyMeasures,
      complaintPhone: plan.complaintPhone,
      complaintChannel: plan.complaintChannel,
      feeBasis: plan.feeBasis,
      settings,
    },
    slots: slotRows.map(presentSlot).sort((a, b) => (slotOrder(a) < slotOrder(b) ? -1 : 1)),
    offerings: offeringRows.map((r) => presentOffering(r.o, r)),
    school: { id: school.id, name: school.name, code: school.code, phone: school.phone, address: school.address },
  };
  const check: PlanCheckInput = {
    today,
    term: snapshot.term,
    exceptions: days.map((d) => ({ day: d.day, kind: d.kind, asWeekday: d.asWeekday })),
    plan: snapshot.plan,
    slots: snapshot.slots,
    offerings: snapshot.offerings,
    venues: venueRows.map((v) => ({ id: v.id, name: v.name, capacity: v.capacity, active: v.active })),
    staff: staffRows.map((s) => ({
      id: s.id,
      name: s.name,
      vettingStatus: s.vettingStatus,
      vettingCheckedOn: s.vettingCheckedOn,
      active: s.active,
    })),
  };
  return { plan, snapshot, check };
}
