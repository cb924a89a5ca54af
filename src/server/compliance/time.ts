/**
 * Time rules: the latest and earliest end of the afternoon service, the grade 1–2 stagger, "5+2"
 * (every school day, at least two hours), the late extension, and a term with school days at all.
 */
import { schoolDays } from '../../shared/calendar';
import { minutesOf, slotTimeFor } from '../../shared/plan-inputs';
import { GRADE_BAND_LABELS, type Season, SEASON_LABELS, SEASONS, WEEKDAY_LABELS } from '../../shared/plans';
import { GRADE_BAND_EN, SEASON_EN, WEEKDAY_EN } from './en';
import { cmp, type PlanCheckInput, rule } from './types';

const slotPath = (s: { slot: string; season: string; gradeBand: string }, field?: string) =>
  `slots.${s.slot}.${s.season}.${s.gradeBand}${field ? `.${field}` : ''}`;

const rowsOf = (input: PlanCheckInput, slot: string) =>
  input.slots
    .filter((s) => s.slot === slot)
    .sort((a, b) => SEASONS.indexOf(a.season) - SEASONS.indexOf(b.season) || cmp(a.gradeBand, b.gradeBand));

const label = (s: { season: Season; gradeBand: keyof typeof GRADE_BAND_LABELS }) =>
  `${SEASON_LABELS[s.season]}${GRADE_BAND_LABELS[s.gradeBand]}`;
const labelEn = (s: { season: Season; gradeBand: keyof typeof GRADE_BAND_LABELS }) =>
  `${SEASON_EN[s.season]}, ${GRADE_BAND_EN[s.gradeBand]}`;

/** Seasons that occur on at least one service day of the term. */
export function seasonsInUse(input: PlanCheckInput): Season[] {
  const used = new Set(schoolDays(input.term, input.exceptions).map((d) => d.season));
  return SEASONS.filter((s) => used.has(s));
}

export const latestEnd = rule(
  {
    id: 'R4',
    source: '篇五：课后服务结束时间原则上不晚于18:00（本地规定，设置项 latestEnd）；POLICY N6',
    severity: 'block',
    title: '下午课后服务不晚于最晚结束时间',
    titleEn: 'The afternoon service ends by the latest end',
    sourceEn: 'Part 5: the service ends by 18:00 as a rule (local rule, setting latestEnd); POLICY N6',
  },
  (input, emit) => {
    const limit = input.plan.settings.latestEnd;
    for (const s of rowsOf(input, 'afternoon')) {
      if (minutesOf(s.endTime) > minutesOf(limit))
        emit(
          {
            zh: `${label(s)}下午课后服务结束于 ${s.endTime}，晚于 ${limit}`,
            en: `${labelEn(s)}: the afternoon service ends at ${s.endTime}, after ${limit}`,
          },
          slotPath(s, 'endTime'),
        );
    }
  },
);

export const earliestEnd = rule(
  {
    id: 'N6',
    source: 'POLICY N6：结束时间不早于当地正常下班时间（设置项 earliestEnd；一二年级可按错峰提前）',
    severity: 'warn',
    title: '下午课后服务不早于最早结束时间',
    titleEn: 'The afternoon service ends no earlier than the earliest end',
    sourceEn:
      "POLICY N6: the service ends no earlier than parents' usual end of work (setting earliestEnd; grades 1–2 may leave earlier by the stagger)",
  },
  (input, emit) => {
    const { earliestEnd: limit, lowerGradeStaggerMinutes: stagger } = input.plan.settings;
    for (const s of rowsOf(input, 'afternoon')) {
      const min = minutesOf(limit) - (s.gradeBand === 'low' ? stagger : 0);
      if (minutesOf(s.endTime) < min)
        emit(
          {
            zh: `${label(s)}下午课后服务结束于 ${s.endTime}，早于家长下班时间 ${limit}，接送仍有困难`,
            en: `${labelEn(s)}: the afternoon service ends at ${s.endTime}, before parents finish work at ${limit}; pick-up stays hard`,
          },
          slotPath(s, 'endTime'),
        );
    }
  },
);

