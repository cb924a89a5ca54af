/**
 * Generated roster files for tests and the import benchmark: n pupils spread over grades 1–6 of a
 * campus, two guardians each (some siblings share a parent), in the template's columns.
 */
import { GENDERS, RELATIONS } from '../../../shared/roster';
import { type ColumnKey, ROSTER_COLUMNS } from './columns';
import { newWorkbook } from './xlsx';

export type RosterCells = Partial<Record<ColumnKey, string | number>>;

const GRADE_CN = ['', '一', '二', '三', '四', '五', '六'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '子涵雨轩浩然欣怡梓萱宇航思远诗涵俊杰嘉怡文博佳琪若曦明哲';

/** A workbook with the roster header and these rows, as an .xlsx buffer. */
export async function rosterFile(rows: RosterCells[], header = ROSTER_COLUMNS.map((c) => c.header)): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('学生名册');
  ws.addRow(header);
  for (const r of rows) ws.addRow(ROSTER_COLUMNS.map((c) => r[c.key] ?? ''));
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

export interface GenerateOptions {
  campus: string;
  /** classes per grade, named 一(1)班 … ; those beyond the school's are created by the import */
  classesPerGrade?: number;
  /** a prefix that keeps the generated 学号 apart from the school's */
  noPrefix?: string;
  /** the first guardian phone number; each pupil uses up to two from here */
  phoneBase?: number;
}

export function generateRoster(n: number, o: GenerateOptions): RosterCells[] {
  const perGrade = o.classesPerGrade ?? 3;
  const prefix = o.noPrefix ?? 'G';
  let phone = o.phoneBase ?? 15_700_000_000;
  const pick = (s: string, i: number) => s[i % s.length];
  const rows: RosterCells[] = [];
  for (let i = 0; i < n; i++) {
    const grade = (i % 6) + 1;
    const k = (Math.floor(i / 6) % perGrade) + 1;
    const surname = pick(SURNAMES, i * 7);
    const row: RosterCells = {
      studentNo: `${prefix}${String(i + 1).padStart(5, '0')}`,
      name: surname + pick(GIVEN, i * 3) + pick(GIVEN, i * 5 + 1),
      gender: GENDERS[i % 2],
      campus: o.campus,
      grade,
      className: `${GRADE_CN[grade]}(${k})班`,
      address: `威海市环翠区文化西路${(i % 200) + 1}号${(i % 30) + 1}号楼${(i % 6) + 1}单元`,
      g1Name: `${surname}${pick(GIVEN, i * 11)}${pick(GIVEN, i * 13)}`,
      g1Relation: RELATIONS[0],
      g1Phone: String(phone++),
    };
    // every tenth pupil is the younger sibling of the previous one: same father, same phone
    if (i % 10 === 9) {
      const prev = rows[i - 1];
      row.g1Name = prev.g1Name;
      row.g1Phone = prev.g1Phone;
      phone--;
    }
    if (i % 4 !== 3)
      Object.assign(row, { g2Name: `${pick(SURNAMES, i * 3)}丽${pick(GIVEN, i)}`, g2Relation: RELATIONS[1], g2Phone: String(phone++) });
    rows.push(row);
  }
  return rows;
}
