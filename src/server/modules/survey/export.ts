/**
 * The survey as a workbook the office can print or pass on: the demand table (weekday columns ×
 * slot and grade band rows, with groups and staff), response rates per class, every answer, and
 * the pupils still without one.
 */
import ExcelJS from 'exceljs';
import { BANDS } from '../../../shared/demand';
import { CATEGORY_LABELS, GRADE_BAND_LABELS, SLOT_LABELS, SLOTS, WEEKDAY_LABELS, WEEKDAYS } from '../../../shared/plans';
import type { SurveyDays } from '../../../shared/survey';
import type { DemandView, PupilAnswer, SurveyRow } from './service';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const dayNames = (days: SurveyDays, slot: (typeof SLOTS)[number]) => (days[slot] ?? []).map((d) => WEEKDAY_LABELS[d].slice(1)).join('、');

function header(ws: ExcelJS.Worksheet, titles: string[], widths: number[]) {
  ws.addRow(titles).font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = widths[i] ?? 12;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

export function surveyWorkbook(survey: SurveyRow & { termName: string }, view: DemandView & { rows: PupilAnswer[] }): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kehou 课后';
  wb.created = new Date();
  const { demand } = view;

  const sum = wb.addWorksheet('需求汇总');
  sum.addRow([`${survey.title}（${survey.termName}）`]).font = { bold: true, size: 14 };
  sum.addRow([
    `回收 ${view.answered} / ${view.pupils} 人；每组最多 ${demand.rules.maxGroupSize} 人，每组 1 名教师，每 4 组 1 名值班领导、每天至少 2 名（R5）`,
  ]);
  sum.addRow([]);
  sum.addRow(['时段', '学段', ...WEEKDAYS.map((d) => WEEKDAY_LABELS[d])]).font = { bold: true };
  for (const slot of SLOTS) {
    for (const band of BANDS) {
      sum.addRow([
        SLOT_LABELS[slot],
        GRADE_BAND_LABELS[band],
        ...WEEKDAYS.map((d) => {
          const c = demand.cells.find((x) => x.weekday === d && x.slot === slot && x.band === band);
          return c && c.pupils > 0 ? `${c.pupils} 人 / ${c.groups} 组` : '—';
        }),
      ]);
    }
    const row = sum.addRow([
      SLOT_LABELS[slot],
      '合计（组 = 教师）',
      ...WEEKDAYS.map((d) => {
        const s = demand.slots.find((x) => x.weekday === d && x.slot === slot);
        return s && s.pupils > 0 ? `${s.pupils} 人 / ${s.groups} 组` : '—';
      }),
    ]);
    row.font = { italic: true };
  }
  const total = (label: string, f: (d: (typeof demand.days)[number]) => number) => {
    sum.addRow([label, '', ...demand.days.map(f)]).font = { bold: true };
  };
  total('当天人数（去重）', (d) => d.pupils);
  total('最多同时在岗教师', (d) => d.teachers);
  total('值班领导', (d) => d.duty);
  total('午餐人数', (d) => d.lunch);
  sum.addRow([]);
  sum.addRow(['兴趣方向', '人数']).font = { bold: true };
  for (const [c, n] of Object.entries(demand.interests)) sum.addRow([CATEGORY_LABELS[c as keyof typeof CATEGORY_LABELS], n]);
  sum.addRow([]);
  sum.addRow(['平时接孩子时间', '人数']).font = { bold: true };
  for (const p of demand.pickupTimes) sum.addRow([`${p.time} 起`, p.n]);
  sum.addRow(['在校午餐', demand.lunch]);
  sum.addRow(['不需要课后服务', demand.noService]);
  sum.columns.forEach((c, i) => {
    c.width = i === 0 ? 18 : i === 1 ? 20 : 14;
  });

  const rates = wb.addWorksheet('各班回收率');
  header(rates, ['年级', '班级', '学生数', '已填写', '回收率'], [8, 14, 10, 10, 10]);
  for (const c of view.classes) {
    const r = rates.addRow([c.grade, c.className, c.pupils, c.answered, c.rate]);
    r.getCell(5).numFmt = '0.0%';
  }

  const answers = wb.addWorksheet('答卷明细');
  header(
    answers,
    ['班级', '学号', '姓名', ...SLOTS.map((s) => SLOT_LABELS[s]), '兴趣方向', '接孩子时间', '在校午餐', '备注', '填写人', '填写时间'],
    [12, 14, 10, 14, 14, 16, 14, 22, 10, 8, 24, 12, 18],
  );
  for (const p of view.rows) {
    if (!p.answer) continue;
    const a = p.answer;
    answers.addRow([
      p.className,
      p.studentNo,
      p.name,
      ...SLOTS.map((s) => dayNames(a.days, s)),
      a.interests.map((c) => CATEGORY_LABELS[c as keyof typeof CATEGORY_LABELS] ?? c).join('、'),
      a.pickupTime ?? '',
      a.lunch ? '是' : '否',
      a.note,
      a.answeredBy,
      shanghai.format(a.answeredAt),
    ]);
  }

  const missing = wb.addWorksheet('未填写名单');
  header(missing, ['班级', '学号', '姓名'], [12, 14, 10]);
  for (const p of view.rows) if (!p.answer) missing.addRow([p.className, p.studentNo, p.name]);
  return wb;
}
