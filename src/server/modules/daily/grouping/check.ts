/**
 * The constraints of a grouping, checked on any result — the optimiser's and a person's manual
 * edit alike. Every violation names its rule.
 */
import { slotKey } from './form';
import type { DutyAssignment, Group, GroupingInput, Violation } from './types';

export function checkGrouping(input: GroupingInput, groups: Group[], duty: DutyAssignment[]): Violation[] {
  const out: Violation[] = [];
  const staff = new Map(input.staff.map((s) => [s.id, s]));
  const venues = new Map(input.venues.map((v) => [v.id, v]));
  const teacherAt = new Map<string, string>();
  const venueAt = new Map<string, string>();
  const placed = new Map<string, number>();
  for (const g of groups) {
    const at = slotKey(g.weekday, g.slot);
    if (g.studentIds.length > input.settings.maxGroupSize) {
      out.push({
        code: 'GROUP_TOO_LARGE',
        rule: 'R5',
        message: `${g.key} 有 ${g.studentIds.length} 人，超过 ${input.settings.maxGroupSize} 人`,
        weekday: g.weekday,
        slot: g.slot,
        groupKey: g.key,
      });
    }
    for (const id of g.studentIds) {
      const k = `${id}|${g.offeringId}|${g.weekday}`;
      placed.set(k, (placed.get(k) ?? 0) + 1);
    }
    if (g.teacherStaffId) {
      const s = staff.get(g.teacherStaffId);
      if (!s?.eligible)
        out.push({
          code: 'TEACHER_NOT_ELIGIBLE',
          rule: 'R11',
          message: `${g.key} 的教师未通过从业审查或不在岗`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
      else {
        if (s.unavailable.includes(at))
          out.push({
            code: 'TEACHER_UNAVAILABLE',
            rule: 'R5',
            message: `${s.name} 在该时段不可排班`,
            weekday: g.weekday,
            slot: g.slot,
            groupKey: g.key,
          });
        if (s.campusId && s.campusId !== g.campusId)
          out.push({
            code: 'TEACHER_WRONG_CAMPUS',
            rule: 'R5',
            message: `${s.name} 不在该校区`,
            weekday: g.weekday,
            slot: g.slot,
            groupKey: g.key,
          });
      }
      const k = `${g.teacherStaffId}|${at}`;
      if (teacherAt.has(k))
        out.push({
          code: 'TEACHER_DOUBLE_BOOKED',
          rule: 'R5',
          message: `${s?.name ?? ''} 同一时段带两个组`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
      teacherAt.set(k, g.key);
    } else if (!g.providerName) {
      out.push({ code: 'NO_TEACHER', rule: 'R5', message: `${g.key} 没有教师`, weekday: g.weekday, slot: g.slot, groupKey: g.key });
    }
    if (g.venueId) {
      const v = venues.get(g.venueId);
      if (v && v.capacity < g.studentIds.length)
        out.push({
          code: 'VENUE_TOO_SMALL',
          rule: 'R5',
          message: `${v.name} 容纳不下 ${g.studentIds.length} 人`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
      if (v && v.campusId !== g.campusId)
        out.push({
          code: 'VENUE_WRONG_CAMPUS',
          rule: 'R5',
          message: `${v.name} 不在该校区`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
      const k = `${g.venueId}|${at}`;
      if (venueAt.has(k))
        out.push({
          code: 'VENUE_DOUBLE_BOOKED',
          rule: 'R5',
          message: `${v?.name ?? ''} 同一时段安排了两个组`,
          weekday: g.weekday,
          slot: g.slot,
          groupKey: g.key,
        });
      venueAt.set(k, g.key);
    } else out.push({ code: 'NO_VENUE', rule: 'R5', message: `${g.key} 没有场地`, weekday: g.weekday, slot: g.slot, groupKey: g.key });
  }
  // Every enrolment of a known pupil and offering is in exactly one group.
  const pupils = new Set(input.pupils.map((p) => p.id));
  const offerings = new Set(input.offerings.map((o) => o.id));
  const expected = new Set(
    input.enrolments
      .filter((e) => pupils.has(e.studentId) && offerings.has(e.offeringId))
      .map((e) => `${e.studentId}|${e.offeringId}|${e.weekday}`),
  );
  for (const k of expected) {
    const n = placed.get(k) ?? 0;
    if (n === 0) out.push({ code: 'PUPIL_NOT_PLACED', rule: 'R2', message: `学生未编入任何组：${k}` });
  }
  for (const [k, n] of placed)
    if (n > 1 || !expected.has(k)) out.push({ code: 'PUPIL_PLACED_TWICE', rule: 'R5', message: `学生被编入多个组：${k}` });
  // Duty leaders: enough each day, eligible, not teaching in the afternoon meanwhile.
  for (const w of new Set(groups.map((g) => g.weekday))) {
    const perSlot = new Map<string, number>();
    for (const g of groups) if (g.weekday === w) perSlot.set(g.slot, (perSlot.get(g.slot) ?? 0) + 1);
    const most = Math.max(0, ...perSlot.values());
    const needed = Math.max(input.settings.minDutyPerDay, Math.ceil(most / input.settings.groupsPerDuty));
    const leaders = duty.filter((d) => d.weekday === w);
    if (leaders.length < needed)
      out.push({ code: 'TOO_FEW_DUTY', rule: 'R5', message: `需要 ${needed} 名值班领导，只有 ${leaders.length} 名`, weekday: w });
    for (const d of leaders) {
      const s = staff.get(d.staffId);
      if (!s?.eligible) out.push({ code: 'TEACHER_NOT_ELIGIBLE', rule: 'R11', message: '值班人员未通过从业审查', weekday: w });
      if (teacherAt.has(`${d.staffId}|${slotKey(w, 'afternoon')}`))
        out.push({ code: 'DUTY_DOUBLE_BOOKED', rule: 'R5', message: `${s?.name ?? ''} 值班时又在带组`, weekday: w });
    }
  }
  return out;
}
