/**
 * Staff rule: only people vetted 'clear' with a check in the last year, and still active, may serve
 * (R11, POLICY N16: checked before hiring and every year after; a hit bars them).
 */
import { addDays } from '../../shared/calendar';
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
  },
  (input, emit) => {
    const staff = new Map(input.staff.map((s) => [s.id, s]));
    const since = yearBefore(input.today);
    for (const o of sortedOfferings(input)) {
      if (!o.teacherStaffId) continue;
      const s = staff.get(o.teacherStaffId);
      const path = offeringPath(o.id, 'teacherStaffId');
      if (!s) emit(`「${o.name}」的教师不存在`, path);
      else if (!s.active) emit(`「${o.name}」的教师${s.name}已停用`, path);
      else if (s.vettingStatus === 'barred') emit(`「${o.name}」的教师${s.name}被禁止从业，不得参与课后服务`, path);
      else if (s.vettingStatus !== 'clear') emit(`「${o.name}」的教师${s.name}尚未通过从业查询`, path);
      else if (!s.vettingCheckedOn || s.vettingCheckedOn < since) {
        emit(
          `「${o.name}」的教师${s.name}的从业查询${s.vettingCheckedOn ? `（${s.vettingCheckedOn}）已超过一年` : '没有记录日期'}，需重新查询`,
          path,
        );
      }
    }
  },
);

export const STAFF_RULES = [vettedStaff];
