/**
 * The roster through the API: campuses, classes, pupils, guardians, pick-up adults and staff;
 * search and paging; who sees which pupils; the audit trail of every write and every read of a
 * pupil's file; the district's view of its schools.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client';
import { type Client, type Res, type TestEnv, acceptNotice, createTestEnv, describeEachDb, login } from '../../test/harness';
import { type DemoIds, demoIds } from '../../test/route-samples';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, query);
  return Number(row.n);
}

describeEachDb('roster', (kind) => {
  let env: TestEnv;
  let db: Db;
  let ids: DemoIds;
  let admin: Client;
  let admin2: Client;
  let homeroom: Client;
  let teacher: Client;
  let duty: Client;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    ids = await demoIds(db);
    [admin, admin2, homeroom, teacher, duty] = await Promise.all(
      ['admin', 'admin2', 'homeroom', 'teacher', 'duty'].map((n) => login(env.app, n)),
    );
    await teacher.post('/api/auth/context', { kind: 'school', id: ids.s1.school });
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Runs a write (or a pupil read) and checks it left exactly one audit row, by this actor. */
  async function audited(action: string, entityId: string | (() => string), fn: () => Promise<Res>, by = admin): Promise<Res> {
    const before = (await admin.get(`/api/audit?action=${action}&pageSize=1`)).body.total as number;
    const res = await fn();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await admin.get(`/api/audit?action=${action}&pageSize=1`);
    expect(after.body.total, `${action} audited once`).toBe(before + 1);
    const me = (await by.get('/api/auth/me')).body.account.displayName;
    const id = typeof entityId === 'function' ? entityId() : entityId;
    expect(after.body.items[0]).toMatchObject({ action, entityId: id, actorName: me });
    return res;
  }

  describe('campuses', () => {
    it('creates, lists and edits a campus; a duplicate name is 409; a PATCH changes only what it sends', async () => {
      let id = '';
      const created = await audited(
        'campus.create',
        () => id,
        async () => {
          const r = await admin.post('/api/campuses', { name: '北山校区', address: '威海市环翠区北山路 1 号' });
          id = r.body.id;
          return r;
        },
      );
      expect(created.body).toEqual({ id, name: '北山校区', address: '威海市环翠区北山路 1 号' });
      expect((await admin.get('/api/campuses')).body).toContainEqual(created.body);
      const dup = await admin.post('/api/campuses', { name: '北山校区' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('DUPLICATE');

      const renamed = await audited('campus.update', id, () => admin.patch(`/api/campuses/${id}`, { name: '北山分校' }));
      expect(renamed.body).toEqual({ id, name: '北山分校', address: '威海市环翠区北山路 1 号' });
      expect((await admin.patch(`/api/campuses/${id}`, {})).status).toBe(400);
      expect((await admin.patch(`/api/campuses/${crypto.randomUUID()}`, { name: 'x' })).status).toBe(404);
      expect((await admin.post('/api/campuses', { name: 'x'.repeat(51) })).status).toBe(400);
      // another school's office neither sees nor edits it
      expect((await admin2.get('/api/campuses')).body.map((c: { id: string }) => c.id)).not.toContain(id);
      expect((await admin2.patch(`/api/campuses/${id}`, { name: '偷改' })).status).toBe(404);
    });
  });

  describe('classes', () => {
    it('creates a class with a homeroom teacher, keeps it on a rename, and moves pupils’ grade with the class', async () => {
      const created = await admin.post('/api/classes', {
        campusId: ids.s1.campus,
        grade: 3,
        name: '三(21)班',
        homeroomStaffId: ids.s1.staff,
      });
      expect(created.status).toBe(200);
      const classId = created.body.id;
      expect(created.body).toMatchObject({ campusId: ids.s1.campus, grade: 3, name: '三(21)班', homeroomStaffId: ids.s1.staff });
      const listed = (await admin.get(`/api/classes?campusId=${ids.s1.campus}&grade=3`)).body;
      expect(listed.find((c: { id: string }) => c.id === classId)).toMatchObject({
        campusName: '本部',
        homeroomName: expect.any(String),
        studentCount: 0,
      });

      expect((await admin.post('/api/classes', { campusId: ids.s1.campus, grade: 3, name: '三(21)班' })).status).toBe(409);
      expect((await admin.post('/api/classes', { campusId: ids.s2.campus, grade: 3, name: '三(22)班' })).status).toBe(404);
      expect(
        (await admin.post('/api/classes', { campusId: ids.s1.campus, grade: 3, name: '三(22)班', homeroomStaffId: ids.s2.staff })).status,
      ).toBe(404);
      expect((await admin.post('/api/classes', { campusId: ids.s1.campus, grade: 7, name: '七(1)班' })).status).toBe(400);

      const pupil = await admin.post('/api/students', { studentNo: 'T-CLS-1', name: '班级测试', gender: '女', classId });
      expect(pupil.body).toMatchObject({ grade: 3, campusId: ids.s1.campus });

      const renamed = await audited('class.update', classId, () => admin.patch(`/api/classes/${classId}`, { name: '三(23)班' }));
      expect(renamed.body).toMatchObject({ name: '三(23)班', homeroomStaffId: ids.s1.staff, grade: 3 });

      await admin.patch(`/api/classes/${classId}`, { grade: 4 });
      expect((await admin.get(`/api/students/${pupil.body.id}`)).body.grade).toBe(4);
    });
  });

  describe('pupils', () => {
    it('adds a pupil (grade and campus from the class), reads the file, edits it without losing fields, and hides a leaver', async () => {
      let id = '';
      const created = await audited(
        'student.create',
        () => id,
        async () => {
          const r = await admin.post('/api/students', {
            studentNo: 'T-2026-001',
            name: '测试学生',
            gender: '男',
            classId: ids.s1.class,
            address: '威海市环翠区测试路 1 号',
          });
          id = r.body.id;
          return r;
        },
      );
      expect(created.body).toMatchObject({ studentNo: 'T-2026-001', grade: 1, className: '一(1)班', active: true });
      expect(created.body).not.toHaveProperty('address');

      const file = await audited('student.read', id, () => admin.get(`/api/students/${id}`));
      expect(file.body).toMatchObject({
        id,
        name: '测试学生',
        address: '威海市环翠区测试路 1 号',
        guardians: [],
        pickups: [],
        campusName: '本部',
      });

      const dup = await admin.post('/api/students', { studentNo: 'T-2026-001', name: '重复', gender: '女', classId: ids.s1.class });
      expect(dup.status).toBe(409);
      expect(
        (await admin.post('/api/students', { studentNo: 'T-2026-002', name: '外校班', gender: '女', classId: ids.s2.class })).status,
      ).toBe(404);
      expect((await admin.post('/api/students', { studentNo: 'bad no!', name: '学号', gender: '女', classId: ids.s1.class })).status).toBe(
        400,
      );
      expect(
        (await admin.post('/api/students', { studentNo: 'T-2026-003', name: '性别', gender: '未知', classId: ids.s1.class })).status,
      ).toBe(400);

      await audited('student.update', id, () => admin.patch(`/api/students/${id}`, { name: '测试学生乙' }));
      expect((await admin.get(`/api/students/${id}`)).body).toMatchObject({ name: '测试学生乙', address: '威海市环翠区测试路 1 号' });
      expect((await admin.patch(`/api/students/${id}`, {})).status).toBe(400);

      const [other] = (await admin.get('/api/classes?grade=2')).body;
      const moved = await admin.patch(`/api/students/${id}`, { classId: other.id });
      expect(moved.body).toMatchObject({ classId: other.id, grade: 2, campusId: other.campusId });

      await admin.patch(`/api/students/${id}`, { active: false });
      const list = await admin.get(`/api/students?q=T-2026-001`);
      expect(list.body.total).toBe(0);
      const all = await admin.get(`/api/students?q=T-2026-001&includeInactive=true`);
      expect(all.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
      expect(all.body.items[0].active).toBe(false);
    });

    it('searches by name or student number, filters by class and grade, and pages', async () => {
      const total = await count(db, sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s1.school} AND active`);
      const p1 = await admin.get('/api/students?pageSize=5&page=1');
      const p2 = await admin.get('/api/students?pageSize=5&page=2');
      expect(p1.body).toMatchObject({ total, page: 1, pageSize: 5 });
      expect(p1.body.items).toHaveLength(5);
      expect(p2.body.total).toBe(total);
      const ids1 = p1.body.items.map((s: { id: string }) => s.id);
      expect(p2.body.items.some((s: { id: string }) => ids1.includes(s.id))).toBe(false);
      const last = await admin.get(`/api/students?pageSize=5&page=${Math.ceil(total / 5) + 1}`);
      expect(last.body.items).toEqual([]);

      const someone = p2.body.items[0];
      const byName = await admin.get(`/api/students?q=${encodeURIComponent(someone.name)}`);
      expect(byName.body.items.map((s: { id: string }) => s.id)).toContain(someone.id);
      expect(byName.body.items.every((s: { name: string }) => s.name.includes(someone.name))).toBe(true);
      const byNo = await admin.get(`/api/students?q=${someone.studentNo}`);
      expect(byNo.body.items.map((s: { id: string }) => s.id)).toEqual([someone.id]);
      // % and _ are letters in a search, not wildcards
      expect((await admin.get('/api/students?q=%25')).body.total).toBe(0);
      expect((await admin.get('/api/students?q=_')).body.total).toBe(0);

      const inClass = await admin.get(`/api/students?classId=${ids.s1.class}&pageSize=200`);
      const classSize = await count(
        db,
        sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s1.school} AND class_id = ${ids.s1.class} AND active`,
      );
      expect(inClass.body.total).toBe(classSize);
      expect(inClass.body.items.every((s: { classId: string }) => s.classId === ids.s1.class)).toBe(true);
      const grade6 = await admin.get('/api/students?grade=6&pageSize=200');
      expect(grade6.body.total).toBeGreaterThan(0);
      expect(grade6.body.items.every((s: { grade: number }) => s.grade === 6)).toBe(true);
      expect((await admin.get('/api/students?pageSize=500')).status).toBe(400);
      expect((await admin.get('/api/students?grade=9')).status).toBe(400);
      // the list carries no address and no contacts
      expect(p1.body.items[0]).not.toHaveProperty('address');
      expect(p1.body.items[0]).not.toHaveProperty('guardians');
    });
  });

  describe('guardians', () => {
    it('links a guardian by phone, reuses the guardian for a sibling, edits and unlinks', async () => {
      const pupils = (await admin.get(`/api/students?classId=${ids.s1.class}&pageSize=3`)).body.items;
      const [a, b] = pupils;
      const guardiansBefore = await count(db, sql`SELECT count(*) AS n FROM guardians WHERE school_id = ${ids.s1.school}`);
      const first = await audited('guardian.link', a.id, () =>
        admin.post(`/api/students/${a.id}/guardians`, { name: '孙丽', phone: '13655550001', relation: '母亲', isPrimary: true }),
      );
      expect(first.body).toMatchObject({ name: '孙丽', phone: '13655550001', relation: '母亲', isPrimary: true, hasAccount: false });
      const second = await admin.post(`/api/students/${b.id}/guardians`, { name: '孙丽', phone: '13655550001', relation: '母亲' });
      expect(second.body.id).toBe(first.body.id);
      expect(await count(db, sql`SELECT count(*) AS n FROM guardians WHERE school_id = ${ids.s1.school}`)).toBe(guardiansBefore + 1);
      const file = await admin.get(`/api/students/${b.id}`);
      expect(file.body.guardians).toContainEqual(expect.objectContaining({ id: first.body.id, relation: '母亲', isPrimary: false }));

      const edited = await audited('guardian.update', first.body.id, () =>
        admin.patch(`/api/guardians/${first.body.id}`, { name: '孙丽华' }),
      );
      expect(edited.body).toMatchObject({ name: '孙丽华', phone: '13655550001' });
      const taken = await admin.patch(`/api/guardians/${first.body.id}`, { phone: '13900000001' });
      expect(taken.status).toBe(409);
      expect((await admin.post(`/api/students/${a.id}/guardians`, { name: '错', phone: '12345', relation: '母亲' })).status).toBe(400);
      expect((await admin.post(`/api/students/${a.id}/guardians`, { name: '错', phone: '13655550002', relation: '邻居' })).status).toBe(
        400,
      );

      const search = await admin.get('/api/guardians?q=13655550001');
      expect(search.body.items).toEqual([{ id: first.body.id, name: '孙丽华', phone: '13655550001', hasAccount: false }]);

      await audited('guardian.unlink', b.id, () => admin.delete(`/api/students/${b.id}/guardians/${first.body.id}`));
      expect((await admin.delete(`/api/students/${b.id}/guardians/${first.body.id}`)).status).toBe(404);
      expect((await admin.get(`/api/students/${b.id}`)).body.guardians.map((g: { id: string }) => g.id)).not.toContain(first.body.id);
    });
  });

  describe('pick-up adults', () => {
    it('adds one with validity dates and a photo, refuses bad dates and bad photos, edits and deletes', async () => {
      const pupil = ids.s1.pupil;
      const created = await audited('pickup.create', pupil, () =>
        admin.post(`/api/students/${pupil}/pickups`, {
          name: '赵大爷',
          relation: '祖父',
          phone: '13655551111',
          photo: PNG,
          validFrom: '2026-09-01',
          validTo: '2027-01-31',
        }),
      );
      const id = created.body.id;
      expect(created.body).toEqual({
        id,
        studentId: pupil,
        name: '赵大爷',
        relation: '祖父',
        phone: '13655551111',
        photo: PNG,
        validFrom: '2026-09-01',
        validTo: '2027-01-31',
      });
      expect((await admin.get(`/api/students/${pupil}`)).body.pickups).toContainEqual(created.body);

      const base = { name: '钱', relation: '舅舅', phone: '13655551112' };
      for (const bad of [
        { validFrom: '2026-09-02', validTo: '2026-09-01' },
        { validFrom: '2026-02-30' },
        { validTo: '2026-13-01' },
        { validFrom: '01/09/2026' },
        { photo: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' },
        { photo: 'javascript:alert(1)' },
        { photo: 'data:image/png;base64,<script>' },
        { photo: `data:image/png;base64,${'A'.repeat(300_000)}` },
        { phone: '110' },
      ]) {
        const res = await admin.post(`/api/students/${pupil}/pickups`, { ...base, ...bad });
        expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
        expect(res.body.code).toBe('VALIDATION');
      }

      const early = await admin.patch(`/api/pickups/${id}`, { validTo: '2026-08-31' });
      expect(early.status).toBe(400);
      const edited = await audited('pickup.update', pupil, () => admin.patch(`/api/pickups/${id}`, { photo: null, validTo: null }));
      expect(edited.body).toMatchObject({ name: '赵大爷', photo: null, validFrom: '2026-09-01', validTo: null });

      await audited('pickup.delete', pupil, () => admin.delete(`/api/pickups/${id}`));
      expect((await admin.delete(`/api/pickups/${id}`)).status).toBe(404);
      expect((await admin.get(`/api/students/${pupil}`)).body.pickups.map((p: { id: string }) => p.id)).not.toContain(id);
    });
  });

  describe('staff', () => {
    it('adds staff with a vetting status, filters by it, and edits vetting without touching other fields', async () => {
      let id = '';
      const created = await audited(
        'staff.create',
        () => id,
        async () => {
          const r = await admin.post('/api/staff', {
            name: '外聘教练 周',
            phone: '13655552222',
            kind: 'external',
            campusId: ids.s1.campus,
            vettingStatus: 'pending',
          });
          id = r.body.id;
          return r;
        },
      );
      expect(created.body).toMatchObject({
        name: '外聘教练 周',
        kind: 'external',
        campusId: ids.s1.campus,
        vettingStatus: 'pending',
        vettingCheckedOn: null,
        active: true,
        hasAccount: false,
      });
      const pending = await admin.get('/api/staff?vettingStatus=pending&pageSize=200');
      expect(pending.body.items.map((s: { id: string }) => s.id)).toContain(id);
      expect(pending.body.items.every((s: { vettingStatus: string }) => s.vettingStatus === 'pending')).toBe(true);
      const externals = await admin.get('/api/staff?kind=external&pageSize=200');
      expect(externals.body.items.every((s: { kind: string }) => s.kind === 'external')).toBe(true);

      const cleared = await audited('staff.update', id, () =>
        admin.patch(`/api/staff/${id}`, { vettingStatus: 'clear', vettingCheckedOn: '2026-09-01' }),
      );
      expect(cleared.body).toMatchObject({
        name: '外聘教练 周',
        phone: '13655552222',
        kind: 'external',
        campusId: ids.s1.campus,
        vettingStatus: 'clear',
        vettingCheckedOn: '2026-09-01',
        active: true,
      });
      const renamed = await admin.patch(`/api/staff/${id}`, { name: '外聘教练 周明' });
      expect(renamed.body).toMatchObject({ phone: '13655552222', campusId: ids.s1.campus, vettingCheckedOn: '2026-09-01' });

      expect((await admin.post('/api/staff', { name: '未知', kind: 'external', vettingStatus: 'unknown' })).status).toBe(400);
      expect((await admin.post('/api/staff', { name: '未知', kind: 'contractor', vettingStatus: 'clear' })).status).toBe(400);
      expect((await admin.post('/api/staff', { name: '外校', kind: 'own', vettingStatus: 'clear', campusId: ids.s2.campus })).status).toBe(
        404,
      );
      expect((await admin.get('/api/staff?vettingStatus=maybe')).status).toBe(400);
      expect((await admin2.patch(`/api/staff/${id}`, { vettingStatus: 'barred' })).status).toBe(404);
    });
  });

  describe('who sees which pupils', () => {
    it('the homeroom teacher sees only 一(1)班, and gets 404 for a pupil of another class', async () => {
      const classSize = await count(
        db,
        sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s1.school} AND class_id = ${ids.s1.class} AND active`,
      );
      const list = await homeroom.get('/api/students?pageSize=200');
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(classSize);
      expect(list.body.items.every((s: { className: string }) => s.className === '一(1)班')).toBe(true);
      const [other] = await queryRows<{ id: string }>(
        db,
        sql`SELECT id FROM students WHERE school_id = ${ids.s1.school} AND class_id <> ${ids.s1.class} AND active LIMIT 1`,
      );
      const res = await homeroom.get(`/api/students/${other.id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      // own pupil: the full file, with contacts (homeroom holds guardian.read)
      const own = await audited('student.read', ids.s1.classPupil, () => homeroom.get(`/api/students/${ids.s1.classPupil}`), homeroom);
      expect(own.body.address).toEqual(expect.any(String));
      expect(own.body.address).not.toBe('');
      expect(own.body.guardians.length).toBeGreaterThan(0);
      // guardians: only those of the own class
      const gl = await homeroom.get('/api/guardians?pageSize=200');
      const classGuardians = await count(
        db,
        sql`SELECT count(DISTINCT sg.guardian_id) AS n FROM student_guardians sg JOIN students s ON s.school_id = sg.school_id AND s.id = sg.student_id
             WHERE s.school_id = ${ids.s1.school} AND s.class_id = ${ids.s1.class}`,
      );
      expect(gl.body.total).toBe(classGuardians);
      // no writes
      expect((await homeroom.patch(`/api/students/${ids.s1.classPupil}`, { name: '改名' })).status).toBe(403);
    });

    it('the care teacher sees the school’s pupils but not the guardians’ contacts or the address', async () => {
      const total = await count(db, sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s1.school} AND active`);
      const list = await teacher.get('/api/students?pageSize=1');
      expect(list.body.total).toBe(total);
      const file = await audited('student.read', ids.s1.pupil, () => teacher.get(`/api/students/${ids.s1.pupil}`), teacher);
      expect(file.body.guardians).toEqual([]);
      expect(file.body.address).toBeNull();
      expect(file.body.pickups.length).toBeGreaterThan(0); // who may collect the child, for the gate
      expect((await teacher.get('/api/guardians')).status).toBe(403);
    });

    it('the duty leader sees the whole school', async () => {
      const total = await count(db, sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s1.school} AND active`);
      expect((await duty.get('/api/students?pageSize=1')).body.total).toBe(total);
    });

    it('a guardian cannot list pupils (403); another school’s office gets 404 for a school-1 pupil and lists only its own', async () => {
      const guardian = await login(env.app, '13900000001');
      await guardian.post('/api/auth/context', { kind: 'school', id: ids.s1.school });
      await acceptNotice(guardian);
      const res = await guardian.get('/api/students');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect((await guardian.get(`/api/students/${ids.s1.pupil}`)).status).toBe(403);

      const foreign = await admin2.get(`/api/students/${ids.s1.pupil}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('NOT_FOUND');
      const list = await admin2.get('/api/students?pageSize=200');
      const s1Ids = new Set(
        (await queryRows<{ id: string }>(db, sql`SELECT id FROM students WHERE school_id = ${ids.s1.school}`)).map((r) => r.id),
      );
      expect(list.body.items.some((s: { id: string }) => s1Ids.has(s.id))).toBe(false);
      expect(list.body.total).toBe(await count(db, sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s2.school} AND active`));
      // school 2's audit log holds nothing of school 1
      const log = await admin2.get('/api/audit?pageSize=200');
      expect(log.body.items.some((e: { entityId: string }) => s1Ids.has(e.entityId))).toBe(false);
    });
  });

  describe('the audit log', () => {
    it('records who, when and from where; filters by action, entity and actor', async () => {
      const res = await admin.get(`/api/audit?entityId=${ids.s1.pupil}&pageSize=200`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBeGreaterThan(0);
      for (const e of res.body.items) {
        expect(e).toMatchObject({
          entityId: ids.s1.pupil,
          actorName: expect.any(String),
          at: expect.any(String),
          role: expect.any(String),
        });
        expect(Date.parse(e.at)).not.toBeNaN();
      }
      const byTeacher = await admin.get(`/api/audit?actor=${encodeURIComponent('李晓东')}&action=student.read`);
      expect(byTeacher.body.total).toBeGreaterThan(0);
      expect(byTeacher.body.items.every((e: { actorName: string }) => e.actorName.includes('李晓东'))).toBe(true);
      const today = new Date().toISOString().slice(0, 10);
      expect((await admin.get(`/api/audit?from=2020-01-01&to=${today}`)).status).toBe(200);
      expect((await admin.get('/api/audit?from=2026-02-30')).status).toBe(400);
      expect((await homeroom.get('/api/audit')).status).toBe(403);
    });
  });

  describe('the district bureau', () => {
    it('lists its 2 schools with their size, and cannot read pupils', async () => {
      const district = await login(env.app, 'district');
      const res = await district.get('/api/district/schools');
      expect(res.status).toBe(200);
      expect(res.body.map((s: { code: string }) => s.code).sort()).toEqual(['HC-DE', 'HC-SY']);
      const s1 = res.body.find((s: { code: string }) => s.code === 'HC-SY');
      expect(s1).toMatchObject({
        id: ids.s1.school,
        name: '环翠区实验小学',
        campuses: await count(db, sql`SELECT count(*) AS n FROM campuses WHERE school_id = ${ids.s1.school}`),
        students: await count(db, sql`SELECT count(*) AS n FROM students WHERE school_id = ${ids.s1.school} AND active`),
      });
      expect((await district.get('/api/district')).body).toMatchObject({ code: 'WH-HC' });
      for (const url of ['/api/students', `/api/students/${ids.s1.pupil}`, '/api/guardians', '/api/audit', '/api/school']) {
        expect((await district.get(url)).status, url).toBe(403);
      }
      // adds and edits a school; an edit changes only the fields sent
      const created = await district.post('/api/district/schools', {
        code: 'HC-XX',
        name: '环翠区新建小学',
        address: '新城路 1 号',
        phone: '0631-5200000',
      });
      expect(created.status).toBe(200);
      expect((await district.post('/api/district/schools', { code: 'HC-XX', name: '重复' })).status).toBe(409);
      const edited = await district.patch(`/api/district/schools/${created.body.id}`, { phone: '0631-5200001' });
      expect(edited.body).toMatchObject({ name: '环翠区新建小学', address: '新城路 1 号', phone: '0631-5200001' });
      expect((await district.get('/api/district/schools')).body).toHaveLength(3);
      // the office cannot edit schools through the district routes
      expect((await admin.patch(`/api/district/schools/${ids.s1.school}`, { name: '改名' })).status).toBe(403);
    });
  });
});
