/** Applications, agreements, seats and waitlists: input schemas and settings shared by server and web. */
import { z } from 'zod';
import { DEFAULT_PRIORITY_WEIGHTS, PRIORITY_CATEGORIES } from './plans';

export const AGREEMENT_KINDS = ['service', 'safety'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];
export const AGREEMENT_KIND_LABELS: Record<AgreementKind, string> = { service: '课后服务协议', safety: '安全责任协议' };

export const APPLICATION_STATUSES = ['submitted', 'approved', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  submitted: '待审核',
  approved: '已通过',
  rejected: '未通过',
  withdrawn: '已撤回',
};

/** Enrolment statuses that hold a place or a place in the queue (the others are history). */
export const ACTIVE_ENROLLMENT = ['enrolled', 'offered', 'waitlisted'] as const;

const weightsSchema = z.object({
  pickup_hardship: z.number().min(0).max(100),
  single_parent: z.number().min(0).max(100),
  migrant: z.number().min(0).max(100),
  left_behind: z.number().min(0).max(100),
  hardship: z.number().min(0).max(100),
  none: z.number().min(0).max(100),
});
export type PriorityWeights = z.infer<typeof weightsSchema>;

/** School settings of the enrolment (the seed's and POLICY's values are the defaults). */
export const enrollmentSettingsSchema = z.object({
  /** hours a guardian has to confirm a seat freed for their child (waitlist promotion) */
  offerHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(48),
  /** R14 / N3: lottery weights by priority category */
  priorityWeights: weightsSchema.default({ ...DEFAULT_PRIORITY_WEIGHTS }),
  /** P2: the lowest grade that may go home alone with the guardian's written permission */
  goHomeAloneMinGrade: z.number().int().min(1).max(7).default(3),
});
export type EnrollmentSettings = z.infer<typeof enrollmentSettingsSchema>;
export const DEFAULT_ENROLLMENT_SETTINGS: EnrollmentSettings = enrollmentSettingsSchema.parse({});

const choice = z.object({
  offeringId: z.uuid(),
  weekday: z.number().int().min(1).max(5),
  /** the guardian's order of preference where the offering allocates by ranked choice (1 = first) */
  rank: z.number().int().min(1).max(20).default(1),
});
export type ChoiceInput = z.infer<typeof choice>;

const applicationFields = {
  choices: z.array(choice).max(60),
  lunch: z.boolean().default(false),
  goHomeAlone: z.boolean().default(false),
  priorityCategory: z.enum(PRIORITY_CATEGORIES).nullable().default(null),
  priorityNote: z.string().trim().max(500).default(''),
};

export const applicationInput = z.object({ termId: z.uuid(), studentId: z.uuid(), ...applicationFields });
export type ApplicationInput = z.infer<typeof applicationInput>;
export const applicationPatch = z.object(applicationFields);
export type ApplicationPatch = z.infer<typeof applicationPatch>;

export const signInput = z.object({ termId: z.uuid(), studentId: z.uuid(), textIds: z.array(z.uuid()).min(1).max(4) });

export const seatRequestInput = z.object({
  studentId: z.uuid(),
  offeringId: z.uuid(),
  weekdays: z.array(z.number().int().min(1).max(5)).min(1).max(5),
});

export const reviewInput = z.object({ decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(500).default('') });
export const bulkReviewInput = reviewInput.extend({ ids: z.array(z.uuid()).min(1).max(500) });

/** "候补第 N 位" */
export const waitlistLabel = (position: number) => `候补第 ${position} 位`;
