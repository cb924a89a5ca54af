/** Route-level access flags (the Ant Design Pro `access.ts` convention), from the actor's permissions. */
import type { Permission } from '../shared/permissions';
import type { Me } from './auth';

export function accessOf(me: Me | null | undefined) {
  const has = (p: Permission) => !!me?.permissions.includes(p);
  return {
    has,
    office: has('student.write'),
    roster: has('student.read'),
    staff: has('staff.read'),
    staffWrite: has('staff.write'),
    import: has('roster.import'),
    export: has('student.export'),
    audit: has('audit.read'),
    school: has('campus.write'),
    district: has('district.read'),
    family: has('family.read'),
    rollcall: has('attendance.write'),
    duty: has('duty.read'),
    // today's duty leader through the rota (a swapped or timetabled duty day), not by a standing role
    dutyToday: !!me?.dutyToday,
    leaveDesk: has('leave.record'),
    handover: has('handover.write'),
    headcount: has('headcount.write'),
    carelog: has('incident.write'),
    outbox: has('outbox.read'),
    groups: has('group.read'),
    // the whole school's rota and its export; staff see their own shifts and ask to swap
    rota: has('rota.export'),
    myRota: has('rota.read'),
    guardianContacts: has('guardian.read'),
    plans: has('plan.read'),
    filing: has('plan.review'),
    apply: has('family.apply'),
    notifications: has('notification.read'),
    review: has('application.review'),
    enrollment: has('enrollment.read') && has('application.write'),
    survey: has('survey.read'),
    surveyWrite: has('survey.write'),
    surveyAnswer: has('survey.answer'),
    // lunch, teachers' subsidies (office) and the district's funding of schools (issue 5)
    lunch: has('lunch.read'),
    subsidies: has('subsidy.read'),
    funding: has('funding.read'),
    // money: the payment desk and the term's accounts (issue 5)
    payments: has('payment.read'),
    accounts: has('accounts.read'),
    // billing: fee standards, bills, waivers, term close (issue 5); the district's approved providers
    billing: has('billing.read'),
    waivers: has('waiver.decide'),
    billingClose: has('billing.close'),
  };
}
export type Access = ReturnType<typeof accessOf>;
