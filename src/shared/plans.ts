/** Vocabulary of a term's plan and enrolment, shared by the server and the web. */
import { z } from 'zod';

export const SLOTS = ['morning', 'noon', 'afternoon', 'late'] as const;
export type Slot = (typeof SLOTS)[number];
export const SLOT_LABELS: Record<Slot, string> = {
  morning: '上午课后延时',
  noon: '午餐午托',
  afternoon: '下午课后服务',
  late: '延时托管',
};

export const SEASONS = ['summer', 'winter'] as const;
export type Season = (typeof SEASONS)[number];
export const SEASON_LABELS: Record<Season, string> = { summer: '夏令时', winter: '冬令时' };

/** low = grades 1–2 (they leave earlier: 错峰), high = grades 3–6 */
export const GRADE_BANDS = ['all', 'low', 'high'] as const;
export type GradeBand = (typeof GRADE_BANDS)[number];
export const GRADE_BAND_LABELS: Record<GradeBand, string> = { all: '全部年级', low: '一、二年级', high: '三至六年级' };
export const gradeBandOf = (grade: number): Exclude<GradeBand, 'all'> => (grade <= 2 ? 'low' : 'high');

export const WEEKDAYS = [1, 2, 3, 4, 5] as const;
export const WEEKDAY_LABELS: Record<number, string> = { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五' };

export const OFFERING_KINDS = ['care', 'club'] as const;
export const OFFERING_KIND_LABELS = { care: '普通托管', club: '特长社团' } as const;

export const CATEGORIES = ['homework', 'reading', 'sport', 'arts', 'science', 'labour', 'heritage', 'programming', 'other'] as const;
export const CATEGORY_LABELS: Record<(typeof CATEGORIES)[number], string> = {
  homework: '作业辅导',
  reading: '阅读诵读',
  sport: '体育',
  arts: '艺术',
  science: '科技',
  labour: '劳动',
  heritage: '非遗传承',
  programming: '编程',
  other: '其他',
};

export const FEE_MODES = ['free', 'per_session', 'per_month', 'per_term'] as const;
export const FEE_MODE_LABELS: Record<(typeof FEE_MODES)[number], string> = {
  free: '免费',
  per_session: '按次',
  per_month: '按月',
  per_term: '按学期',
};

export const ALLOCATIONS = ['fcfs', 'ranked', 'lottery', 'approval'] as const;
export const ALLOCATION_LABELS: Record<(typeof ALLOCATIONS)[number], string> = {
  fcfs: '先到先得',
  ranked: '志愿排序',
  lottery: '摇号',
  approval: '审核录取',
};

export const PLAN_STATUSES = ['draft', 'submitted', 'returned', 'filed', 'published'] as const;
export const PLAN_STATUS_LABELS: Record<(typeof PLAN_STATUSES)[number], string> = {
  draft: '草稿',
  submitted: '已提交区教育局',
  returned: '已退回修改',
  filed: '已备案',
  published: '已公示',
};

/** R14 / POLICY N3: categories with priority in admission, and their lottery weights (a setting). */
export const PRIORITY_CATEGORIES = ['pickup_hardship', 'single_parent', 'migrant', 'left_behind', 'hardship'] as const;
export type PriorityCategory = (typeof PRIORITY_CATEGORIES)[number];
export const PRIORITY_LABELS: Record<PriorityCategory, string> = {
  pickup_hardship: '家长无法按时接送',
  single_parent: '单亲家庭',
  migrant: '进城务工人员随迁子女',
  left_behind: '留守儿童',
  hardship: '家庭经济困难',
};
export const DEFAULT_PRIORITY_WEIGHTS: Record<PriorityCategory | 'none', number> = {
  pickup_hardship: 3,
  single_parent: 3,
  migrant: 3,
  left_behind: 3,
  hardship: 2,
  none: 1,
};

export const ENROLLMENT_STATUSES = ['enrolled', 'waitlisted', 'offered', 'withdrawn', 'rejected'] as const;
export const ENROLLMENT_STATUS_LABELS: Record<(typeof ENROLLMENT_STATUSES)[number], string> = {
  enrolled: '已录取',
  waitlisted: '候补中',
  offered: '候补递补，待确认',
  withdrawn: '已退出',
  rejected: '未录取',
};

/** Plan-level limits; the seed's and POLICY's values are the defaults (school or district settings). */
export const planSettingsSchema = z.object({
  /** R4 / N6: service ends no later than this (seed 五: 18:00) */
  latestEnd: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('18:00'),
  /** N6: not earlier than the local work-off time */
  earliestEnd: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('17:00'),
  /** N5: at least this many minutes of afternoon service per school day */
  minDailyMinutes: z.number().int().min(0).max(600).default(120),
  /** R5: pupils per group */
  maxGroupSize: z.number().int().min(5).max(60).default(35),
  /** 二: grades 1–2 leave this many minutes earlier */
  lowerGradeStaggerMinutes: z.number().int().min(0).max(60).default(20),
  /** L2: fee caps in fen (0 = no cap) */
  maxFeePerSessionFen: z.number().int().min(0).default(350),
  maxFeePerMonthFen: z.number().int().min(0).default(14_000),
  maxFeePerTermFen: z.number().int().min(0).default(36_000),
});
export type PlanSettings = z.infer<typeof planSettingsSchema>;

export const timeString = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
