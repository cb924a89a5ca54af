/**
 * The workbooks we hand out: the roster template, and the student, staff and class exports. The
 * student export has exactly the template's columns so that it can be edited and re-imported.
 */
import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import { GENDERS, GRADE_LABELS, RELATIONS, STAFF_KIND_LABELS, VETTING_LABELS } from '../../../shared/roster';
import type { Actor } from '../../auth/actor';
import type { Db } from '../../db/client';
import { campuses, classes, guardians, staff, studentGuardians, students } from '../../db/schema';
import { escapeLike } from '../roster/students.routes';
import { studentScope } from '../roster/scope';
import { type ColumnKey, EXAMPLE_PREFIX, MAX_IMPORT_ROWS, ROSTER_COLUMNS } from './columns';
import { newWorkbook, styleHeader } from './xlsx';

export const ROSTER_SHEET = '学生名册';
const HELP_SHEET = '说明';

const colLetter = (i: number) => String.fromCharCode(65 + i); // 13 columns: A..M
const colOf = (key: ColumnKey) => colLetter(ROSTER_COLUMNS.findIndex((c) => c.key === key));

type RosterRow = Partial<Record<ColumnKey, string | number>>;

/** A sheet with the roster's header row and the given rows; 学号 and phone columns are text. */
function rosterSheet(wb: ExcelJS.Workbook, rows: RosterRow[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(ROSTER_SHEET);
  ws.addRow(ROSTER_COLUMNS.map((c) => c.header));
  ROSTER_COLUMNS.forEach((c, i) => {
    if (c.text) ws.getColumn(i + 1).numFmt = '@';
  });
  for (const r of rows) ws.addRow(ROSTER_COLUMNS.map((c) => r[c.key] ?? ''));
  styleHeader(
    ws,
    ROSTER_COLUMNS.map((c) => c.width),
  );
  return ws;
}

/** The import template, with lists where Excel can offer them and a 说明 sheet. */
export async function buildTemplate(db: Db, schoolId: string): Promise<ExcelJS.Workbook> {
  const cs = await db.select().from(campuses).where(eq(campuses.schoolId, schoolId)).orderBy(asc(campuses.name));
  const [firstClass] = await db
    .select({ name: classes.name, grade: classes.grade, campusName: campuses.name })
    .from(classes)
    .innerJoin(campuses, and(eq(campuses.schoolId, classes.schoolId), eq(campuses.id, classes.campusId)))
    .where(eq(classes.schoolId, schoolId))
    .orderBy(asc(classes.grade), asc(campuses.name), asc(classes.name))
    .limit(1);

  const wb = newWorkbook();
  const ws = rosterSheet(wb, [
    {
      studentNo: `${EXAMPLE_PREFIX}001`,
      name: '张小明',
      gender: '男',
      campus: firstClass?.campusName ?? cs[0]?.name ?? '本部',
      grade: firstClass?.grade ?? 1,
      className: firstClass?.name ?? '一(1)班',
      address: '某某市某某区某某路 1 号 1 单元 101',
      g1Name: '张伟',
      g1Relation: '父亲',
      g1Phone: '13800000000',
      g2Name: '李娜',
      g2Relation: '母亲',
      g2Phone: '13800000001',
    },
  ]);
  const example = ws.getRow(2);
  example.font = { italic: true, color: { argb: 'FF808080' } };
  ROSTER_COLUMNS.forEach((c, i) => {
    ws.getCell(1, i + 1).note = `${c.required ? '必填。' : ''}${c.help}`;
  });

  const last = MAX_IMPORT_ROWS + 1;
  const dv = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  const range = (key: ColumnKey) => `${colOf(key)}2:${colOf(key)}${last}`;
  const list = (values: readonly string[]): ExcelJS.DataValidation => ({
    type: 'list',
    allowBlank: true,
    formulae: [`"${values.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: '输入有误',
    error: `请从列表中选择：${values.join('、')}`,
  });
  dv.add(range('gender'), list(GENDERS));
  dv.add(range('g1Relation'), list(RELATIONS));
  dv.add(range('g2Relation'), list(RELATIONS));
  dv.add(range('grade'), {
    type: 'whole',
    operator: 'between',
    allowBlank: true,
    formulae: [1, 6],
    showErrorMessage: true,
    errorTitle: '输入有误',
    error: '年级应为 1-6 的整数',
  });
  // An inline list holds at most 255 characters and no commas.
  const campusNames = cs.map((c) => c.name);
  if (campusNames.length > 0 && campusNames.join(',').length <= 250 && campusNames.every((n) => !/[,"]/.test(n))) {
    dv.add(range('campus'), list(campusNames));
  }

  const help = wb.addWorksheet(HELP_SHEET);
  help.addRow(['列名', '是否必填', '填写说明']);
  for (const c of ROSTER_COLUMNS) help.addRow([c.header, c.required ? '必填' : '选填', c.help]);
  help.addRow([]);
  const notes = [
    `第 2 行是示例（学号以“${EXAMPLE_PREFIX}”开头的行不会导入），可直接覆盖或删除。`,
    `一次最多导入 ${MAX_IMPORT_ROWS} 名学生；请勿修改第 1 行表头。`,
    '学号在本校已存在时更新该学生的姓名、性别、校区、年级、班级和住址；不存在时新建。',
    '监护人按手机号在本校匹配：已登记的复用（姓名须一致），未登记的新建；每位监护人同时加入该学生的授权接送人。',
    '导入只增加或更新监护人关联，不会删除学生已有的其他监护人或接送人；监护人1视为主要监护人。',
    '文件中任何一处有误时，整份文件都不会导入；系统会列出每处错误所在的行号和列名，改正后重新上传即可。',
    `本校现有校区：${campusNames.join('、') || '（无，请先在系统中添加校区）'}。`,
  ];
  for (const n of notes) help.addRow(['', '', n]);
  styleHeader(help, [14, 10, 90]);
  help.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  return wb;
}

/** The filters of GET /api/students (without paging). */
export interface StudentExportFilters {
  classId?: string;
  campusId?: string;
  grade?: number;
  q?: string;
  includeInactive?: 'true' | 'false';
}

/** The same conditions as GET /api/students, inside the actor's scope. */
export function studentFilter(actor: Actor, f: StudentExportFilters): SQL {
  return and(
    studentScope(actor),
    f.includeInactive === 'true' ? undefined : eq(students.active, true),
    f.classId ? eq(students.classId, f.classId) : undefined,
    f.campusId ? eq(students.campusId, f.campusId) : undefined,
    f.grade ? eq(students.grade, f.grade) : undefined,
    f.q ? or(ilike(students.name, `%${escapeLike(f.q)}%`), ilike(students.studentNo, `${escapeLike(f.q)}%`)) : undefined,
  ) as SQL;
}

/** Pupils the actor may see, in the template's columns; the two first guardians, primary first. */
export async function buildStudentExport(db: Db, actor: Actor, schoolId: string, f: StudentExportFilters) {
  const where = studentFilter(actor, f);
  const rows = await db
    .select({
      id: students.id,
      studentNo: students.studentNo,
      name: students.name,
      gender: students.gender,
      grade: students.grade,
      address: students.address,
      className: classes.name,
      campusName: campuses.name,
    })
    .from(students)
    .innerJoin(classes, and(eq(classes.schoolId, students.schoolId), eq(classes.id, students.classId)))
    .innerJoin(campuses, and(eq(campuses.schoolId, students.schoolId), eq(campuses.id, students.campusId)))
    .where(where)
    .orderBy(asc(campuses.name), asc(students.grade), asc(classes.name), asc(students.studentNo));

  // Contacts only for those who may read them (the same rule as the pupil's file).
  const showContacts = actor.permissions.has('guardian.read');
  const byStudent = new Map<string, { name: string; phone: string; relation: string }[]>();
  if (showContacts && rows.length > 0) {
    const links = await db
      .select({ studentId: studentGuardians.studentId, name: guardians.name, phone: guardians.phone, relation: studentGuardians.relation })
      .from(studentGuardians)
      .innerJoin(guardians, and(eq(guardians.schoolId, studentGuardians.schoolId), eq(guardians.id, studentGuardians.guardianId)))
      .innerJoin(students, and(eq(students.schoolId, studentGuardians.schoolId), eq(students.id, studentGuardians.studentId)))
      .where(and(eq(studentGuardians.schoolId, schoolId), where))
      .orderBy(desc(studentGuardians.isPrimary), asc(guardians.name), asc(guardians.phone));
    for (const l of links) {
      const list = byStudent.get(l.studentId) ?? [];
      list.push(l);
      byStudent.set(l.studentId, list);
    }
  }

  const wb = newWorkbook();
  rosterSheet(
    wb,
    rows.map((s) => {
      const [g1, g2] = byStudent.get(s.id) ?? [];
      return {
        studentNo: s.studentNo,
        name: s.name,
        gender: s.gender,
        campus: s.campusName,
        grade: s.grade,
        className: s.className,
        address: showContacts ? s.address : '',
        g1Name: g1?.name,
        g1Relation: g1?.relation,
        g1Phone: g1?.phone,
        g2Name: g2?.name,
        g2Relation: g2?.relation,
        g2Phone: g2?.phone,
      };
    }),
  );
  return { wb, count: rows.length };
}

export async function buildStaffExport(db: Db, schoolId: string) {
  const rows = await db
    .select({ s: staff, campusName: campuses.name })
    .from(staff)
    .leftJoin(campuses, and(eq(campuses.schoolId, staff.schoolId), eq(campuses.id, staff.campusId)))
    .where(eq(staff.schoolId, schoolId))
    .orderBy(asc(staff.name), asc(staff.id));
  const wb = newWorkbook();
  const ws = wb.addWorksheet('教职工');
  ws.addRow(['姓名', '手机', '类别', '校区', '从业审查', '审查日期', '在岗', '已开通账号']);
  ws.getColumn(2).numFmt = '@';
  for (const { s, campusName } of rows) {
    ws.addRow([
      s.name,
      s.phone,
      STAFF_KIND_LABELS[s.kind as keyof typeof STAFF_KIND_LABELS] ?? s.kind,
      campusName ?? '全校',
      VETTING_LABELS[s.vettingStatus as keyof typeof VETTING_LABELS] ?? s.vettingStatus,
      s.vettingCheckedOn ?? '',
      s.active ? '是' : '否',
      s.accountId ? '是' : '否',
    ]);
  }
  styleHeader(ws, [12, 14, 10, 12, 10, 12, 8, 10]);
  return { wb, count: rows.length };
}

export async function buildClassExport(db: Db, schoolId: string) {
  const rows = await db
    .select({
      campusName: campuses.name,
      grade: classes.grade,
      name: classes.name,
      homeroomName: staff.name,
      studentCount: sql<number>`(SELECT count(*) FROM students s WHERE s.school_id = ${classes.schoolId} AND s.class_id = ${classes.id} AND s.active)`,
    })
    .from(classes)
    .innerJoin(campuses, and(eq(campuses.schoolId, classes.schoolId), eq(campuses.id, classes.campusId)))
    .leftJoin(staff, and(eq(staff.schoolId, classes.schoolId), eq(staff.id, classes.homeroomStaffId)))
    .where(eq(classes.schoolId, schoolId))
    .orderBy(asc(campuses.name), asc(classes.grade), asc(classes.name));
  const wb = newWorkbook();
  const ws = wb.addWorksheet('行政班');
  ws.addRow(['校区', '年级', '班级', '班主任', '在读人数']);
  for (const r of rows) ws.addRow([r.campusName, GRADE_LABELS[r.grade] ?? r.grade, r.name, r.homeroomName ?? '', Number(r.studentCount)]);
  styleHeader(ws, [12, 10, 12, 12, 10]);
  return { wb, count: rows.length };
}
