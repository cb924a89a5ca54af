/**
 * The family side of the afternoon: leave (请假) with its cut-off, the substitute adult for a day,
 * hand-over notes and headcounts. Inputs and the pure cut-off rule, shared by server and web.
 * Times are Asia/Shanghai (UTC+8 all year, no daylight saving).
 */
import { z } from 'zod';
import { SLOTS, type Slot } from './plans';
import { dateString, phoneSchema, photoSchema } from './roster';

export const LEAVE_STATUSES = ['pending', 'approved', 'refused', 'cancelled'] as const;
export type LeaveStatus = (typeof LEAVE_STATUSES)[number];
export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
  pending: '待审批',
  approved: '已批准',
  refused: '未批准',
  cancelled: '已撤销',
};
export const LEAVE_APPROVERS = ['auto', 'homeroom', 'office'] as const;
export type LeaveApprover = (typeof LEAVE_APPROVERS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');

/** School settings of leave; defaults: ask by 12:00 on the day itself, the homeroom teacher approves. */
export const afternoonSettingsSchema = z.object({
  /** `time`: by a time of day on the leave's first day; `hours`: N hours before the slot starts */
  leaveCutoffMode: z.enum(['time', 'hours']).default('time'),
  leaveCutoffTime: hhmm.default('12:00'),
  leaveCutoffHours: z.number().int().min(0).max(72).default(2),
  leaveApprover: z.enum(LEAVE_APPROVERS).default('homeroom'),
  /** when each slot starts, for the `hours` mode (the plan's times may differ by season and band; the earliest counts) */
  slotStarts: z
    .object({ morning: hhmm, noon: hhmm, afternoon: hhmm, late: hhmm })
    .default({ morning: '11:00', noon: '11:50', afternoon: '15:40', late: '17:40' }),
});
export type AfternoonSettings = z.infer<typeof afternoonSettingsSchema>;
export const DEFAULT_AFTERNOON_SETTINGS: AfternoonSettings = afternoonSettingsSchema.parse({});

/** The instant (UTC ms) of `day` at `time` in Asia/Shanghai. */
export function chinaInstant(day: string, time: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh - 8, mm);
}

/** The last moment a guardian may ask in the app for leave of `slot` on `day` (UTC ms). */
export function leaveDeadline(day: string, slot: Slot, s: AfternoonSettings): number {
  if (s.leaveCutoffMode === 'time') return chinaInstant(day, s.leaveCutoffTime);
  return chinaInstant(day, s.slotStarts[slot]) - s.leaveCutoffHours * 3_600_000;
}

/**
 * Whether a leave request from the app comes too late: the earliest deadline among the slots of its
 * first day has passed. Later days of a range are always later than the first day's deadline.
 */
export function afterCutoff(now: number, fromDay: string, slots: readonly Slot[], s: AfternoonSettings): boolean {
  return Math.min(...slots.map((slot) => leaveDeadline(fromDay, slot, s))) <= now;
}

/** Whether an approved leave covers a pupil's day and slot. */
export const leaveCovers = (l: { fromDay: string; toDay: string; slots: readonly string[] }, day: string, slot: string) =>
  l.fromDay <= day && day <= l.toDay && l.slots.includes(slot);

const slotsInput = z
  .array(z.enum(SLOTS))
  .min(1)
  .max(4)
  .transform((a) => [...new Set(a)]);

const rangeFields = {
  fromDay: dateString,
  toDay: dateString,
  slots: slotsInput,
  reason: z.string().trim().min(1, '请填写请假原因').max(200),
};
const inOrder = (v: { fromDay: string; toDay: string }) => v.fromDay <= v.toDay;
const RANGE_MSG = { message: '结束日期不能早于开始日期', path: ['toDay'] };
/** at most a month of leave in one request: longer absences are a matter for the office */
const notTooLong = (v: { fromDay: string; toDay: string }) =>
  Date.parse(`${v.toDay}T00:00:00Z`) - Date.parse(`${v.fromDay}T00:00:00Z`) <= 31 * 86_400_000;
const LONG_MSG = { message: '一次请假最多 31 天', path: ['toDay'] };

/** A guardian asks in the app. */
export const leaveInput = z.object(rangeFields).strict().refine(inOrder, RANGE_MSG).refine(notTooLong, LONG_MSG);
export type LeaveInput = z.infer<typeof leaveInput>;
/** Staff record a guardian's phone call (after the cut-off, or any time). */
export const leaveCallInput = z
  .object({ studentId: z.uuid(), ...rangeFields })
  .strict()
  .refine(inOrder, RANGE_MSG)
  .refine(notTooLong, LONG_MSG);
export const leaveDecisionInput = z.object({ approve: z.boolean(), note: z.string().trim().max(200).default('') }).strict();

/** 临时接送人 for one day. */
export const substituteInput = z
  .object({
    day: dateString,
    name: z.string().trim().min(1).max(40),
    phone: phoneSchema,
    relation: z.string().trim().min(1).max(20),
    photo: photoSchema.nullable().default(null),
    idLast4: z
      .string()
      .trim()
      .regex(/^\d{3}[\dXx]$/, '身份证号后四位：4 位数字（最后一位可为 X）')
      .nullable()
      .default(null),
  })
  .strict();
export type SubstituteInput = z.infer<typeof substituteInput>;

export const HANDOVER_KINDS = ['medicine', 'early_pickup', 'substitute', 'other'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];
export const HANDOVER_KIND_LABELS: Record<HandoverKind, { zh: string; en: string }> = {
  medicine: { zh: '用药', en: 'Medicine' },
  early_pickup: { zh: '提前接走', en: 'Early pick-up' },
  substitute: { zh: '今日他人代接', en: 'Substitute today' },
  other: { zh: '其他', en: 'Other' },
};
export const handoverNoteInput = z
  .object({ studentId: z.uuid(), kind: z.enum(HANDOVER_KINDS), text: z.string().trim().min(1).max(300) })
  .strict();

export const headcountInput = z
  .object({
    groupId: z.uuid().optional(),
    campusId: z.uuid().optional(),
    counted: z.number().int().min(0).max(5000),
    note: z.string().trim().max(200).default(''),
  })
  .strict()
  .refine((v) => !!v.groupId !== !!v.campusId, { message: '请选择一个托管组或一个校区' });

/** What the guardian's card says about today, in one line (the web words it). */
export type TodayState =
  | { kind: 'none' }
  | { kind: 'leave' }
  | { kind: 'expected' | 'present' | 'late' | 'absent'; offeringName: string; venueName: string | null; slot: string }
  | { kind: 'released'; at: string; to: string; confirmedAt: string | null }
  | { kind: 'relay' };
