/**
 * The demo district: deterministic, loaded into a new embedded data directory by `npm start` and
 * anywhere by `npm run demo`. Two schools (one with two campuses), ~1,200 pupils in grades 1–6,
 * guardians (each can log in with their phone), pick-up adults, homeroom and care teachers, duty
 * leaders, external coaches and volunteers, and the named demo accounts in DEMO_ACCOUNTS.
 */
import { eq } from 'drizzle-orm';
import { hashPassword } from '../../auth/passwords';
import type { Db } from '../client';
import * as t from '../schema';
import { ADULT_GIVEN, COMMUNITIES, FEMALE_GIVEN, GIVEN, MALE_GIVEN, STREETS, SURNAMES } from './names';
import { type DemoContext, DEMO_EXTENSIONS } from './extensions';
import { type Rng, rng, uuidFrom } from './random';

export const DEMO_PASSWORD = 'kehou123';
export const DEMO_DISTRICT_CODE = 'WH-HC';

export interface DemoAccount {
  login: string;
  who: string;
  school: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: 'admin', who: '学校管理办公室（实验小学）', school: '环翠区实验小学' },
  { login: 'admin2', who: '学校管理办公室（第二实验小学）', school: '环翠区第二实验小学' },
  { login: 'homeroom', who: '班主任 一(1)班', school: '环翠区实验小学' },
  { login: 'teacher', who: '托管教师；也是第二实验小学的家长', school: '环翠区实验小学' },
  { login: 'duty', who: '值班领导', school: '环翠区实验小学' },
  { login: '13900000001', who: '家长（两个孩子，在两所学校）', school: '两校' },
  { login: 'district', who: '区教育局', school: '环翠区' },
];

interface SchoolSpec {
  code: string;
  name: string;
  address: string;
  phone: string;
  campuses: { name: string; classesPerGrade: number }[];
  perClass: number;
}

const SCHOOLS: SchoolSpec[] = [
  {
    code: 'HC-SY',
    name: '环翠区实验小学',
    address: '威海市环翠区文化中路 88 号',
    phone: '0631-5201234',
    campuses: [
      { name: '本部', classesPerGrade: 3 },
      { name: '南山校区', classesPerGrade: 1 },
    ],
    perClass: 30,
  },
  {
    code: 'HC-DE',
    name: '环翠区第二实验小学',
    address: '威海市环翠区青岛北路 16 号',
    phone: '0631-5205678',
    campuses: [{ name: '本部', classesPerGrade: 2 }],
    perClass: 40,
  },
];

const GRADE_CN = ['', '一', '二', '三', '四', '五', '六'];

export interface SeedOptions {
  /** pupils per class are multiplied by this (tests use a smaller district) */
  scale?: number;
  /** the demo's "today" (terms and days are placed around it) */
  today?: Date;
}

export async function demoExists(db: Db): Promise<boolean> {
  const rows = await db.select({ id: t.districts.id }).from(t.districts).where(eq(t.districts.code, DEMO_DISTRICT_CODE));
  return rows.length > 0;
}

