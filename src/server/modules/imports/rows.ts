/**
 * Reading a roster workbook: the sheet and header row, each data row as text, and each cell checked
 * on its own with the shared zod schemas (Chinese messages, Excel row and column for every error).
 * What the school already holds is checked afterwards, in roster-import.ts.
 */
import type ExcelJS from 'exceljs';
import type { z } from 'zod';
import { GRADE_LABELS } from '../../../shared/roster';
import {
  type ColumnKey,
  COLUMN_BY_KEY,
  EXAMPLE_PREFIX,
  gradeOfClassName,
  MAX_IMPORT_ROWS,
  normalizeClassName,
  normalizeHeader,
  ROSTER_COLUMNS,
} from './columns';
import { cellText } from './xlsx';
import { badRequest } from '../../lib/errors';
export interface ImportError {
  /** the Excel row number (1 = the header) */
  row: number;
  /** the Chinese column header, or '' for a whole-row problem */
  column: string;
  message: string;
}

export interface ImportResult {
  dryRun: boolean;
  /** data rows read (the template's example row excluded) */
  rows: number;
  created: number;
  updated: number;
  /** guardians new to the school */
  guardians: number;
  /** guardians already in the school, linked by phone */
  guardiansReused: number;
  pickupsAdded: number;
  createdClasses: { campus: string; grade: number; name: string }[];
}

/** Errors returned in the response; the message counts them all. */
export const MAX_REPORTED_ERRORS = 500;

interface SheetRow {
  row: number;
  cells: Record<ColumnKey, string>;
}

const REQUIRED_HEADERS: ColumnKey[] = ['studentNo', 'name', 'gender', 'grade', 'className', 'g1Name', 'g1Relation', 'g1Phone'];

/** Finds the roster sheet and its header row, and reads the non-empty data rows as text. */
export function readRosterRows(wb: ExcelJS.Workbook): SheetRow[] {
  const wanted = new Map(ROSTER_COLUMNS.map((c) => [normalizeHeader(c.header), c.key]));
  for (const ws of wb.worksheets) {
    for (let h = 1; h <= Math.min(10, ws.rowCount); h++) {
      const positions = new Map<ColumnKey, number>();
      ws.getRow(h).eachCell((cell, col) => {
        const key = wanted.get(normalizeHeader(cellText(cell.value)));
        if (key && !positions.has(key)) positions.set(key, col);
      });
      if (!positions.has('studentNo')) continue;
      const missing = REQUIRED_HEADERS.filter((k) => !positions.has(k));
      if (missing.length > 0) {
        throw badRequest('IMPORT_BAD_HEADER', `表头缺少以下列：${missing.map((k) => COLUMN_BY_KEY[k].header).join('、')}。请使用导入模板`, {
          sheet: ws.name,
          missing: missing.map((k) => COLUMN_BY_KEY[k].header),
        });
      }
      const rows: SheetRow[] = [];
      ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
        if (rowNumber <= h) return;
        const cells = {} as Record<ColumnKey, string>;
        let any = false;
        for (const c of ROSTER_COLUMNS) {
          const col = positions.get(c.key);
          const text = col ? cellText(r.getCell(col).value) : '';
          cells[c.key] = text;
          if (text) any = true;
        }
        if (!any || cells.studentNo.startsWith(EXAMPLE_PREFIX)) return;
        rows.push({ row: rowNumber, cells });
      });
      return rows;
    }
  }
  throw badRequest(
    'IMPORT_BAD_HEADER',
    `找不到表头：第一行应包含 ${REQUIRED_HEADERS.map((k) => COLUMN_BY_KEY[k].header).join('、')} 等列。请使用导入模板`,
  );
}

/** zod's messages for the import, in Chinese; messages written into the shared schemas win. */
function zhMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'too_small':
      return '不能为空';
    case 'too_big':
      return `不能超过 ${String(iss.maximum)} 个字`;
    case 'invalid_value':
      return `应为 ${iss.values.map(String).join('、')} 之一`;
    case 'invalid_format':
      return '格式不正确';
    case 'invalid_type':
      return '格式不正确';
    default:
      return '内容不正确';
  }
}

export interface ValidRow {
  row: number;
  studentNo: string;
  name: string;
  gender: string;
  campus: string;
  grade: number;
  className: string;
  address: string;
  guardians: { slot: 1 | 2; name: string; relation: string; phone: string }[];
}

/** Checks each cell on its own; returns the rows whose cells are all valid. */
export function validateCells(rows: SheetRow[], errors: ImportError[], singleCampus: string | undefined): ValidRow[] {
  const valid: ValidRow[] = [];
  for (const r of rows) {
    const out: Partial<Record<ColumnKey, unknown>> = {};
    let ok = true;
    const g2Given = r.cells.g2Name !== '' || r.cells.g2Relation !== '' || r.cells.g2Phone !== '';
    for (const c of ROSTER_COLUMNS) {
      let text = r.cells[c.key];
      if (c.key === 'campus' && text === '' && singleCampus) text = singleCampus;
      const required = c.required || (g2Given && c.key.startsWith('g2'));
      if (text === '') {
        if (required) {
          errors.push({ row: r.row, column: c.header, message: c.key.startsWith('g2') ? '填写监护人2时此项必填' : '必填' });
          ok = false;
        }
        out[c.key] = c.key === 'address' ? '' : undefined;
        continue;
      }
      const parsed = c.schema.safeParse(text, { error: zhMessage });
      if (parsed.success) out[c.key] = parsed.data;
      else {
        errors.push({ row: r.row, column: c.header, message: parsed.error.issues[0]?.message ?? '内容不正确' });
        ok = false;
      }
    }
    if (!ok) continue;
    const gs: ValidRow['guardians'] = [
      { slot: 1, name: out.g1Name as string, relation: out.g1Relation as string, phone: out.g1Phone as string },
    ];
    if (g2Given) gs.push({ slot: 2, name: out.g2Name as string, relation: out.g2Relation as string, phone: out.g2Phone as string });
    if (gs[1] && gs[1].phone === gs[0].phone) {
      errors.push({ row: r.row, column: COLUMN_BY_KEY.g2Phone.header, message: '监护人2的手机号与监护人1相同' });
      continue;
    }
    valid.push({
      row: r.row,
      studentNo: out.studentNo as string,
      name: out.name as string,
      gender: out.gender as string,
      campus: out.campus as string,
      grade: out.grade as number,
      className: out.className as string,
      address: out.address as string,
      guardians: gs,
    });
  }
  return valid;
}
