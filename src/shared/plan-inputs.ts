/**
 * Inputs of the term, its calendar, venues and the service plan (validated by the server, used by
 * the web's forms), the compliance finding, and the published snapshot contract that enrolment reads.
 */
import { z } from 'zod';
import { dateString } from './roster';
import {
  ALLOCATIONS,
  CATEGORIES,
  FEE_MODES,
  GRADE_BANDS,
  type GradeBand,
  OFFERING_KINDS,
  type PlanSettings,
  SEASONS,
  type Season,
  SLOTS,
  type Slot,
  timeString,
} from './plans';

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const isoInstant = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------- terms and calendar

export const termInput = z.object({
  name: trimmed(60),
  startsOn: dateString,
  endsOn: dateString,
  winterFrom: dateString.nullable().default(null),
  summerFrom: dateString.nullable().default(null),
  applyOpensAt: isoInstant.nullable().default(null),
  applyClosesAt: isoInstant.nullable().default(null),
});
export type TermInput = z.infer<typeof termInput>;

export const TERM_DAY_KINDS = ['holiday', 'makeup'] as const;
export const TERM_DAY_KIND_LABELS = { holiday: '放假', makeup: '调休上课' } as const;

/** One day, or a range of holidays (国庆 10-01 … 10-07). A make-up day names the weekday it follows. */
export const termDayInput = z.object({
  day: dateString,
  to: dateString.optional(),
  kind: z.enum(TERM_DAY_KINDS),
  asWeekday: z.number().int().min(1).max(5).nullable().default(null),
  note: z.string().trim().max(60).default(''),
});

// ---------------------------------------------------------------- venues

export const VENUE_KINDS = ['classroom', 'function', 'library', 'playground', 'multimedia', 'gym', 'other'] as const;
export const VENUE_KIND_LABELS: Record<(typeof VENUE_KINDS)[number], string> = {
  classroom: '教室',
  function: '功能室',
  library: '图书馆',
  playground: '操场',
  multimedia: '多媒体教室',
  gym: '体育馆',
  other: '其他',
};

export const venueInput = z.object({
  campusId: z.uuid(),
  name: trimmed(40),
  kind: z.enum(VENUE_KINDS).default('classroom'),
  capacity: z.number().int().min(1).max(2000),
  active: z.boolean().default(true),
});

// ---------------------------------------------------------------- the plan

export const planCreateInput = z.object({
  termId: z.uuid(),
  /** copy slots, offerings, texts and settings from an earlier plan of the school */
  copyFromPlanId: z.uuid().nullable().default(null),
});