export const stagger = rule(
  {
    id: 'R4-stagger',
    source: '篇二：冬令时、夏令时下午课后服务一二年级错峰提前20分钟（设置项 lowerGradeStaggerMinutes）',
    severity: 'warn',
    title: '一二年级错峰放学',
    titleEn: 'Grades 1–2 leave earlier (stagger)',
    sourceEn:
      'Part 2: in winter and summer schedules grades 1–2 end the afternoon service 20 minutes earlier (setting lowerGradeStaggerMinutes)',
  },
  (input, emit) => {
    const minutes = input.plan.settings.lowerGradeStaggerMinutes;
    if (minutes <= 0) return;
    for (const season of SEASONS) {
      const high = slotTimeFor(input.slots, 'afternoon', season, 3);
      if (!high) continue;
      const low = input.slots.find((s) => s.slot === 'afternoon' && s.season === season && s.gradeBand === 'low');
      const path = `slots.afternoon.${season}.low`;
      if (!low)
        emit(
          {
            zh: `${SEASON_LABELS[season]}没有单独设置一、二年级的下午时间：应比其他年级提前 ${minutes} 分钟结束`,
            en: `The ${SEASON_EN[season]} has no separate afternoon times for grades 1–2: they should end ${minutes} minutes before the other grades`,
          },
          path,
        );
      else if (minutesOf(high.endTime) - minutesOf(low.endTime) < minutes) {
        emit(
          {
            zh: `${SEASON_LABELS[season]}一、二年级结束于 ${low.endTime}，应比其他年级（${high.endTime}）提前 ${minutes} 分钟`,
            en: `${SEASON_EN[season]}: grades 1–2 end at ${low.endTime}; they should end ${minutes} minutes before the other grades (${high.endTime})`,
          },
          `${path}.endTime`,
        );
      }
    }
  },
);

export const fiveDaysSlots = rule(
  {
    id: 'N5-slots',
    source: 'POLICY N5“5+2”：每个上学日都开展课后服务；篇二：夏令时、冬令时分别规定下午服务时间',
    severity: 'block',
    title: '每个季节、每个年级段都有下午服务时间',
    titleEn: 'Afternoon times for every season and grade band',
    sourceEn: 'POLICY N5 “5+2”: service on every school day; Part 2: afternoon times set for the summer and winter schedules',
  },
  (input, emit) => {
    for (const season of seasonsInUse(input)) {
      for (const [grade, band] of [
        [1, 'low'],
        [3, 'high'],
      ] as const) {
        if (!slotTimeFor(input.slots, 'afternoon', season, grade)) {
          emit(
            {
              zh: `${SEASON_LABELS[season]}${GRADE_BAND_LABELS[band]}没有下午课后服务时间`,
              en: `${SEASON_EN[season]}, ${GRADE_BAND_EN[band]}: no afternoon service times`,
            },
            `slots.afternoon.${season}.${band}`,
          );
        }
      }
    }
  },
);

export const fiveDaysHours = rule(
  {
    id: 'N5-hours',
    source: 'POLICY N5“5+2”：每天不少于2小时（设置项 minDailyMinutes）',
    severity: 'block',
    title: '下午服务每天不少于 2 小时',
    titleEn: 'At least 2 hours of afternoon service a day',
    sourceEn: 'POLICY N5 “5+2”: at least 2 hours a day (setting minDailyMinutes)',
  },
  (input, emit) => {
    const min = input.plan.settings.minDailyMinutes;
    for (const s of rowsOf(input, 'afternoon')) {
      const length = minutesOf(s.endTime) - minutesOf(s.startTime);
      if (length < min)
        emit(
          {
            zh: `${label(s)}下午课后服务 ${s.startTime}–${s.endTime} 只有 ${length} 分钟，少于 ${min} 分钟`,
            en: `${labelEn(s)}: the afternoon service ${s.startTime}–${s.endTime} lasts ${length} minutes, less than ${min}`,
          },
          slotPath(s),
        );
    }
  },
);

