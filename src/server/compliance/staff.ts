/**
 * Staff rule: only people vetted 'clear' with a check in the last year, and still active, may serve
 * (R11, POLICY N16: checked before hiring and every year after; a hit bars them).
 */
import { addDays } from '../../shared/calendar';
import { q } from './en';
import { offeringPath, rule, sortedOfferings } from './types';

/** The day a year before `today` (a check on this day or later is still valid). */
export const yearBefore = (today: string) => {
  const y = Number(today.slice(0, 4)) - 1;
  const md = today.slice(5);
  // 29 February a year back is 1 March
  return md === '02-29' ? addDays(`${y}-02-28`, 1) : `${y}-${md}`;
};

export const vettedStaff = rule(
  {
    id: 'R11',
    source: '篇五“十严禁”：严禁有师德师风问题的教职工参与课后服务；POLICY N16：与未成年人密切接触者入职查询并每年复查',
    severity: 'block',
    title: '授课教师已通过从业查询且在一年内',
    titleEn: 'Teachers vetted within the last year',
    sourceEn:
      'Part 5 “ten prohibitions”: no staff with conduct problems; POLICY N16: people in close contact with minors are checked on hiring and every year',
  },
  (input, emit) => {
    const staff = new Map(input.staff.map((s) => [s.id, s]));
    const since = yearBefore(input.today);
    for (const o of sortedOfferings(input)) {
      if (!o.teacherStaffId) continue;
      const s = staff.get(o.teacherStaffId);
      const path = offeringPath(o.id, 'teacherStaffId');
      if (!s) emit({ zh: `「${o.name}」的教师不存在`, en: `The teacher of ${q(o.name)} does not exist` }, path);
      else if (!s.active)
        emit({ zh: `「${o.name}」的教师${s.name}已停用`, en: `${q(s.name)}, the teacher of ${q(o.name)}, is inactive` }, path);
      else if (s.vettingStatus === 'barred')
        emit(
          {
            zh: `「${o.name}」的教师${s.name}被禁止从业，不得参与课后服务`,
            en: `${q(s.name)}, the teacher of ${q(o.name)}, is barred and may not take part in after-school service`,
          },
          path,
        );
      else if (s.vettingStatus !== 'clear')
        emit(
          {
            zh: `「${o.name}」的教师${s.name}尚未通过从业查询`,
            en: `${q(s.name)}, the teacher of ${q(o.name)}, has not passed the vetting check`,
          },
          path,
        );
      else if (!s.vettingCheckedOn || s.vettingCheckedOn < since) {
        emit(
          {
            zh: `「${o.name}」的教师${s.name}的从业查询${s.vettingCheckedOn ? `（${s.vettingCheckedOn}）已超过一年` : '没有记录日期'}，需重新查询`,
            en: `The vetting check of ${q(s.name)}, the teacher of ${q(o.name)}, ${s.vettingCheckedOn ? `(${s.vettingCheckedOn}) is more than a year old` : 'has no date'}: check again`,
          },
          path,
        );
      }
    }
  },
);

export const STAFF_RULES = [vettedStaff];
