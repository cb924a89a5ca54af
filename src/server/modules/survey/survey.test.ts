/**
 * The needs survey through the API: the office's survey life cycle, the guardian's answer per own
 * child (consent, scope, open window, validation, upsert), the homeroom teacher's class view, the
 * office's demand against a direct count in SQL, the export, the permission gate and the audit.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOTS, WEEKDAYS } from '../../../shared/plans';
import { type Db, queryRows } from '../../db/client';
import { acceptNotice, type Client, createTestEnv, describeEachDb, login, type TestEnv } from '../../test/harness';
import { demoSurveyId } from './demo';

const one = async <T>(db: Db, q: ReturnType<typeof sql>): Promise<T> => (await queryRows<T>(db, q))[0];

const ANSWER = {
  days: { afternoon: [1, 2, 3, 4, 5], late: [5], noon: [1, 3] },
  interests: ['sport', 'arts'],
  pickupTime: '17:30',
  lunch: true,
  note: '周五奶奶接',
};

describeEachDb('needs survey', (kind) => {
  let env: TestEnv;
  let db: Db;
  let school1: string;
  let school2: string;
  let termId: string;
  let homeroomClass: string;
  let ownChild: string;
  let otherPupil: string;
  let childInSchool2: string;
  let admin: Client;
  let admin2: Client;
  let homeroom: Client;
  let teacher: Client;
  let duty: Client;
  let district: Client;
  let guardian: Client;
  let surveyId: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    school1 = (await one<{ id: string }>(db, sql`SELECT id FROM schools WHERE code = 'HC-SY'`)).id;
    school2 = (await one<{ id: string }>(db, sql`SELECT id FROM schools WHERE code = 'HC-DE'`)).id;
    termId = (await one<{ id: string }>(db, sql`SELECT id FROM terms WHERE school_id = ${school1} ORDER BY starts_on LIMIT 1`)).id;
    homeroomClass = (
      await one<{ id: string }>(
        db,
        sql`SELECT c.id FROM classes c JOIN staff s ON s.school_id = c.school_id AND s.id = c.homeroom_staff_id
             JOIN accounts a ON a.id = s.account_id WHERE a.username = 'homeroom'`,
      )
    ).id;
    const childOf = (schoolId: string) =>
      one<{ id: string }>(
        db,
        sql`SELECT s.id FROM students s JOIN student_guardians sg ON sg.school_id = s.school_id AND sg.student_id = s.id
             JOIN guardians g ON g.school_id = sg.school_id AND g.id = sg.guardian_id
            WHERE s.school_id = ${schoolId} AND g.phone = '13900000001'`,
      );
    ownChild = (await childOf(school1)).id;
    childInSchool2 = (await childOf(school2)).id;
    otherPupil = (
      await one<{ id: string }>(
        db,
        sql`SELECT id FROM students WHERE school_id = ${school1} AND class_id = ${homeroomClass} AND id <> ${ownChild} LIMIT 1`,
      )
    ).id;
    [admin, admin2, homeroom, teacher, duty, district, guardian] = await Promise.all(
      ['admin', 'admin2', 'homeroom', 'teacher', 'duty', 'district', '13900000001'].map((n) => login(env.app, n)),
    );
    await teacher.post('/api/auth/context', { kind: 'school', id: school1 });
    await guardian.post('/api/auth/context', { kind: 'school', id: school1 });
  });
  afterAll(async () => {
    await env?.close();
  });

  const auditCount = async (action: string, entityId: string) =>
    Number(
      (await one<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND entity_id = ${entityId}`)).n,
    );

  describe('the demo', () => {
    it('has an open survey in school 1 answered by most families of grades 1–3, not by the demo parent', async () => {
      const id = await demoSurveyId(db, school1);
      expect(id).toBeTruthy();
      const res = await admin.get(`/api/surveys/${id}/demand`);
      expect(res.status).toBe(200);
      expect(res.body.survey.accepting).toBe(true);
      expect(res.body.answered).toBeGreaterThan(0);
      const answered = (res.body.classes as { grade: number; answered: number }[]).filter((c) => c.answered > 0);
      expect(answered.every((c) => c.grade <= 3)).toBe(true);
      const mine = await one<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM survey_answers WHERE student_id = ${ownChild}`);
      expect(mine.n).toBe(0);
    });
  });

  describe('office: the survey life cycle', () => {
    it('creates a draft (audited), which guardians cannot see', async () => {
      const list = await admin.get('/api/surveys');
      expect(list.status).toBe(200);
      expect(list.body.terms.map((t: { id: string }) => t.id)).toContain(termId);
      const res = await admin.post('/api/surveys', { termId, title: '测试问卷', intro: '请如实填写' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ title: '测试问卷', status: 'draft', accepting: false, termId });
      surveyId = res.body.id;
      expect(await auditCount('survey.create', surveyId)).toBe(1);
      await acceptNotice(guardian);
      expect((await guardian.get(`/api/family/surveys/${surveyId}`)).status).toBe(404);
      expect((await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, ANSWER)).status).toBe(404);
      expect((await guardian.get('/api/family/surveys')).body.map((s: { id: string }) => s.id)).not.toContain(surveyId);
    });

    it('refuses a term of another school, a closing time in the past, and bad input', async () => {
      const term2 = await one<{ id: string } | undefined>(db, sql`SELECT id FROM terms WHERE school_id = ${school2} LIMIT 1`);
      if (term2) expect((await admin.post('/api/surveys', { termId: term2.id, title: 'x' })).status).toBe(404);
      expect((await admin.post('/api/surveys', { termId: crypto.randomUUID(), title: 'x' })).status).toBe(404);
      const past = await admin.post('/api/surveys', { termId, title: 'x', closesAt: '2020-01-01T00:00:00+08:00' });
      expect(past).toMatchObject({ status: 400, body: { code: 'SURVEY_CLOSES_AT_PAST' } });
      for (const body of [
        { termId, title: '' },
        { termId: 'nope', title: 'x' },
        { termId, title: 'x', closesAt: '明天' },
        { title: 'x' },
      ]) {
        const r = await admin.post('/api/surveys', body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.code).toBe('VALIDATION');
      }
      expect((await admin.patch(`/api/surveys/${surveyId}`, {})).status).toBe(400);
    });

    it('edits, opens (audited), and another school cannot see it', async () => {
      const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const edited = await admin.patch(`/api/surveys/${surveyId}`, { title: '测试问卷（修订）', closesAt });
      expect(edited.status).toBe(200);
      expect(edited.body.title).toBe('测试问卷（修订）');
      const opened = await admin.post(`/api/surveys/${surveyId}/open`);
      expect(opened.body).toMatchObject({ status: 'open', accepting: true });
      expect(await auditCount('survey.open', surveyId)).toBe(1);
      expect((await admin.delete(`/api/surveys/${surveyId}`)).body.code).toBe('SURVEY_NOT_DRAFT');
      expect((await admin2.get(`/api/surveys/${surveyId}`)).status).toBe(404);
      expect((await admin2.get(`/api/surveys/${surveyId}/demand`)).status).toBe(404);
      expect((await admin2.post(`/api/surveys/${surveyId}/close`)).status).toBe(404);
    });
  });

  describe('guardian: one answer per own child', () => {
    it('needs the data notice first (403 CONSENT_REQUIRED)', async () => {
      const fresh = await login(env.app, '13900000001');
      await fresh.post('/api/auth/context', { kind: 'school', id: school2 });
      // School 2 has its own notice to accept; nothing was accepted there yet.
      expect((await fresh.get('/api/family/surveys')).body.code).toBe('CONSENT_REQUIRED');
      const put = await fresh.send('PUT', `/api/family/children/${childInSchool2}/surveys/${surveyId}`, ANSWER);
      expect(put).toMatchObject({ status: 403, body: { code: 'CONSENT_REQUIRED' } });
    });

    it('lists the open survey with the child not yet answered, then answers (audited)', async () => {
      const list = await guardian.get('/api/family/surveys');
      const s = list.body.find((x: { id: string }) => x.id === surveyId);
      expect(s.children).toEqual([expect.objectContaining({ id: ownChild, answeredAt: null })]);
      const res = await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, ANSWER);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.answer).toMatchObject({
        days: { noon: [1, 3], afternoon: [1, 2, 3, 4, 5], late: [5] },
        lunch: true,
        pickupTime: '17:30',
      });
      expect(await auditCount('survey.answer', ownChild)).toBe(1);
      const again = await guardian.get(`/api/family/surveys/${surveyId}`);
      expect(again.body.children[0].answer).toMatchObject({ interests: ['sport', 'arts'], note: '周五奶奶接' });
    });

    it('changes the answer in place (upsert keeps one row), normalising the days', async () => {
      const res = await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, {
        days: { afternoon: [5, 1, 1, 3], morning: [] },
        interests: ['reading', 'reading'],
      });
      expect(res.status).toBe(200);
      expect(res.body.answer).toMatchObject({
        days: { afternoon: [1, 3, 5] },
        interests: ['reading'],
        pickupTime: null,
        lunch: false,
        note: '',
      });
      const n = await one<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM survey_answers WHERE survey_id = ${surveyId} AND student_id = ${ownChild}`,
      );
      expect(n.n).toBe(1);
      expect(await auditCount('survey.answer_update', ownChild)).toBe(1);
    });

    it("another family's pupil, a child of another school, or a made-up id is 404", async () => {
      for (const id of [otherPupil, childInSchool2, crypto.randomUUID()]) {
        const r = await guardian.send('PUT', `/api/family/children/${id}/surveys/${surveyId}`, ANSWER);
        expect(r.status, id).toBe(404);
        expect(r.body.code).toBe('NOT_FOUND');
      }
      const none = await one<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM survey_answers WHERE survey_id = ${surveyId} AND student_id = ${otherPupil}`,
      );
      expect(none.n).toBe(0);
    });

    it('bad input is 400, never 500, and writes nothing', async () => {
      const url = `/api/family/children/${ownChild}/surveys/${surveyId}`;
      const bad: unknown[] = [
        { days: { afternoon: [6] } },
        { days: { afternoon: [0] } },
        { days: { afternoon: [1.5] } },
        { days: { afternoon: ['1'] } },
        { days: { evening: [1] } },
        { days: { afternoon: [1, 2, 3, 4, 5, 1] } },
        { days: [] },
        { days: null },
        {},
        { days: {}, pickupTime: '25:00' },
        { days: {}, pickupTime: '7:30' },
        { days: {}, pickupTime: '17:30:00' },
        { days: {}, interests: ['chess'] },
        { days: {}, lunch: 'yes' },
        { days: {}, note: 'x'.repeat(501) },
        { days: {}, note: 'a\u0000b' },
      ];
      const before = await one<{ d: unknown }>(
        db,
        sql`SELECT days AS d FROM survey_answers WHERE survey_id = ${surveyId} AND student_id = ${ownChild}`,
      );
      for (const body of bad) {
        const r = await guardian.send('PUT', url, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.code).toBe('VALIDATION');
      }
      expect((await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/not-a-uuid`, ANSWER)).status).toBe(400);
      const after = await one<{ d: unknown }>(
        db,
        sql`SELECT days AS d FROM survey_answers WHERE survey_id = ${surveyId} AND student_id = ${ownChild}`,
      );
      expect(after.d).toEqual(before.d);
    });
  });

  describe('homeroom: my class', () => {
    it('sees only their class, with the right list of pupils who have not answered', async () => {
      const pupils = await queryRows<{ id: string }>(
        db,
        sql`SELECT id FROM students WHERE school_id = ${school1} AND class_id = ${homeroomClass} AND active`,
      );
      for (const id of [surveyId, (await demoSurveyId(db, school1)) as string]) {
        const res = await homeroom.get(`/api/surveys/${id}/answers`);
        expect(res.status).toBe(200);
        const answeredInDb = await queryRows<{ id: string }>(
          db,
          sql`SELECT a.student_id AS id FROM survey_answers a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
               WHERE a.survey_id = ${id} AND s.class_id = ${homeroomClass} AND s.active`,
        );
        const all = [...res.body.answered, ...res.body.missing] as { studentId: string; classId: string }[];
        expect(all.every((p) => p.classId === homeroomClass)).toBe(true);
        expect(new Set(all.map((p) => p.studentId))).toEqual(new Set(pupils.map((p) => p.id)));
        expect(new Set(res.body.answered.map((p: { studentId: string }) => p.studentId))).toEqual(new Set(answeredInDb.map((p) => p.id)));
        const answered = new Set(answeredInDb.map((p) => p.id));
        expect(new Set(res.body.missing.map((p: { studentId: string }) => p.studentId))).toEqual(
          new Set(pupils.filter((p) => !answered.has(p.id)).map((p) => p.id)),
        );
        // a phone number to call for each missing answer
        expect(res.body.missing.every((m: { guardian: { phone: string } | null }) => /^1\d{10}$/.test(m.guardian?.phone ?? ''))).toBe(true);
        const demand = await homeroom.get(`/api/surveys/${id}/demand`);
        expect(demand.body.classes).toEqual([
          expect.objectContaining({ classId: homeroomClass, pupils: pupils.length, answered: answered.size }),
        ]);
        const wed = await one<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM survey_answers a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
               WHERE a.survey_id = ${id} AND s.class_id = ${homeroomClass} AND s.active AND (a.days -> 'afternoon') @> '3'::jsonb`,
        );
        const cell = demand.body.demand.cells.find(
          (c: { weekday: number; slot: string; band: string }) => c.weekday === 3 && c.slot === 'afternoon' && c.band === 'low',
        );
        expect(cell.pupils).toBe(wed.n);
      }
      // the demo class has answers and gaps
      const demo = await homeroom.get(`/api/surveys/${await demoSurveyId(db, school1)}/answers`);
      expect(demo.body.answered.length).toBeGreaterThan(0);
    });

    it('another class is 404; the office can look at any class', async () => {
      const other = await one<{ id: string }>(
        db,
        sql`SELECT id FROM classes WHERE school_id = ${school1} AND id <> ${homeroomClass} LIMIT 1`,
      );
      expect((await homeroom.get(`/api/surveys/${surveyId}/answers?classId=${other.id}`)).status).toBe(404);
      expect((await homeroom.get(`/api/surveys/${surveyId}/answers?classId=${homeroomClass}`)).status).toBe(200);
      const office = await admin.get(`/api/surveys/${surveyId}/answers?classId=${other.id}`);
      expect(office.status).toBe(200);
      expect([...office.body.answered, ...office.body.missing].every((p: { classId: string }) => p.classId === other.id)).toBe(true);
    });
  });

  describe('office: demand', () => {
    it('equals a direct count in SQL, per weekday × slot × band, with groups of at most 35', async () => {
      const id = (await demoSurveyId(db, school1)) as string;
      const res = await admin.get(`/api/surveys/${id}/demand`);
      expect(res.status).toBe(200);
      const { demand } = res.body;
      expect(demand.rules.maxGroupSize).toBe(35);
      for (const weekday of WEEKDAYS)
        for (const slot of SLOTS)
          for (const band of ['low', 'high'] as const) {
            const direct = await one<{ n: number }>(
              db,
              sql`SELECT count(*)::int AS n FROM survey_answers a JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
                   WHERE a.survey_id = ${id} AND s.active AND (a.days -> ${slot}) @> to_jsonb(${weekday}::int)
                     AND ${band === 'low' ? sql`s.grade <= 2` : sql`s.grade >= 3`}`,
            );
            const cell = demand.cells.find(
              (c: { weekday: number; slot: string; band: string }) => c.weekday === weekday && c.slot === slot && c.band === band,
            );
            expect(cell.pupils, `${weekday} ${slot} ${band}`).toBe(direct.n);
            expect(cell.groups).toBe(Math.ceil(direct.n / 35));
          }
      const answers = await one<{ n: number; lunch: number }>(
        db,
        sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE a.lunch)::int AS lunch FROM survey_answers a
             JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id WHERE a.survey_id = ${id} AND s.active`,
      );
      expect(res.body.answered).toBe(answers.n);
      expect(demand.lunch).toBe(answers.lunch);
      const pupils = await one<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM students WHERE school_id = ${school1} AND active`);
      expect(res.body.pupils).toBe(pupils.n);
      expect(res.body.classes.reduce((n: number, c: { pupils: number }) => n + c.pupils, 0)).toBe(pupils.n);
      for (const day of demand.days) if (day.peakGroups > 0) expect(day.duty).toBeGreaterThanOrEqual(2);
    });

    it('goes up by one when a guardian answers for a pupil of that weekday and slot', async () => {
      const cellOf = async () =>
        (await admin.get(`/api/surveys/${surveyId}/demand`)).body.demand.cells.find(
          (c: { weekday: number; slot: string; band: string }) => c.weekday === 2 && c.slot === 'late' && c.band === 'low',
        ).pupils as number;
      const before = await cellOf();
      await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, { days: { afternoon: [2], late: [2] } });
      expect(await cellOf()).toBe(before + 1);
    });

    it('exports the demand table and the answers to .xlsx (audited); the homeroom export holds their class only', async () => {
      const res = await admin.get(`/api/surveys/${surveyId}/export.xlsx`);
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toContain('spreadsheetml');
      expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw as never);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['需求汇总', '各班回收率', '答卷明细', '未填写名单']);
      expect(wb.getWorksheet('答卷明细')?.rowCount).toBe(2);
      expect(await auditCount('survey.export', surveyId)).toBe(1);
      const hr = await homeroom.get(`/api/surveys/${surveyId}/export.xlsx`);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(hr.raw as never);
      const classes = new Set<string>();
      wb2.getWorksheet('未填写名单')?.eachRow((row, i) => {
        if (i > 1) classes.add(String(row.getCell(1).value));
      });
      expect(classes.size).toBe(1);
    });
  });

  describe('closing', () => {
    it('a closed survey takes no answers (409 SURVEY_CLOSED); nor does one past its closing time', async () => {
      const closed = await admin.post(`/api/surveys/${surveyId}/close`);
      expect(closed.body).toMatchObject({ status: 'closed', accepting: false });
      expect(await auditCount('survey.close', surveyId)).toBe(1);
      const put = await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, ANSWER);
      expect(put).toMatchObject({ status: 409, body: { code: 'SURVEY_CLOSED' } });
      // still readable, read-only
      expect((await guardian.get(`/api/family/surveys/${surveyId}`)).body.accepting).toBe(false);
      await admin.post(`/api/surveys/${surveyId}/open`);
      await db.execute(sql`UPDATE surveys SET closes_at = now() - interval '1 minute' WHERE id = ${surveyId}`);
      const late = await guardian.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, ANSWER);
      expect(late).toMatchObject({ status: 409, body: { code: 'SURVEY_CLOSED' } });
      expect((await admin.post(`/api/surveys/${surveyId}/close`)).status).toBe(200);
      expect((await admin.post(`/api/surveys/${surveyId}/open`)).body.code).toBe('SURVEY_CLOSES_AT_PAST');
    });

    it('a draft can be deleted (audited)', async () => {
      const d = await admin.post('/api/surveys', { termId, title: '草稿' });
      expect((await admin.post(`/api/surveys/${d.body.id}/close`)).body.code).toBe('SURVEY_NOT_OPEN');
      expect((await admin.delete(`/api/surveys/${d.body.id}`)).status).toBe(200);
      expect((await admin.get(`/api/surveys/${d.body.id}`)).status).toBe(404);
      expect(await auditCount('survey.delete', d.body.id)).toBe(1);
    });
  });

  describe('the permission gate', () => {
    it('care teachers, duty leaders and the district get 403 on the survey; guardians on the office side; the office cannot answer', async () => {
      const reads = [
        '/api/surveys',
        `/api/surveys/${surveyId}`,
        `/api/surveys/${surveyId}/answers`,
        `/api/surveys/${surveyId}/demand`,
        `/api/surveys/${surveyId}/export.xlsx`,
      ];
      for (const c of [teacher, duty, district, guardian])
        for (const url of reads) {
          const r = await c.get(url);
          expect(r.status, url).toBe(403);
          expect(r.body.code).toBe('FORBIDDEN');
        }
      for (const c of [teacher, duty, district, guardian, homeroom]) {
        expect((await c.post('/api/surveys', { termId, title: 'x' })).status).toBe(403);
        expect((await c.post(`/api/surveys/${surveyId}/open`)).status).toBe(403);
        expect((await c.patch(`/api/surveys/${surveyId}`, { title: 'x' })).status).toBe(403);
      }
      for (const c of [admin, homeroom, teacher, duty, district]) {
        expect((await c.send('PUT', `/api/family/children/${ownChild}/surveys/${surveyId}`, ANSWER)).status).toBe(403);
        expect((await c.get('/api/family/surveys')).status).toBe(403);
      }
    });
  });
});
