/**
 * Disclosure rules: guardians are told the content, times, fees, safety measures and where to
 * complain before they choose (N2, 篇五 规范服务流程), and the application window is set.
 */
import { GRADE_BAND_LABELS, SEASON_LABELS, SLOT_LABELS } from '../../shared/plans';
import { slotTimeFor } from '../../shared/plan-inputs';
import { seasonsInUse } from './time';
import { offeringPath, rule, sortedOfferings } from './types';

export const safetyMeasures = rule(
  {
    id: 'N2-safety',
    source: '篇五：主动公开服务时间、服务内容、服务方式、安全措施、收费事项；POLICY N2、N19',
    severity: 'block',
    title: '公示安全措施',
  },
  (input, emit) => {
    if (!input.plan.safetyMeasures.trim()) emit('没有写明安全措施（考勤、交接、应急预案、门卫登记等）', 'plan.safetyMeasures');
  },
);

export const complaintChannel = rule(
  {
    id: 'N2-complaint',
    source: '篇二：学校设立举报电话；篇五：接受学生、家长和社会监督；POLICY N2',
    severity: 'block',
    title: '公示投诉渠道',
  },
  (input, emit) => {
    if (!input.plan.complaintPhone.trim() && !input.plan.complaintChannel.trim()) emit('没有公示投诉举报电话或渠道', 'plan.complaintPhone');
  },
);

export const offeringTimes = rule(
  {
    id: 'N2-times',
    source: '篇二：向家长公示课后服务时段、服务时间；POLICY N2',
    severity: 'block',
    title: '每个项目所在时段都有时间',
  },
  (input, emit) => {
    const seasons = seasonsInUse(input);
    for (const o of sortedOfferings(input)) {
      const missing: string[] = [];
      for (const season of seasons) {
        const bands = [o.gradeMin <= 2 ? (['low', 1] as const) : null, o.gradeMax >= 3 ? (['high', 3] as const) : null];
        for (const b of bands)
          if (b && !slotTimeFor(input.slots, o.slot, season, b[1])) missing.push(`${SEASON_LABELS[season]}${GRADE_BAND_LABELS[b[0]]}`);
      }
      if (missing.length > 0)
        emit(`「${o.name}」所在时段“${SLOT_LABELS[o.slot]}”没有设置时间：${missing.join('、')}`, offeringPath(o.id, 'slot'));
    }
  },
);

export const applicationWindow = rule(
  {
    id: 'N2-window',
    source: 'POLICY N2：家长和学生自主报名、自主选课；篇二：申请报名',
    severity: 'warn',
    title: '报名时间已设置',
  },
  (input, emit) => {
    const { applyOpensAt, applyClosesAt } = input.term;
    if (!applyOpensAt || !applyClosesAt) {
      emit('学期没有设置家长报名的开始和截止时间', 'term.applyOpensAt');
      return;
    }
    for (const o of sortedOfferings(input)) {
      if (o.allocation !== 'fcfs' || !o.opensAt) continue;
      const at = Date.parse(o.opensAt);
      if (at < Date.parse(applyOpensAt) || at >= Date.parse(applyClosesAt)) {
        emit(`「${o.name}」先到先得的开放时间不在报名时间内`, offeringPath(o.id, 'opensAt'));
      }
    }
  },
);

export const DISCLOSURE_RULES = [safetyMeasures, complaintChannel, offeringTimes, applicationWindow];
