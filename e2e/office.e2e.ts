/**
 * The school office on a desktop: log in, find a pupil, open the file, add a pick-up adult with a
 * photo (scaled down in the browser), import a small roster (first a file with a mistake, which
 * imports nothing, then a correct one), find the new pupils, and see the file reading in the audit log.
 */
import ExcelJS from 'exceljs';
import type { Page, Response } from 'playwright-core';
import { expect, it } from 'vitest';
import { ROSTER_COLUMNS } from '../src/server/modules/imports/columns';
import { describeE2E, loginAs, shot, setupE2E, watchErrors } from './harness';

const e2e = setupE2E();

/** A button by its label: antd puts a space between two Chinese characters ("保 存"), and an icon adds its own name ("plus"). */
const btn = (label: string) => new RegExp(`(^|\\s)${[...label].join('\\s*')}\\s*$`);

const api = (page: Page, path: string | RegExp, method = 'GET') =>
  page.waitForResponse((r: Response) => {
    const u = new URL(r.url());
    return r.request().method() === method && (typeof path === 'string' ? u.pathname === path : path.test(u.pathname + u.search));
  });

/** A roster workbook in the template's columns, built with exceljs as a school would fill it in. */
async function rosterXlsx(rows: Record<string, string>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学生名册');
  ws.addRow(ROSTER_COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(ROSTER_COLUMNS.map((c) => r[c.header] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const NEW_PUPILS = [
  {
    学号: 'E2E-0001',
    姓名: '测试甲',
    性别: '男',
    校区: '本部',
    年级: '1',
    班级: '一(1)班',
    监护人1姓名: '测试父',
    监护人1关系: '父亲',
    监护人1手机: '15811110001',
  },
  {
    学号: 'E2E-0002',
    姓名: '测试乙',
    性别: '女',
    校区: '本部',
    年级: '1',
    班级: '一(1)班',
    监护人1姓名: '测试母',
    监护人1关系: '母亲',
    监护人1手机: '15811110002',
  },
  {
    学号: 'E2E-0003',
    姓名: '测试丙',
    性别: '女',
    校区: '本部',
    年级: '2',
    班级: '二(1)班',
    监护人1姓名: '测试奶奶',
    监护人1关系: '祖母',
    监护人1手机: '15811110003',
  },
];

describeE2E('school office: pupils, pick-up adults, roster import, audit', () => {
  it('finds a pupil, adds a pick-up adult, imports a roster and sees the read in the audit log', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'admin');
    await page.waitForURL('**/office/students');
    await page.getByRole('columnheader', { name: '学号' }).waitFor();

    // ---- search a pupil by name
    const sample = (await (await page.request.get('/api/students?pageSize=1&page=3')).json()).items[0] as {
      id: string;
      name: string;
      studentNo: string;
    };
    const searched = api(page, /^\/api\/students\?.*q=/);
    await page.getByPlaceholder('姓名或学号').fill(sample.name);
    await page.getByPlaceholder('姓名或学号').press('Enter');
    await searched;
    const row = page.locator('tbody tr', { hasText: sample.studentNo });
    await row.waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe(sample.name);
    await shot(page, 'office-students-search');

    // ---- open the file (an audited read)
    const read = api(page, `/api/students/${sample.id}`);
    await row.click();
    expect((await read).status()).toBe(200);
    const drawer = page.locator('.ant-drawer-open .ant-drawer-section');
    await drawer.getByText('家庭住址').waitFor();
    await drawer.getByText('家长与监护人').waitFor();

    // ---- add a pick-up adult with a photo
    await drawer.getByRole('button', { name: btn('添加接送人') }).click();
    const dialog = page.getByRole('dialog', { name: '添加接送人' });
    await dialog.waitFor();
    // a large PNG made in the page, so the downscaling has something to do
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 1600;
      c.height = 1200;
      const g = c.getContext('2d') as CanvasRenderingContext2D;
      for (let i = 0; i < 400; i++) {
        g.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`;
        g.fillRect((i * 97) % 1600, (i * 53) % 1200, 120, 90);
      }
      return c.toDataURL('image/png').split(',')[1];
    });
    await dialog.locator('input[type=file]').setInputFiles({ name: 'aunt.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await dialog.locator('img[src^="data:image/jpeg"]').waitFor();
    await dialog.getByLabel('姓名').fill('王小姑');
    await dialog.getByLabel('关系').fill('姑姑');
    await dialog.getByLabel('手机号').fill('13612345678');
    await shot(page, 'office-pickup-form');
    const created = api(page, `/api/students/${sample.id}/pickups`, 'POST');
    await dialog.getByRole('button', { name: btn('保存') }).click();
    const res = await created;
    expect(res.status()).toBe(200);
    const body = JSON.parse(res.request().postData() ?? '{}') as { photo: string };
    expect(body.photo.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(body.photo.length).toBeLessThan(200 * 1024);
    await drawer.getByText('王小姑').waitFor();
    await expect(drawer.locator('img[alt="王小姑"]').count()).resolves.toBe(1);
    await shot(page, 'office-student-file');
    await page.keyboard.press('Escape');

    // ---- import: a file with a mistake imports nothing and says where
    await page.goto('/office/import');
    await page.getByText('点击或把 .xlsx 文件拖到这里').waitFor();
    const bad = await rosterXlsx([NEW_PUPILS[0], { ...NEW_PUPILS[1], 监护人1手机: '12345' }]);
    const checkedBad = api(page, /^\/api\/roster\/import\?dryRun=true$/, 'POST');
    await page.locator('input[type=file]').setInputFiles({
      name: '名册-有错.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bad,
    });
    expect((await checkedBad).status()).toBe(400);
    await page.getByText('文件中有错误，未导入任何数据').waitFor();
    const errorRow = page.locator('tbody tr', { hasText: '监护人1手机' });
    await errorRow.waitFor();
    await expect(errorRow.locator('td').first().textContent()).resolves.toBe('3');
    await shot(page, 'office-import-invalid');

    // ---- the corrected file: a dry run, then the import
    const good = await rosterXlsx(NEW_PUPILS);
    const checked = api(page, /^\/api\/roster\/import\?dryRun=true$/, 'POST');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good });
    expect((await checked).status()).toBe(200);
    await page.getByText('校验通过，可以导入').waitFor();
    const imported = api(page, '/api/roster/import', 'POST');
    await page.getByRole('button', { name: btn('确认导入') }).click();
    const result = await (await imported).json();
    expect(result).toMatchObject({ dryRun: false, created: 3 });
    await page.getByText('导入完成').waitFor();
    await shot(page, 'office-import-done');

    // ---- the new pupils are in the roster
    await page.getByRole('button', { name: btn('查看学生名册') }).click();
    await page.waitForURL('**/office/students');
    const found = api(page, /^\/api\/students\?.*q=E2E/);
    await page.getByPlaceholder('姓名或学号').fill('E2E');
    await page.getByPlaceholder('姓名或学号').press('Enter');
    await found;
    for (const p of NEW_PUPILS) await page.locator('tbody tr', { hasText: p.学号 }).waitFor();
    await expect(page.locator('tbody tr.ant-table-row').count()).resolves.toBe(3);
    await shot(page, 'office-students-imported');

    // ---- the audit log shows the reading of the file
    await page.goto('/office/audit?action=student.read');
    const auditRow = page.locator('tbody tr', { hasText: sample.name });
    await auditRow.first().waitFor();
    await expect(auditRow.first().textContent()).resolves.toContain('查看学生档案');
    await shot(page, 'office-audit');

    expect(errors).toEqual([]);
  });
});
