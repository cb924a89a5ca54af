import { and, count, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditLog, campuses, classes, guardians, pickupPersons, schools, studentGuardians, students } from '../../db/schema';
import { type Client, createTestEnv, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { ROSTER_COLUMNS } from './columns';
import { generateRoster, rosterFile, type RosterCells } from './sample';
import { checkXlsxContainer, XLSX_MIME } from './xlsx';

const HEADERS = ROSTER_COLUMNS.map((c) => c.header);

async function readXlsx(raw: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as never);
  return wb;
}

/** A sheet's rows as text arrays, header included. */
function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow((r) => {
    const vals: string[] = [];
    for (let i = 1; i <= HEADERS.length; i++) {
      const v = r.getCell(i).value;
      vals.push(v === null || v === undefined ? '' : String(v));
    }
    out.push(vals);
  });
  return out;
}

describeEachDb('roster import and exports', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let school1: string;
  let school2: string;

  const upload = (c: Client, buf: Buffer, query = '') => c.send('POST', `/api/roster/import${query}`, buf, { 'content-type': XLSX_MIME });
  const n = async (table: typeof students | typeof guardians | typeof pickupPersons | typeof classes, schoolId = school1) => {
    const [{ c }] = await env.database.db.select({ c: count() }).from(table).where(eq(table.schoolId, schoolId));
    return Number(c);
  };
  const links = async (schoolId = school1) => {
    const [{ c }] = await env.database.db.select({ c: count() }).from(studentGuardians).where(eq(studentGuardians.schoolId, schoolId));
    return Number(c);
  };
  const totals = async (schoolId = school1) => ({
    students: await n(students, schoolId),
    guardians: await n(guardians, schoolId),
    pickups: await n(pickupPersons, schoolId),
    classes: await n(classes, schoolId),
    links: await links(schoolId),
  });
  const pupil = async (studentNo: string, schoolId = school1) => {
    const [s] = await env.database.db
      .select()
      .from(students)
      .where(and(eq(students.schoolId, schoolId), eq(students.studentNo, studentNo)));
    return s;
  };

  beforeAll(async () => {
    env = await createTestEnv(kind);
    admin = await login(env.app, 'admin');
    const rows = await env.database.db.select({ id: schools.id, code: schools.code }).from(schools);
    school1 = rows.find((r) => r.code === 'HC-SY')!.id;
    school2 = rows.find((r) => r.code === 'HC-DE')!.id;
  });
  afterAll(async () => {
    await env?.close();
  });

  it('serves a template with Chinese headers, an example row, lists and a 说明 sheet', async () => {
    const res = await admin.get('/api/roster/template.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MIME);
    expect(String(res.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('学生名册导入模板.xlsx')}`);
    const wb = await readXlsx(res.raw);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['学生名册', '说明']);
    const [header, example] = sheetRows(wb.worksheets[0]);
    expect(header).toEqual(HEADERS);
    expect(example[0]).toMatch(/^示例/);
    expect(['本部', '南山校区']).toContain(example[3]);
    const gender = wb.worksheets[0].getCell('C2').dataValidation;
    expect(gender?.type).toBe('list');
    expect(gender?.formulae?.[0]).toBe('"男,女"');
    expect(String(wb.worksheets[0].getCell('I3').dataValidation?.formulae?.[0])).toContain('外祖母');
    const help = sheetRows(wb.getWorksheet('说明')!)
      .map((r) => r[0])
      .filter(Boolean);
    expect(help).toEqual(expect.arrayContaining(HEADERS));

    // Uploading the untouched template imports nothing: the example row is skipped.
    const before = await totals();
    const up = await upload(admin, res.raw);
    expect(up.status).toBe(400);
    expect(up.body.code).toBe('IMPORT_EMPTY');
    expect(await totals()).toEqual(before);
  });

  it('exports the school 1 roster and re-imports it as updates, without duplicates', async () => {
    const before = await totals();
    const res = await admin.get('/api/roster/export/students.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MIME);
    expect(String(res.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('学生名册.xlsx')}`);
    const wb = await readXlsx(res.raw);
    const rows = sheetRows(wb.worksheets[0]);
    expect(rows[0]).toEqual(HEADERS);
    expect(rows.length - 1).toBe(before.students);
    expect(rows.slice(1).every((r) => r[9] !== '' && r[3] !== '')).toBe(true); // every pupil has guardian 1 and a campus

    const again = await upload(admin, res.raw);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ dryRun: false, rows: before.students, created: 0, updated: before.students, guardians: 0 });
    expect(again.body.createdClasses).toEqual([]);
    expect(await totals()).toEqual(before);

    // Edit the export: rename one pupil and add a new one; re-import.
    const ws = wb.worksheets[0];
    const firstNo = String(ws.getCell('A2').value);
    ws.getCell('B2').value = '改名测试';
    const newRow = ws.addRow(['RT-0001', '新来的', '女', '南山校区', 2, '二(11)班', '', '钱多多', '母亲', '15800000001']);
    newRow.commit();
    const edited = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const third = await upload(admin, edited);
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ created: 1, updated: before.students, guardians: 1, pickupsAdded: 1 });
    expect((await pupil(firstNo)).name).toBe('改名测试');
    const added = await pupil('RT-0001');
    expect(added).toMatchObject({ name: '新来的', gender: '女', grade: 2, active: true });
    const after = await totals();
    expect(after).toEqual({
      ...before,
      students: before.students + 1,
      guardians: before.guardians + 1,
      pickups: before.pickups + 1,
      links: before.links + 1,
    });

    const [entry] = await env.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.schoolId, school1), eq(auditLog.action, 'student.export')));
    expect(entry.detail).toMatchObject({ count: before.students });
  });

  it('reports every error by Excel row and column and writes nothing', async () => {
    const good: RosterCells = {
      studentNo: 'E-1',
      name: '好学生',
      gender: '男',
      campus: '本部',
      grade: 1,
      className: '一(1)班',
      g1Name: '好家长',
      g1Relation: '父亲',
      g1Phone: '15900000001',
    };
    const file = await rosterFile([
      good, // row 2
      { ...good, studentNo: 'E-2', gender: '未知', g1Phone: '12345' }, // row 3: two cell errors
      { ...good, studentNo: 'E-1', g1Phone: '15900000003', g1Name: '别人' }, // row 4: duplicate 学号
      { ...good, studentNo: 'E-4', campus: '北山校区', g1Phone: '15900000004' }, // row 5: unknown campus
      { ...good, studentNo: 'E-5', grade: 3, g1Phone: '15900000005' }, // row 6: 一(1)班 is grade 1
      { ...good, studentNo: 'E-6', name: '', g2Name: '只有姓名', g1Phone: '15900000006' }, // row 7: empty name, incomplete guardian 2
      { ...good, studentNo: 'E-7', g1Name: '冒名', g1Phone: '15900000001' }, // row 8: same phone, other name
      { ...good, studentNo: 'E-8', className: '兴趣班', g1Phone: '15900000008' }, // row 9: new class without a grade in its name
      { ...good, studentNo: 'E 9', g1Relation: '叔叔', g1Phone: '15900000009' }, // row 10: bad 学号, bad relation
    ]);
    const before = await totals();
    const auditsBefore = await env.database.db.select({ c: count() }).from(auditLog).where(eq(auditLog.action, 'roster.import'));
    const res = await upload(admin, file);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT_INVALID');
    const errors = res.body.details.errors as { row: number; column: string; message: string }[];
    expect(res.body.message).toBe(`导入文件有 ${errors.length} 处错误，未导入任何数据`);
    const at = errors.map((e) => `${e.row}:${e.column}`);
    expect(at).toEqual(
      expect.arrayContaining([
        '3:性别',
        '3:监护人1手机',
        '4:学号',
        '5:校区',
        '6:年级',
        '7:姓名',
        '7:监护人2关系',
        '7:监护人2手机',
        '8:监护人1姓名',
        '9:班级',
        '10:学号',
        '10:监护人1关系',
      ]),
    );
    expect(at).not.toContain('2:学号');
    expect(errors.find((e) => e.row === 4)?.message).toContain('第 2 行');
    expect(errors.find((e) => e.row === 3 && e.column === '监护人1手机')?.message).toContain('手机号');
    // sorted by row, then by column order
    expect([...errors].sort((a, b) => a.row - b.row).map((e) => e.row)).toEqual(errors.map((e) => e.row));
    expect(await totals()).toEqual(before);
    const auditsAfter = await env.database.db.select({ c: count() }).from(auditLog).where(eq(auditLog.action, 'roster.import'));
    expect(auditsAfter).toEqual(auditsBefore);
  });

  it('dry run validates and reports without writing', async () => {
    const file = await rosterFile(generateRoster(30, { campus: '本部', noPrefix: 'DRY', classesPerGrade: 4, phoneBase: 15_600_000_000 }));
    const before = await totals();
    const res = await upload(admin, file, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, rows: 30, created: 30, updated: 0 });
    expect(res.body.createdClasses.map((c: { name: string }) => c.name).sort()).toEqual(
      ['一(4)班', '二(4)班', '三(4)班', '四(4)班', '五(4)班', '六(4)班'].sort(),
    );
    expect(await totals()).toEqual(before);
  });

  it('imports a generated 2,000-row file with new classes, guardians and pick-up adults', async () => {
    const rows = generateRoster(2000, { campus: '本部', noPrefix: 'BIG', classesPerGrade: 4 });
    const file = await rosterFile(rows);
    const before = await totals();
    const t0 = performance.now();
    const res = await upload(admin, file);
    const seconds = (performance.now() - t0) / 1000;
    expect(res.status).toBe(200);
    const phones = new Set(rows.flatMap((r) => [r.g1Phone, r.g2Phone].filter(Boolean)));
    const linkCount = rows.reduce((s, r) => s + (r.g2Phone ? 2 : 1), 0);
    expect(res.body).toMatchObject({ rows: 2000, created: 2000, updated: 0, guardians: phones.size, pickupsAdded: linkCount });
    expect(res.body.createdClasses).toHaveLength(6);
    const after = await totals();
    expect(after).toEqual({
      students: before.students + 2000,
      guardians: before.guardians + phones.size,
      pickups: before.pickups + linkCount,
      classes: before.classes + 6,
      links: before.links + linkCount,
    });
    // Siblings share one guardian record; guardian 1 is the primary one.
    const sib = await pupil('BIG00010');
    const sibLinks = await env.database.db
      .select({ phone: guardians.phone, isPrimary: studentGuardians.isPrimary, relation: studentGuardians.relation })
      .from(studentGuardians)
      .innerJoin(guardians, and(eq(guardians.schoolId, studentGuardians.schoolId), eq(guardians.id, studentGuardians.guardianId)))
      .where(and(eq(studentGuardians.schoolId, school1), eq(studentGuardians.studentId, sib.id)));
    expect(sibLinks).toContainEqual({ phone: rows[8].g1Phone, isPrimary: true, relation: '父亲' });
    const [newClass] = await env.database.db
      .select({ grade: classes.grade, campus: campuses.name })
      .from(classes)
      .innerJoin(campuses, and(eq(campuses.schoolId, classes.schoolId), eq(campuses.id, classes.campusId)))
      .where(and(eq(classes.schoolId, school1), eq(classes.name, '三(4)班')));
    expect(newClass).toEqual({ grade: 3, campus: '本部' });
    expect(seconds).toBeLessThan(30);

    const [entry] = await env.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.schoolId, school1), eq(auditLog.action, 'roster.import')))
      .orderBy(sql`${auditLog.at} DESC`)
      .limit(1);
    expect(entry.detail).toMatchObject({ rows: 2000, created: 2000, updated: 0 });

    // The same file again: all updates, nothing new.
    const again = await upload(admin, file);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 2000, guardians: 0, pickupsAdded: 0, createdClasses: [] });
    expect(await totals()).toEqual(after);
  });

  it('refuses a file over the row limit', async () => {
    const file = await rosterFile(generateRoster(5001, { campus: '本部', noPrefix: 'MAX', phoneBase: 15_500_000_000 }));
    const before = await totals();
    const res = await upload(admin, file);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(await totals()).toEqual(before);
  });

  it('answers 400, never 500, to files that are not a roster', async () => {
    const valid = await rosterFile(generateRoster(5, { campus: '本部', noPrefix: 'BAD' }));
    const cases: [Buffer, string][] = [
      [Buffer.from('this is not a spreadsheet at all, just some bytes \x00\x01\x02'), 'IMPORT_NOT_XLSX'],
      [Buffer.from('学号,姓名\n1,张三\n'), 'IMPORT_NOT_XLSX'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]), 'IMPORT_NOT_XLSX'],
      [valid.subarray(0, Math.floor(valid.length / 2)), 'IMPORT_NOT_XLSX'],
      [Buffer.concat([valid.subarray(0, 100), Buffer.alloc(50, 0xff), valid.subarray(150)]), 'IMPORT_NOT_XLSX'],
      [await rosterFile([{ studentNo: 'X' }], ['编号', '名字']), 'IMPORT_BAD_HEADER'],
      [await rosterFile([{ studentNo: 'X' }], ['学号', '姓名']), 'IMPORT_BAD_HEADER'],
      [await rosterFile([]), 'IMPORT_EMPTY'],
      [Buffer.alloc(0), 'IMPORT_EMPTY'],
    ];
    const before = await totals();
    for (const [buf, code] of cases) {
      const res = await upload(admin, buf);
      expect(res.status, code).toBe(400);
      expect(res.body.code).toBe(code);
    }
    const json = await admin.post('/api/roster/import', { rows: [] });
    expect(json.status).toBe(400);
    const bare = await admin.send('POST', '/api/roster/import');
    expect(bare.status).toBe(400);
    const octet = await admin.send('POST', '/api/roster/import', Buffer.from('garbage'), { 'content-type': 'application/octet-stream' });
    expect(octet.status).toBe(400);
    expect(await totals()).toEqual(before);
  });

  it('refuses a zip bomb before inflating it', async () => {
    // a stored entry that claims little but a deflated entry that inflates to 120 MB
    const { deflateRawSync } = await import('node:zlib');
    const data = deflateRawSync(Buffer.alloc(120 * 1024 * 1024));
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(1000, 22); // lies about its size
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(1000, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 42);
    const cdOffset = local.length + name.length + data.length;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(central.length + name.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    const bomb = Buffer.concat([local, name, data, central, name, eocd]);
    expect(() => checkXlsxContainer(bomb)).toThrow(expect.objectContaining({ code: 'IMPORT_TOO_LARGE' }));
    const res = await upload(admin, bomb);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT_TOO_LARGE');
  });

  it('lets only the school office import, and nobody without a session', async () => {
    const file = await rosterFile(generateRoster(3, { campus: '本部', noPrefix: 'AUTH' }));
    const before = await totals();
    for (const who of ['teacher', 'homeroom', 'duty', '13900000001', 'district']) {
      const c = await login(env.app, who);
      expect((await upload(c, file)).status, who).toBe(403);
      expect((await c.get('/api/roster/template.xlsx')).status, who).toBe(403);
      expect((await c.get('/api/roster/export/students.xlsx')).status, who).toBe(403);
    }
    const guardian = await login(env.app, '13900000001');
    expect((await guardian.get('/api/roster/export/staff.xlsx')).status).toBe(403);
    expect((await guardian.get('/api/roster/export/classes.xlsx')).status).toBe(403);
    for (const [method, url] of [
      ['POST', '/api/roster/import'],
      ['GET', '/api/roster/template.xlsx'],
      ['GET', '/api/roster/export/students.xlsx'],
      ['GET', '/api/roster/export/staff.xlsx'],
      ['GET', '/api/roster/export/classes.xlsx'],
    ]) {
      const res = await request(env.app, method, url, method === 'POST' ? file : undefined, { 'content-type': XLSX_MIME });
      expect(res.status, url).toBe(401);
    }
    // a session without the CSRF header cannot upload
    const noCsrf = await request(env.app, 'POST', '/api/roster/import', file, { cookie: admin.cookie, 'content-type': XLSX_MIME });
    expect(noCsrf.status).toBe(403);
    expect(await totals()).toEqual(before);
  });

  it('exports staff and classes to those who may read them', async () => {
    const teacher = await login(env.app, 'teacher');
    const st = await teacher.get('/api/roster/export/staff.xlsx');
    expect(st.status).toBe(200);
    expect(String(st.headers['content-disposition'])).toContain(encodeURIComponent('教职工名单.xlsx'));
    const staffRows = sheetRows((await readXlsx(st.raw)).worksheets[0]);
    expect(staffRows[0].slice(0, 5)).toEqual(['姓名', '手机', '类别', '校区', '从业审查']);
    expect(staffRows.map((r) => r[0])).toContain('李晓东');
    const cl = await teacher.get('/api/roster/export/classes.xlsx');
    expect(cl.status).toBe(200);
    const classRows = sheetRows((await readXlsx(cl.raw)).worksheets[0]);
    expect(classRows.length - 1).toBe(await n(classes));
    expect(classRows).toContainEqual(expect.arrayContaining(['本部', '一年级', '一(1)班', '王丽华']));
    const actions = await env.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.schoolId, school1), sql`${auditLog.action} IN ('staff.export', 'class.export')`));
    expect(actions.map((a) => a.action).sort()).toEqual(['class.export', 'staff.export']);
  });

  it("keeps each school's pupils to itself", async () => {
    const admin2 = await login(env.app, 'admin2');
    const res = await admin2.get('/api/roster/export/students.xlsx');
    expect(res.status).toBe(200);
    const rows = sheetRows((await readXlsx(res.raw)).worksheets[0]).slice(1);
    expect(rows.length).toBe(await n(students, school2));
    const school1Nos = new Set(
      (await env.database.db.select({ no: students.studentNo }).from(students).where(eq(students.schoolId, school1))).map((s) => s.no),
    );
    expect(rows.filter((r) => school1Nos.has(r[0]))).toEqual([]);
    expect(rows.some((r) => r[0].startsWith('BIG') || r[0].startsWith('RT-'))).toBe(false);

    // A school 1 学号 imported by school 2 is a new school 2 pupil; school 1's is untouched.
    const s1 = await pupil('RT-0001');
    const file = await rosterFile([
      {
        studentNo: 'RT-0001',
        name: '第二校的学生',
        gender: '男',
        campus: '',
        grade: 1,
        className: '一(1)班',
        g1Name: '钱多多',
        g1Relation: '母亲',
        g1Phone: '15800000001',
      },
    ]);
    const before1 = await totals(school1);
    const imp = await upload(admin2, file);
    expect(imp.status).toBe(200);
    expect(imp.body).toMatchObject({ created: 1, updated: 0, guardians: 1 });
    expect(await pupil('RT-0001')).toEqual(s1);
    expect((await pupil('RT-0001', school2)).name).toBe('第二校的学生');
    expect(await totals(school1)).toEqual(before1);

    // Filters narrow the export, like GET /api/students.
    const [cls] = await env.database.db
      .select({ id: classes.id })
      .from(classes)
      .where(and(eq(classes.schoolId, school1), eq(classes.name, '二(1)班')));
    const filtered = await admin.get(`/api/roster/export/students.xlsx?classId=${cls.id}`);
    const fr = sheetRows((await readXlsx(filtered.raw)).worksheets[0]).slice(1);
    expect(fr.length).toBeGreaterThan(0);
    expect(fr.every((r) => r[5] === '二(1)班')).toBe(true);
    // another school's class id gives an empty export, not its pupils
    const [cls2] = await env.database.db.select({ id: classes.id }).from(classes).where(eq(classes.schoolId, school2)).limit(1);
    const cross = await admin.get(`/api/roster/export/students.xlsx?classId=${cls2.id}`);
    expect(sheetRows((await readXlsx(cross.raw)).worksheets[0]).slice(1)).toEqual([]);
  });
});
