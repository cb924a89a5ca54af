/**
 * Reading and writing .xlsx with exceljs, with the checks an upload endpoint needs: the bytes must
 * be a zip (not .xls, CSV or an encrypted workbook), and must not inflate beyond a sane size
 * before exceljs holds them in memory (a zip bomb). Every failure is a 400 with its own code.
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { inflateRawSync } from 'node:zlib';
import { badRequest } from '../../lib/errors';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** upload limit for the request body */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** the workbook's parts together, once inflated; a 5,000-row roster is a few MB */
export const MAX_INFLATED_BYTES = 100 * 1024 * 1024;
/** rows in a sheet's XML, empty formatted rows included: a memory guard well above the import limit */
const MAX_SHEET_ROWS = 50_000;

const notXlsx = () =>
  badRequest(
    'IMPORT_NOT_XLSX',
    '文件不是有效的 Excel (.xlsx) 文件。旧版 .xls、CSV 或设置了密码的文件请在 Excel/WPS 中另存为 .xlsx 后再导入',
  );
const tooLarge = () => badRequest('IMPORT_TOO_LARGE', '文件解压后过大，请删除无关的工作表、图片后再导入');

/**
 * Walks the zip's central directory and inflates every entry with a hard output cap, so that the
 * declared sizes cannot lie. Throws IMPORT_NOT_XLSX / IMPORT_TOO_LARGE.
 */
export function checkXlsxContainer(buf: Buffer): void {
  if (buf.length < 22) throw notXlsx();
  // D0 CF 11 E0: an OLE compound file, i.e. an old .xls or a password-protected workbook
  if (buf.readUInt32BE(0) === 0xd0cf11e0 || buf.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx();
  const entries = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw tooLarge(); // ZIP64: far beyond any roster
  let p = cdOffset;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw notXlsx();
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const declared = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw notXlsx(); // encrypted entry
    if (declared > MAX_INFLATED_BYTES - total) throw tooLarge();
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw notXlsx();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw notXlsx();
    if (method === 0) {
      total += compressed;
    } else if (method === 8) {
      let out: Buffer;
      try {
        out = inflateRawSync(buf.subarray(start, start + compressed), { maxOutputLength: Math.max(1, MAX_INFLATED_BYTES - total) });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
        throw notXlsx();
      }
      total += out.length;
    } else {
      throw notXlsx();
    }
    if (total > MAX_INFLATED_BYTES) throw tooLarge();
  }
}

/** Loads an uploaded workbook; any failure is the user's file, never a 500. */
export async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  checkXlsxContainer(buf);
  const wb = new ExcelJS.Workbook();
  try {
    // Validations and conditional formats on whole columns expand to a million cells in exceljs.
    await wb.xlsx.load(buf as never, { ignoreNodes: ['dataValidations', 'conditionalFormatting'], maxRows: MAX_SHEET_ROWS } as never);
  } catch (err) {
    if (/Max row count/i.test(String((err as Error)?.message))) {
      throw badRequest('IMPORT_TOO_MANY_ROWS', `工作表行数过多（超过 ${MAX_SHEET_ROWS} 行），请删除空行后再导入`);
    }
    throw notXlsx();
  }
  if (wb.worksheets.length === 0) throw notXlsx();
  return wb;
}

/** A cell's value as the text a person sees (numbers as typed, formulas by their result). */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return clean(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return clean(v.richText.map((t) => t.text ?? '').join(''));
    if ('error' in v) return '';
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('formula' in v || 'sharedFormula' in v) return '';
    if ('text' in v) return cellText(v.text as ExcelJS.CellValue);
  }
  return clean(String(v));
}

/** Non-breaking and zero-width spaces come with text pasted from web pages and chat apps. */
const clean = (s: string) =>
  s
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\u00a0|\u3000/g, ' ')
    .trim();

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

/** Bold header with a fill, frozen below the header, widths per column. */
export function styleHeader(ws: ExcelJS.Worksheet, widths: number[]) {
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.height = 20;
  header.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.border = { bottom: { style: 'thin', color: { argb: 'FF8EA9C1' } } };
  });
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** Content-Disposition with an ASCII fallback and the Chinese name in RFC 5987 form. */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function sendWorkbook(reply: FastifyReply, wb: ExcelJS.Workbook, fileName: string, asciiFallback: string) {
  const buf = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  return reply
    .header('content-type', XLSX_MIME)
    .header('content-disposition', contentDisposition(fileName, asciiFallback))
    .header('cache-control', 'no-store')
    .send(buf);
}

export function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kehou 课后';
  wb.created = new Date();
  return wb;
}