/** A partial settings object (absent keys keep their values: the defaults are not filled in). */
const settingsPatch = z
  .object({
    latestEnd: timeString.optional(),
    earliestEnd: timeString.optional(),
    minDailyMinutes: z.number().int().min(0).max(600).optional(),
    maxGroupSize: z.number().int().min(5).max(60).optional(),
    lowerGradeStaggerMinutes: z.number().int().min(0).max(60).optional(),
    maxFeePerSessionFen: z.number().int().min(0).max(10_000_000).optional(),
    maxFeePerMonthFen: z.number().int().min(0).max(10_000_000).optional(),
    maxFeePerTermFen: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict() satisfies z.ZodType<Partial<PlanSettings>>;

export const planPatchInput = z
  .object({
    safetyMeasures: z.string().trim().max(4000).optional(),
    complaintPhone: z.string().trim().max(40).optional(),
    complaintChannel: z.string().trim().max(200).optional(),
    feeBasis: z.string().trim().max(400).optional(),
    settings: settingsPatch.optional(),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), { message: '没有要修改的内容' });

export const slotInput = z
  .object({
    slot: z.enum(SLOTS),
    season: z.enum(SEASONS),
    gradeBand: z.enum(GRADE_BANDS).default('all'),
    startTime: timeString,
    endTime: timeString,
  })
  .refine((s) => s.startTime < s.endTime, { message: '结束时间应晚于开始时间', path: ['endTime'] });
export type SlotInput = z.infer<typeof slotInput>;

export const slotsInput = z.object({
  slots: z
    .array(slotInput)
    .max(24)
    .refine((xs) => new Set(xs.map((s) => `${s.slot}/${s.season}/${s.gradeBand}`)).size === xs.length, {
      message: '同一时段、季节和年级段只能设置一次',
    }),
});

export const offeringInput = z.object({
  kind: z.enum(OFFERING_KINDS),
  category: z.enum(CATEGORIES),
  name: trimmed(40),
  description: z.string().trim().max(500).default(''),
  slot: z.enum(SLOTS),
  gradeMin: z.number().int().min(1).max(6),
  gradeMax: z.number().int().min(1).max(6),
  weekdays: z
    .array(z.number().int().min(1).max(5))
    .min(1, '至少选择一天')
    .max(5)
    .refine((xs) => new Set(xs).size === xs.length, '星期不能重复'),
  capacity: z.number().int().min(1).max(2000),
  venueId: z.uuid().nullable().default(null),
  teacherStaffId: z.uuid().nullable().default(null),
  providerName: z.string().trim().max(80).default(''),
  feeMode: z.enum(FEE_MODES).default('free'),
  feeFen: z.number().int().min(0).max(10_000_000).default(0),
  allocation: z.enum(ALLOCATIONS).default('approval'),
  opensAt: isoInstant.nullable().default(null),
});
export type OfferingInput = z.infer<typeof offeringInput>;

/** Checks across fields of a whole offering (after a PATCH is merged): null when consistent. */
export function offeringProblem(
  o: Pick<OfferingInput, 'gradeMin' | 'gradeMax' | 'feeMode' | 'feeFen' | 'allocation' | 'opensAt'>,
): { path: string; message: string } | null {
  if (o.gradeMin > o.gradeMax) return { path: 'gradeMax', message: '最高年级不能低于最低年级' };
  if (o.feeMode === 'free' && o.feeFen !== 0) return { path: 'feeFen', message: '免费项目的收费金额应为 0' };
  if (o.feeMode !== 'free' && o.feeFen <= 0) return { path: 'feeFen', message: '收费项目应填写收费标准（金额大于 0）' };
  if (o.allocation === 'fcfs' && !o.opensAt) return { path: 'opensAt', message: '先到先得的项目应设置开放报名时间' };
  return null;
}

export const reviewInput = z.object({ comment: z.string().trim().max(2000).default('') });
export const returnInput = z.object({ comment: z.string().trim().min(1, '请写明退回修改的意见').max(2000) });

// ---------------------------------------------------------------- findings

export type Severity = 'block' | 'warn';
/** One result of a compliance rule: the rule's id and source, what is wrong, and where. */
export interface Finding {
  id: string;
  source: string;
  severity: Severity;
  message: string;
  /** the source and the message in English (findings stored before they were added have none) */
  sourceEn?: string;
  messageEn?: string;
  /** where in the plan: plan.feeBasis · slots.afternoon.summer.low · offerings.<id>.name · term.applyOpensAt */
  path: string;
}

// ---------------------------------------------------------------- the snapshot contract

/**
 * plan_versions.snapshot: what was submitted, filed and published. Enrolment reads offerings from
 * the latest row with status 'published'. Times are HH:MM, dates YYYY-MM-DD, instants ISO 8601.
 */
export interface PlanSnapshot {
  term: {
    id: string;
    name: string;
    startsOn: string;
    endsOn: string;
    winterFrom: string | null;
    summerFrom: string | null;
    applyOpensAt: string | null;
    applyClosesAt: string | null;
  };
  plan: {
    id: string;
    version: number;
    safetyMeasures: string;
    complaintPhone: string;
    complaintChannel: string;
    feeBasis: string;
    settings: PlanSettings;
  };
  slots: { slot: Slot; season: Season; gradeBand: GradeBand; startTime: string; endTime: string }[];
  offerings: SnapshotOffering[];
  school: { id: string; name: string; code: string; phone: string; address: string };
}

export interface SnapshotOffering {
  id: string;
  kind: (typeof OFFERING_KINDS)[number];
  category: (typeof CATEGORIES)[number];
  name: string;
  description: string;
  slot: Slot;
  gradeMin: number;
  gradeMax: number;
  weekdays: number[];
  capacity: number;
  venueId: string | null;
  venueName: string | null;
  teacherStaffId: string | null;
  teacherName: string | null;
  providerName: string;
  feeMode: (typeof FEE_MODES)[number];
  feeFen: number;
  allocation: (typeof ALLOCATIONS)[number];
  opensAt: string | null;
}

// ---------------------------------------------------------------- time helpers

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const hhmmOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The times of a slot for a pupil of a grade in a season: the band's own row, else the 'all' row. */
export function slotTimeFor<T extends { slot: Slot; season: Season; gradeBand: GradeBand }>(
  slots: readonly T[],
  slot: Slot,
  season: Season,
  grade: number,
): T | undefined {
  const band = grade <= 2 ? 'low' : 'high';
  return (
    slots.find((s) => s.slot === slot && s.season === season && s.gradeBand === band) ??
    slots.find((s) => s.slot === slot && s.season === season && s.gradeBand === 'all')
  );
}

/** The season a date follows: the latest switch on or before it, else the opposite of the first switch. */
export function seasonOn(term: { winterFrom: string | null; summerFrom: string | null }, day: string): Season {
  const switches = (
    [
      [term.winterFrom, 'winter'],
      [term.summerFrom, 'summer'],
    ] as [string | null, Season][]
  )
    .filter((s): s is [string, Season] => !!s[0])
    .sort((a, b) => a[0].localeCompare(b[0]));
  if (switches.length === 0) return 'summer';
  let season: Season = switches[0][1] === 'winter' ? 'summer' : 'winter';
  for (const [from, s] of switches) if (from <= day) season = s;
  return season;
}
