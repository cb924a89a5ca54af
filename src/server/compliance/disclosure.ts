/**
 * Disclosure rules: guardians are told the content, times, fees, safety measures and where to
 * complain before they choose (N2, 篇五 规范服务流程), and the application window is set.
 */
import { GRADE_BAND_LABELS, SEASON_LABELS, SLOT_LABELS } from '../../shared/plans';
import { slotTimeFor } from '../../shared/plan-inputs';
import { GRADE_BAND_EN, q, SEASON_EN, SLOT_EN } from './en';
import { seasonsInUse } from './time';
import { offeringPath, rule, sortedOfferings } from './types';

export const safetyMeasures = rule(
  {
    id: 'N2-safety',
    source: '篇五：主动公开服务时间、服务内容、服务方式、安全措施、收费事项；POLICY N2、N19',
    severity: 'block',
    title: '公示安全措施',
    titleEn: 'Safety measures are published',
    sourceEn: 'Part 5: publish the times, content, form, safety measures and fees of the service; POLICY N2, N19',
  },
  (input, emit) => {
    if (!input.plan.safetyMeasures.trim())
      emit(
        {
          zh: '没有写明安全措施（考勤、交接、应急预案、门卫登记等）',
          en: 'No safety measures are written (attendance, hand-over, emergency plan, gate register…)',
        },
        'plan.safetyMeasures',
      );
  },
);

export const complaintChannel = rule(
  {
    id: 'N2-complaint',
    source: '篇二：学校设立举报电话；篇五：接受学生、家长和社会监督；POLICY N2',
    severity: 'block',
    title: '公示投诉渠道',
    titleEn: 'A complaint channel is published',
    sourceEn: 'Part 2: schools set up a complaint phone; Part 5: open to pupils, guardians and the public; POLICY N2',
  },
  (input, emit) => {
    if (!input.plan.complaintPhone.trim() && !input.plan.complaintChannel.trim())
      emit({ zh: '没有公示投诉举报电话或渠道', en: 'No complaint phone or channel is published' }, 'plan.complaintPhone');
  },
);

export const offeringTimes = rule(
  {
    id: 'N2-times',
    source: '篇二：向家长公示课后服务时段、服务时间；POLICY N2',
    severity: 'block',
    title: '每个项目所在时段都有时间',
    titleEn: "Every offering's slot has times",
    sourceEn: 'Part 2: guardians are told the slots and times of the service; POLICY N2',
  },
  (input, emit) => {
    const seasons = seasonsInUse(input);
    for (const o of sortedOfferings(input)) {
      const missing: string[] = [];
      const missingEn: string[] = [];
      for (const season of seasons) {
        const bands = [o.gradeMin <= 2 ? (['low', 1] as const) : null, o.gradeMax >= 3 ? (['high', 3] as const) : null];
        for (const b of bands)
          if (b && !slotTimeFor(input.slots, o.slot, season, b[1])) {
            missing.push(`${SEASON_LABELS[season]}${GRADE_BAND_LABELS[b[0]]}`);
            missingEn.push(`${SEASON_EN[season]}, ${GRADE_BAND_EN[b[0]]}`);
          }
      }
      if (missing.length > 0)
        emit(
          {
            zh: `「${o.name}」所在时段“${SLOT_LABELS[o.slot]}”没有设置时间：${missing.join('、')}`,
            en: `The ${SLOT_EN[o.slot]} of ${q(o.name)} has no times for: ${missingEn.join('; ')}`,
          },
          offeringPath(o.id, 'slot'),
        );
    }
  },
);

export const applicationWindow = rule(
  {
    id: 'N2-window',
    source: 'POLICY N2：家长和学生自主报名、自主选课；篇二：申请报名',
    severity: 'warn',
    title: '报名时间已设置',
    titleEn: 'The application window is set',
    sourceEn: 'POLICY N2: guardians and pupils apply and choose freely; Part 2: applications',
  },
  (input, emit) => {
    const { applyOpensAt, applyClosesAt } = input.term;
    if (!applyOpensAt || !applyClosesAt) {
      emit(
        { zh: '学期没有设置家长报名的开始和截止时间', en: "The term has no opening and closing time for guardians' applications" },
        'term.applyOpensAt',
      );
      return;
    }
    for (const o of sortedOfferings(input)) {
      if (o.allocation !== 'fcfs' || !o.opensAt) continue;
      const at = Date.parse(o.opensAt);
      if (at < Date.parse(applyOpensAt) || at >= Date.parse(applyClosesAt)) {
        emit(
          {
            zh: `「${o.name}」先到先得的开放时间不在报名时间内`,
            en: `The first-come opening time of ${q(o.name)} is outside the application window`,
          },
          offeringPath(o.id, 'opensAt'),
        );
      }
    }
  },
);

export const DISCLOSURE_RULES = [safetyMeasures, complaintChannel, offeringTimes, applicationWindow];
