/** Roster vocabulary and input schemas shared by the server (validation) and the web (forms). */
import { z } from 'zod';

export const GENDERS = ['男', '女'] as const;
export const RELATIONS = ['父亲', '母亲', '祖父', '祖母', '外祖父', '外祖母', '其他亲属', '监护人'] as const;
export const STAFF_KINDS = ['own', 'external', 'volunteer'] as const;
export const STAFF_KIND_LABELS: Record<(typeof STAFF_KINDS)[number], string> = {
  own: '本校教师',
  external: '外聘人员',
  volunteer: '志愿者',
};
/** POLICY N16: only `clear` with a check in the last year may serve. */
export const VETTING = ['clear', 'pending', 'barred'] as const;
export const VETTING_LABELS: Record<(typeof VETTING)[number], string> = {
  clear: '已通过',
  pending: '待审查',
  barred: '禁止从业',
};
export const GRADE_LABELS = ['', '一年级', '二年级', '三年级', '四年级', '五年级', '六年级'] as const;

const trimmed = (max: number) => z.string().trim().min(1).max(max);
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, '手机号应为 11 位数字（或区号-座机号）');
/** A calendar date (2026-02-30 and 2026-13-01 are refused here, not by the database). */
export const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDate, '日期不存在');

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  if (y < 1900 || y > 2199) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
export const uuidSchema = z.uuid();
export const photoSchema = z
  .string()
  .max(300_000, '照片不能超过 200KB')
  .regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/, '照片应为 PNG/JPEG 图片');

export const campusInput = z.object({ name: trimmed(50), address: z.string().trim().max(200).default('') });

export const classInput = z.object({
  campusId: uuidSchema,
  grade: z.number().int().min(1).max(6),
  name: trimmed(30),
  homeroomStaffId: uuidSchema.nullable().default(null),
});

export const studentInput = z.object({
  studentNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,32}$/, '学号只能包含字母、数字和连字符'),
  name: trimmed(40),
  gender: z.enum(GENDERS),
  classId: uuidSchema,
  address: z.string().trim().max(200).default(''),
});

export const guardianInput = z.object({
  name: trimmed(40),
  phone: phoneSchema,
});

export const guardianLinkInput = z.object({
  relation: z.enum(RELATIONS),
  isPrimary: z.boolean().default(false),
});

export const pickupInput = z
  .object({
    name: trimmed(40),
    relation: trimmed(20),
    phone: phoneSchema,
    photo: photoSchema.nullable().default(null),
    validFrom: dateString.nullable().default(null),
    validTo: dateString.nullable().default(null),
  })
  .refine((v) => !v.validFrom || !v.validTo || v.validFrom <= v.validTo, {
    message: '有效期结束日期不能早于开始日期',
    path: ['validTo'],
  });

export const staffInput = z.object({
  name: trimmed(40),
  phone: z.union([phoneSchema, z.literal('')]).default(''),
  kind: z.enum(STAFF_KINDS),
  campusId: uuidSchema.nullable().default(null),
  vettingStatus: z.enum(VETTING),
  vettingCheckedOn: dateString.nullable().default(null),
  active: z.boolean().default(true),
});

export const schoolInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,32}$/),
  name: trimmed(80),
  address: z.string().trim().max(200).default(''),
  phone: z.string().trim().max(30).default(''),
  remote: z.boolean().default(false),
});

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(50).optional(),
});

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The data-protection notice a guardian accepts before any child data is shown (POLICY N22). */
export const PRIVACY_NOTICE_VERSION = '2026-09';

type WithoutDefault<S> = S extends z.ZodDefault<infer I> ? I : S;
type PatchShape<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<WithoutDefault<T[K]>> };

/** A PATCH body: any subset of the fields, but at least one. The create schema's defaults are
 * dropped: `.partial()` keeps them, and zod fills them in for absent keys, so `{ name }` would
 * also reset every defaulted field (address, phone, campus, homeroom teacher…) to its default. */
export const patchOf = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) => {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    shape[key] = ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional();
  }
  return z.object(shape as PatchShape<T>).refine((o) => Object.values(o).some((v) => v !== undefined), { message: '没有要修改的内容' });
};