export const fiveDaysWeek = rule(
  {
    id: 'N5-days',
    source: 'POLICY N5“5+2”：每周5天都开展课后服务；篇五：义务教育学校原则上每周5天都要开展课后服务',
    severity: 'block',
    title: '每个年级周一至周五都有下午服务项目',
    titleEn: 'Every grade has afternoon offerings Monday to Friday',
    sourceEn: 'POLICY N5 “5+2”: service on all five weekdays; Part 5: compulsory schools provide it five days a week as a rule',
  },
  (input, emit) => {
    const missingOf = (grade: number) => {
      const covered = new Set<number>();
      for (const o of input.offerings) {
        if (o.slot === 'afternoon' && o.gradeMin <= grade && grade <= o.gradeMax) for (const d of o.weekdays) covered.add(d);
      }
      return [1, 2, 3, 4, 5].filter((d) => !covered.has(d));
    };
    // consecutive grades missing the same days make one finding
    let from = 1;
    for (let g = 1; g <= 6; g++) {
      const key = missingOf(g).join(',');
      if (g < 6 && missingOf(g + 1).join(',') === key) continue;
      if (key) {
        const grades = from === g ? `${from}年级` : `${from}–${g}年级`;
        const dayList = key.split(',').map(Number);
        const days = dayList.map((d) => WEEKDAY_LABELS[d]).join('、');
        const gradesEn = from === g ? `Grade ${from}` : `Grades ${from}–${g}`;
        emit(
          {
            zh: `${grades}${days}没有下午课后服务项目`,
            en: `${gradesEn}: no afternoon offering on ${dayList.map((d) => WEEKDAY_EN[d]).join(', ')}`,
          },
          `offerings.afternoon.grades${from}-${g}`,
        );
      }
      from = g + 1;
    }
  },
);

export const lateExtension = rule(
  {
    id: 'N7',
    source: 'POLICY N7 / 篇五：对有特殊需要的学生可提供延时托管，经家长申请；结束时间原则上不晚于18:00',
    severity: 'warn',
    title: '延时托管晚于最晚结束时间时仅限申请学生',
    titleEn: 'Late extension past the latest end only for pupils who applied',
    sourceEn: 'POLICY N7 / Part 5: late care for pupils with special needs on the guardian’s request; the service ends by 18:00 as a rule',
  },
  (input, emit) => {
    const limit = input.plan.settings.latestEnd;
    for (const s of rowsOf(input, 'late')) {
      if (minutesOf(s.endTime) > minutesOf(limit)) {
        emit(
          {
            zh: `${label(s)}延时托管结束于 ${s.endTime}，晚于 ${limit}：只面向有特殊需要、经家长申请的学生`,
            en: `${labelEn(s)}: the late extension ends at ${s.endTime}, after ${limit}: only for pupils with special needs whose guardians applied`,
          },
          slotPath(s, 'endTime'),
        );
      }
    }
  },
);

export const termHasDays = rule(
  {
    id: 'N8',
    source: 'POLICY N8：课后服务只在上学日开展',
    severity: 'block',
    title: '学期内有上学日',
    titleEn: 'The term has school days',
    sourceEn: 'POLICY N8: the service runs on school days only',
  },
  (input, emit) => {
    if (schoolDays(input.term, input.exceptions).length === 0)
      emit(
        { zh: '学期内没有上学日：请检查学期日期和放假安排', en: 'The term has no school days: check its dates and holidays' },
        'term.startsOn',
      );
  },
);

export const TIME_RULES = [latestEnd, earliestEnd, stagger, fiveDaysSlots, fiveDaysHours, fiveDaysWeek, lateExtension, termHasDays];
