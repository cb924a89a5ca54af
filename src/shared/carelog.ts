/** The care log's inputs and vocabularies, shared by the server's routes and the web forms. */
import { z } from 'zod';
import { photoSchema } from './roster';

export const INCIDENT_KINDS = ['injury', 'illness', 'conflict', 'other'] as const;
export const SEVERITIES = ['minor', 'serious', 'critical'] as const;
export const ACTIVITY_CATEGORIES = ['homework', 'reading', 'sports', 'art', 'science', 'club', 'other'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An unacknowledged serious or critical incident escalates after this many minutes (KEHOU_INCIDENT_ESCALATE_MINUTES). */
export const ESCALATE_AFTER_MINUTES = 10;

/**
 * Who is told of an incident, by severity: a minor one reaches the guardians, the homeroom teacher
 * and the day's duty leaders; a serious or critical one also the grade head and the school leaders.
 */
export const RECIPIENT_ROLES = ['guardian', 'homeroom', 'grade_head', 'manager', 'leader', 'escalation'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];
export function rolesToTell(severity: Severity): RecipientRole[] {
  const base: RecipientRole[] = ['guardian', 'homeroom', 'manager'];
  return severity === 'minor' ? base : ['guardian', 'homeroom', 'grade_head', 'manager', 'leader'];
}

const text = (max: number) => z.string().trim().max(max);

export const patrolInput = z
  .object({
    groupId: z.uuid().nullable().default(null),
    venueId: z.uuid().nullable().default(null),
    rating: z.number().int().min(1).max(5),
    note: text(500).default(''),
    photo: photoSchema.nullable().default(null),
  })
  .strict()
  .refine((p) => p.groupId || p.venueId, { message: '请选择巡视的托管组或场地', path: ['groupId'] });

export const activityInput = z
  .object({
    category: z.enum(ACTIVITY_CATEGORIES),
    content: text(1000).min(1, '请填写活动内容'),
    photos: z.array(photoSchema).max(3, '最多 3 张照片').default([]),
  })
  .strict();

export const incidentInput = z
  .object({
    groupId: z.uuid(),
    kind: z.enum(INCIDENT_KINDS),
    severity: z.enum(SEVERITIES),
    studentIds: z.array(z.uuid()).min(1, '请选择涉及的学生').max(10),
    description: text(1000).min(1, '请描述发生了什么'),
    actionTaken: text(1000).default(''),
    photo: photoSchema.nullable().default(null),
  })
  .strict();

export const incidentClose = z.object({ outcome: text(1000).min(1, '请填写处理结果') }).strict();

export const gradeHeadsInput = z
  .object({ heads: z.array(z.object({ grade: z.number().int().min(1).max(6), staffId: z.uuid().nullable() }).strict()).max(6) })
  .strict();