export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<{ students: number; guardians: number }> {
  const r = rng(20260901);
  const hash = await hashPassword(DEMO_PASSWORD);
  const id = () => uuidFrom(r);
  const rows = {
    accounts: [] as (typeof t.accounts.$inferInsert)[],
    schoolRoles: [] as (typeof t.schoolRoles.$inferInsert)[],
    campuses: [] as (typeof t.campuses.$inferInsert)[],
    staff: [] as (typeof t.staff.$inferInsert)[],
    classes: [] as (typeof t.classes.$inferInsert)[],
    students: [] as (typeof t.students.$inferInsert)[],
    guardians: [] as (typeof t.guardians.$inferInsert)[],
    links: [] as (typeof t.studentGuardians.$inferInsert)[],
    pickups: [] as (typeof t.pickupPersons.$inferInsert)[],
  };
  const account = (username: string | null, phone: string | null, displayName: string) => {
    const a = { id: id(), username, phone, displayName, passwordHash: hash };
    rows.accounts.push(a);
    return a.id;
  };

  const districtId = id();
  const districtAccount = account('district', null, '环翠区教育局 督导科');
  const named = {
    admin: account('admin', null, '实验小学 办公室 周主任'),
    admin2: account('admin2', null, '第二实验小学 办公室 吴主任'),
    homeroom: account('homeroom', null, '王丽华老师'),
    teacher: account('teacher', '13800000002', '李晓东老师'),
    duty: account('duty', null, '陈建国（值班领导）'),
    parent: account(null, '13900000001', '张秀英'),
  };

  let phoneSeq = 13_910_000_000;
  const schoolIds: string[] = [];
  for (const [si, spec] of SCHOOLS.entries()) {
    const schoolId = id();
    schoolIds.push(schoolId);
    const role = (accountId: string, ...roles: string[]) => {
      for (const rl of roles) rows.schoolRoles.push({ schoolId, accountId, role: rl });
    };
    const staffMember = (name: string, kind: string, campusId: string | null, accountId: string | null = null, vetting = 'clear') => {
      const s = {
        schoolId,
        id: id(),
        accountId,
        campusId,
        name,
        phone: `1370000${String(rows.staff.length).padStart(4, '0')}`,
        kind,
        vettingStatus: vetting,
        vettingCheckedOn: vetting === 'pending' ? null : '2026-08-20',
      };
      rows.staff.push(s);
      return s.id;
    };
    const adultName = () => r.pick(SURNAMES) + r.pick(ADULT_GIVEN);

    for (const [ci, cspec] of spec.campuses.entries()) {
      const campusId = id();
      rows.campuses.push({ schoolId, id: campusId, name: cspec.name, address: ci === 0 ? spec.address : '威海市环翠区南山路 9 号' });
      for (let grade = 1; grade <= 6; grade++) {
        for (let k = 1; k <= cspec.classesPerGrade; k++) {
          const classNo = cspec.name === '本部' ? k : k + 10;
          const isDemoHomeroom = si === 0 && ci === 0 && grade === 1 && k === 1;
          const hrAccount = isDemoHomeroom ? named.homeroom : null;
          const hrStaff = staffMember(isDemoHomeroom ? '王丽华' : adultName(), 'own', campusId, hrAccount);
          // homeroom only: the care-teacher role would widen her scope to every pupil of the campus
          if (hrAccount) role(hrAccount, 'homeroom');
          const classId = id();
          rows.classes.push({ schoolId, id: classId, campusId, grade, name: `${GRADE_CN[grade]}(${classNo})班`, homeroomStaffId: hrStaff });
          const n = Math.max(2, Math.round(spec.perClass * (opts.scale ?? 1)));
          for (let p = 1; p <= n; p++)
            addPupil(r, {
              schoolId,
              campusId,
              classId,
              grade,
              seq: `${2026 - grade + 1}${si + 1}${ci}${grade}${String(k).padStart(2, '0')}${String(p).padStart(2, '0')}`,
            });
        }
      }
      // care teachers, duty leaders, externals and volunteers per campus
      for (let i = 0; i < (ci === 0 ? 10 : 4); i++) staffMember(adultName(), 'own', campusId);
      for (let i = 0; i < (ci === 0 ? 3 : 1); i++) staffMember(adultName(), 'external', campusId, null, i === 2 ? 'pending' : 'clear');
      staffMember(adultName(), 'volunteer', campusId);
    }
    staffMember(adultName(), 'external', null, null, 'barred');
    for (let i = 0; i < 4; i++) staffMember(adultName(), 'own', null);

    if (si === 0) {
      role(named.admin, 'school_admin');
      staffMember('李晓东', 'own', null, named.teacher);
      role(named.teacher, 'teacher');
      staffMember('陈建国', 'own', null, named.duty);
      role(named.duty, 'duty');
    } else {
      role(named.admin2, 'school_admin');
    }
  }

  function addPupil(r: Rng, c: { schoolId: string; campusId: string; classId: string; grade: number; seq: string }) {
    const surname = r.pick(SURNAMES);
    const studentId = id();
    const gender = r.chance(0.5) ? '男' : '女';
    rows.students.push({
      schoolId: c.schoolId,
      id: studentId,
      studentNo: c.seq,
      name: surname + r.pick(GIVEN) + (r.chance(0.6) ? r.pick(GIVEN) : ''),
      gender,
      grade: c.grade,
      classId: c.classId,
      campusId: c.campusId,
      address: `威海市环翠区${r.pick(STREETS)}${r.int(1, 200)}号${r.pick(COMMUNITIES)}${r.int(1, 30)}号楼${r.int(1, 6)}单元${r.int(101, 1802)}`,
    });
    const parents: [string, string][] = [
      ['父亲', surname + r.pick(MALE_GIVEN)],
      ['母亲', r.pick(SURNAMES) + r.pick(FEMALE_GIVEN)],
    ];
    const count = r.chance(0.75) ? 2 : 1;
    for (let g = 0; g < count; g++) {
      const phone = String(phoneSeq++);
      const accountId = account(null, phone, parents[g][1]);
      const guardianId = id();
      rows.guardians.push({ schoolId: c.schoolId, id: guardianId, accountId, name: parents[g][1], phone });
      rows.links.push({ schoolId: c.schoolId, studentId, guardianId, relation: parents[g][0], isPrimary: g === 0 });
      rows.schoolRoles.push({ schoolId: c.schoolId, accountId, role: 'guardian' });
      rows.pickups.push({ schoolId: c.schoolId, id: id(), studentId, name: parents[g][1], relation: parents[g][0], phone });
    }
    if (r.chance(0.6)) {
      const relation = r.pick(['祖父', '祖母', '外祖父', '外祖母']);
      const male = relation.endsWith('父');
      const grandSurname = relation === '祖父' ? surname : r.pick(SURNAMES);
      rows.pickups.push({
        schoolId: c.schoolId,
        id: id(),
        studentId,
        name: grandSurname + (male ? r.pick(MALE_GIVEN) : r.pick(FEMALE_GIVEN)),
        relation,
        phone: String(phoneSeq++),
      });
    }
  }

  // The demo parent: one child in each school; the demo care teacher is a parent at school two.
  // A grade-1 pupil whose only registered guardian is the father, so the demo mother completes the family.
  const firstClassPupil = (schoolId: string, skip = 0) =>
    rows.students.filter((s) => s.schoolId === schoolId && s.grade === 1 && rows.links.filter((l) => l.studentId === s.id).length === 1)[
      skip
    ] as typeof t.students.$inferInsert;
  const linkParent = (
    schoolId: string,
    accountId: string,
    name: string,
    phone: string,
    relation: string,
    pupil = firstClassPupil(schoolId),
  ) => {
    const guardianId = id();
    rows.guardians.push({ schoolId, id: guardianId, accountId, name, phone });
    rows.links.push({ schoolId, studentId: pupil.id as string, guardianId, relation, isPrimary: true });
    rows.schoolRoles.push({ schoolId, accountId, role: 'guardian' });
    rows.pickups.push({ schoolId, id: id(), studentId: pupil.id as string, name, relation, phone });
  };
  linkParent(schoolIds[0], named.parent, '张秀英', '13900000001', '母亲');
  linkParent(schoolIds[1], named.parent, '张秀英', '13900000001', '母亲');
  // The teacher's child at school two: the registered father becomes the mother's record, the teacher is the father.
  const teachersChild = firstClassPupil(schoolIds[1], 1);
  const link = rows.links.find((l) => l.studentId === teachersChild.id);
  const mother = rows.guardians.find((g) => g.id === link?.guardianId);
  if (link && mother) {
    link.relation = '母亲';
    mother.name = `${r.pick(SURNAMES)}${r.pick(FEMALE_GIVEN)}`;
    for (const p of rows.pickups)
      if (p.studentId === teachersChild.id && p.phone === mother.phone) Object.assign(p, { relation: '母亲', name: mother.name });
    const acc = rows.accounts.find((a) => a.phone === mother.phone);
    if (acc) acc.displayName = mother.name;
  }
  linkParent(schoolIds[1], named.teacher, '李晓东', '13800000002', '父亲', teachersChild);

  await db.transaction(async (tx) => {
    await tx.insert(t.districts).values({ id: districtId, code: DEMO_DISTRICT_CODE, name: '威海市环翠区教育局' });
    for (const [i, spec] of SCHOOLS.entries()) {
      await tx
        .insert(t.schools)
        .values({ id: schoolIds[i], districtId, code: spec.code, name: spec.name, address: spec.address, phone: spec.phone });
    }
    await insertChunks(tx, t.accounts, rows.accounts);
    await tx.insert(t.districtRoles).values({ districtId, accountId: districtAccount });
    await insertChunks(tx, t.schoolRoles, rows.schoolRoles, true);
    await insertChunks(tx, t.campuses, rows.campuses);
    await insertChunks(tx, t.staff, rows.staff);
    await insertChunks(tx, t.classes, rows.classes);
    await insertChunks(tx, t.students, rows.students);
    await insertChunks(tx, t.guardians, rows.guardians);
    await insertChunks(tx, t.studentGuardians, rows.links);
    await insertChunks(tx, t.pickupPersons, rows.pickups);
    // Each feature adds its part of the demo (plans, enrolments, today's groups…) in the same transaction.
    const ctx: DemoContext = { districtId, schoolIds, accounts: named, today: opts.today ?? new Date() };
    for (const extend of DEMO_EXTENSIONS) await extend(tx, ctx);
  });
  return { students: rows.students.length, guardians: rows.guardians.length };
}

// biome-ignore lint/suspicious/noExplicitAny: one helper for every table
async function insertChunks(db: Db, table: any, values: any[], ignoreDuplicates = false) {
  for (let i = 0; i < values.length; i += 500) {
    const q = db.insert(table).values(values.slice(i, i + 500));
    await (ignoreDuplicates ? q.onConflictDoNothing() : q);
  }
}
