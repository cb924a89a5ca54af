/**
 * The roster spreadsheet's columns, shared by the template, the student export and the import, so
 * that an export can be re-imported unchanged. Each cell is checked with the same zod schemas as
 * the JSON API (src/shared/roster.ts).
 */
import { z } from 'zod';
import { campusInput, classInput, GENDERS, guardianInput, guardianLinkInput, RELATIONS, studentInput } from '../../../shared/roster';

export type ColumnKey =
  | 'studentNo'
  | 'name'
  | 'gender'
  | 'campus'
  | 'grade'
  | 'className'
  | 'address'
  | 'g1Name'
  | 'g1Relation'
  | 'g1Phone'
  | 'g2Name'
  | 'g2Relation'
  | 'g2Phone';

export interface RosterColumn {
  key: ColumnKey;
  /** the header cell, exactly as the template writes it */
  header: string;
  /** required in every row; guardian 2's columns are required together or not at all */
  required: boolean;
  /** stored as text in Excel so that 学号 and phone numbers keep their leading zeros and digits */
  text: boolean;
  width: number;
  /** shown in the 说明 sheet and as the header cell's note */
  help: string;
  schema: z.ZodType;
}

const CN_GRADES: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

/** "3", "三", "三年级" → 3; anything else → NaN (and the schema says why). */
export function parseGrade(text: string): number {
  const t = text.replace(/\s+/g, '').replace(/年级$/, '');
  if (/^[1-6]$/.test(t)) return Number(t);
  return CN_GRADES[t] ?? Number.NaN;
}

/** The grade a class name starts with ("三(2)班" → 3), or undefined. */
export function gradeOfClassName(name: string): number | undefined {
  const m = /^([1-6一二三四五六])/.exec(name);
  if (!m) return undefined;
  return CN_GRADES[m[1]] ?? Number(m[1]);
}

/** Full-width brackets and stray spaces are common when class names are typed by hand. */
export const normalizeClassName = (s: string) => s.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');

const gradeCell = z
  .string()
  .transform(parseGrade)
  .pipe(z.number({ error: '年级应为 1-6 的数字（或 一~六）' }).int().min(1, '年级应为 1-6').max(6, '年级应为 1-6'));

const phoneCell = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(guardianInput.shape.phone);

const relationHelp = `可选：${RELATIONS.join('、')}`;

export const ROSTER_COLUMNS: RosterColumn[] = [
  {
    key: 'studentNo',
    header: '学号',
    required: true,
    text: true,
    width: 16,
    help: '本校唯一；字母、数字或连字符。学号已存在的学生会被更新，不会重复创建',
    schema: studentInput.shape.studentNo,
  },
  { key: 'name', header: '姓名', required: true, text: false, width: 10, help: '学生姓名', schema: studentInput.shape.name },
  {
    key: 'gender',
    header: '性别',
    required: true,
    text: false,
    width: 8,
    help: `${GENDERS.join(' 或 ')}`,
    schema: studentInput.shape.gender,
  },
  {
    key: 'campus',
    header: '校区',
    required: true,
    text: false,
    width: 12,
    help: '须是本校已有的校区名称，如“本部”；只有一个校区的学校可留空',
    schema: campusInput.shape.name,
  },
  { key: 'grade', header: '年级', required: true, text: false, width: 8, help: '1-6 的数字', schema: gradeCell },
  {
    key: 'className',
    header: '班级',
    required: true,
    text: false,
    width: 12,
    help: '行政班名称，如 一(1)班。该校区还没有这个班时会自动新建（班级名须以年级开头，且与“年级”列一致）',
    schema: classInput.shape.name.transform(normalizeClassName),
  },
  {
    key: 'address',
    header: '家庭住址',
    required: false,
    text: false,
    width: 36,
    help: '学生档案中的家庭住址；更新已有学生时留空则保留原住址',
    schema: studentInput.shape.address,
  },
  { key: 'g1Name', header: '监护人1姓名', required: true, text: false, width: 12, help: '主要监护人', schema: guardianInput.shape.name },
  {
    key: 'g1Relation',
    header: '监护人1关系',
    required: true,
    text: false,
    width: 12,
    help: relationHelp,
    schema: guardianLinkInput.shape.relation,
  },
  {
    key: 'g1Phone',
    header: '监护人1手机',
    required: true,
    text: true,
    width: 14,
    help: '11 位手机号；同一手机号视为同一位监护人（兄弟姐妹共用）',
    schema: phoneCell,
  },
  { key: 'g2Name', header: '监护人2姓名', required: false, text: false, width: 12, help: '可选', schema: guardianInput.shape.name },
  {
    key: 'g2Relation',
    header: '监护人2关系',
    required: false,
    text: false,
    width: 12,
    help: `可选；${relationHelp}`,
    schema: guardianLinkInput.shape.relation,
  },
  {
    key: 'g2Phone',
    header: '监护人2手机',
    required: false,
    text: true,
    width: 14,
    help: '可选；填写监护人2时姓名、关系、手机须同时填写',
    schema: phoneCell,
  },
];

export const COLUMN_BY_KEY = Object.fromEntries(ROSTER_COLUMNS.map((c) => [c.key, c])) as Record<ColumnKey, RosterColumn>;

/** Header text as people type it: "性别(男/女)", "年级（1-6）", "*学号" all name the same column. */
export const normalizeHeader = (s: string) =>
  s
    .replace(/\s+/g, '')
    .replace(/^[*＊]+|[*＊]+$/g, '')
    .replace(/[(（][^)）]*[)）]$/, '');

/** Rows whose 学号 starts with this are the template's example and are never imported. */
export const EXAMPLE_PREFIX = '示例';

export const MAX_IMPORT_ROWS = 5000;
