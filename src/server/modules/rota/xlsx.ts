/**
 * The rota as a workbook for the school office: one sheet per month (every shift of every day), or a
 * summary of hours per person followed by one sheet per person. A4 landscape, header row repeated
 * on every printed page, swapped shifts highlighted.
 */
import type ExcelJS from 'exceljs';
import { SLOT_LABELS } from '../../../shared/plans';
import { newWorkbook, styleHeader } from '../imports/xlsx';
import type { RotaView } from './rota.service';

const WD = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const SWAP_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

type Entry = RotaView['days'][number]['entries'][number];
type Day = RotaView['days'][number];

/** minutes of "HH:MM–HH:MM" (0 when the plan has no times) */
export function minutesOf(time: string): number {
  const m = /^(\d{2}):(\d{2})–(\d{2}):(\d{2})$/.exec(time);
  return m ? Number(m[3]) * 60 + Number(m[4]) - (Number(m[1]) * 60 + Number(m[2])) : 0;
}

const dayLabel = (d: Day) => {
  const iso = ((new Date(`${d.date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return d.makeup ? `${WD[iso]}（调休，按${WD[d.weekday]}课表）` : WD[iso];
};

function printable(ws: ExcelJS.Worksheet) {
  ws.pageSetup = { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
}

/** a valid, unique sheet name (31 characters, none of []:*?/\) */
function sheetName(wb: ExcelJS.Workbook, name: string) {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28) || '表';
  let n = base;
  for (let i = 2; wb.getWorksheet(n); i++) n = `${base}${i}`;
  return n;
}

function addRow(ws: ExcelJS.Worksheet, values: (string | number)[], swapped: boolean) {
  const row = ws.addRow(values);
  if (swapped) row.eachCell((c) => (c.fill = SWAP_FILL));
}

export function rotaByMonth(view: RotaView): ExcelJS.Workbook {
  const wb = newWorkbook();
  const months = new Map<string, Day[]>();
  for (const d of view.days) months.set(d.date.slice(0, 7), [...(months.get(d.date.slice(0, 7)) ?? []), d]);
  for (const [month, days] of months) {
    const ws = wb.addWorksheet(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
    ws.addRow(['日期', '星期', '作息', '时段', '时间', '校区', '托管组 / 值班', '场地', '负责人', '调班']);
    styleHeader(ws, [12, 22, 8, 16, 14, 10, 26, 16, 12, 8]);
    printable(ws);
    for (const d of days)
      for (const e of d.entries)
        addRow(
          ws,
          [
            d.date,
            dayLabel(d),
            d.season === 'winter' ? '冬季' : '夏季',
            SLOT_LABELS[e.slot],
            e.time,
            e.campusName,
            e.label,
            e.venueName ?? '',
            e.staffName,
            e.swapped ? '调班' : '',
          ],
          e.swapped,
        );
  }
  if (!months.size) wb.addWorksheet('排班表').addRow(['本学期没有排班']);
  return wb;
}

export function rotaByTeacher(view: RotaView): ExcelJS.Workbook {
  const wb = newWorkbook();
  const people = new Map<string, { name: string; rows: { d: Day; e: Entry }[] }>();
  for (const d of view.days)
    for (const e of d.entries) {
      if (!e.staffId) continue;
      const p = people.get(e.staffId) ?? { name: e.staffName, rows: [] };
      p.rows.push({ d, e });
      people.set(e.staffId, p);
    }
  const sorted = [...people.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const sum = wb.addWorksheet('汇总');
  sum.addRow(['姓名', '带组班次', '值班天数', '调入班次', '合计小时']);
  styleHeader(sum, [14, 12, 12, 12, 12]);
  printable(sum);
  for (const p of sorted) {
    const groups = p.rows.filter((r) => r.e.groupId).length;
    const minutes = p.rows.reduce((n, r) => n + minutesOf(r.e.time), 0);
    sum.addRow([p.name, groups, p.rows.length - groups, p.rows.filter((r) => r.e.swapped).length, Math.round(minutes / 6) / 10]);
  }
  for (const p of sorted) {
    const ws = wb.addWorksheet(sheetName(wb, p.name));
    ws.addRow(['日期', '星期', '时段', '时间', '校区', '托管组 / 值班', '场地', '调班']);
    styleHeader(ws, [12, 22, 16, 14, 10, 26, 16, 8]);
    printable(ws);
    for (const { d, e } of p.rows)
      addRow(
        ws,
        [d.date, dayLabel(d), SLOT_LABELS[e.slot], e.time, e.campusName, e.label, e.venueName ?? '', e.swapped ? '调班' : ''],
        e.swapped,
      );
  }
  return wb;
}
