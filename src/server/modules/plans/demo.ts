/**
 * Demo data of the plan: school 1's autumn term with its calendar (国庆 holiday and a make-up day),
 * venues, a plan that was returned once, then filed and published (seats open); school 2's plan is
 * submitted and waits in the district's filing queue. Deterministic ids; the checks run as of the
 * term's first day, so the demo loads the same whatever the date.
 */
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { permissionsOf, type Role } from '../../../shared/permissions';
import { planSettingsSchema } from '../../../shared/plans';
import type { Actor } from '../../auth/actor';
import type { Db } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { type Rng, rng, uuidFrom } from '../../db/demo/random';
import { campuses, classes, districtRoles, offerings, planSlots, plans, staff, termDays, terms, venues } from '../../db/schema';
import { ensureDraft, publishPlan, reviewPlan, submitPlan } from './lifecycle';
import { DEFAULT_SLOTS } from './plan.routes';

export const DEMO_TERM_NAME = '2026—2027学年第一学期';
const CHECK_DAY = '2026-09-01';

const SAFETY = [
  '1. 考勤：每次服务开始时点名，无故脱管立即报告班主任和家长并跟踪到位。',
  '2. 交接：班主任与托管教师当面交接托管生；服务结束由家长或授权接送人签字接走；未及时接走的学生由教师送至保安室接力托管，直至全部交到家长手中。',
  '3. 巡查：每天两名值班领导清点人数、巡视各班；领导小组定期开展安全隐患排查。',
  '4. 应急：校医托管时段在岗；突发情况先救助、通知监护人，并报告年段长、当天管理人员和学校领导。',
  '5. 门卫：保安延迟至托管结束后下班，外来人员登记入校。',
].join('\n');

const actorOf = (accountId: string, displayName: string, role: Role, schoolId: string | null, districtId: string | null): Actor => ({
  accountId,
  displayName,
  sessionHash: '',
  csrfToken: '',
  schoolId,
  districtId,
  roles: [role],
  permissions: permissionsOf([role]),
  ip: '127.0.0.1',
});

interface VenueSpec {
  key: string;
  name: string;
  kind: string;
  capacity: number;
}

async function school(tx: Db, r: Rng, schoolId: string, schoolPhone: string, venueSpecs: VenueSpec[]) {
  const termId = uuidFrom(r);
  await tx.insert(terms).values({
    schoolId,
    id: termId,
    name: DEMO_TERM_NAME,
    startsOn: '2026-09-01',
    endsOn: '2027-01-22',
    winterFrom: '2026-11-01',
    applyOpensAt: new Date('2026-08-24T08:00:00+08:00'),
    applyClosesAt: new Date('2027-01-15T18:00:00+08:00'),
  });
  const holidays = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
  await tx
    .insert(termDays)
    .values([
      ...holidays.map((day) => ({ schoolId, termId, day, kind: 'holiday', note: '国庆节、中秋节' })),
      { schoolId, termId, day: '2026-10-10', kind: 'makeup', asWeekday: 3, note: '国庆调休，按周三课表' },
    ]);
  const [campus] = await tx.select().from(campuses).where(eq(campuses.schoolId, schoolId)).orderBy(asc(campuses.name)).limit(1);
  const [main] = await tx
    .select()
    .from(campuses)
    .where(and(eq(campuses.schoolId, schoolId), eq(campuses.name, '本部')));
  const venueIds: Record<string, string> = {};
  for (const v of venueSpecs) {
    venueIds[v.key] = uuidFrom(r);
    await tx
      .insert(venues)
      .values({ schoolId, id: venueIds[v.key], campusId: (main ?? campus).id, name: v.name, kind: v.kind, capacity: v.capacity });
  }
  // Every homeroom classroom is also a venue for care groups, on its own campus.
  const classRows = await tx
    .select({ name: classes.name, campusId: classes.campusId })
    .from(classes)
    .where(eq(classes.schoolId, schoolId))
    .orderBy(asc(classes.campusId), asc(classes.grade), asc(classes.name));
  const rc = rng(9100 + classRows.length);
  if (classRows.length) {
    await tx.insert(venues).values(
      classRows.map((c) => ({
        schoolId,
        id: uuidFrom(rc),
        campusId: c.campusId,
        name: `${c.name}教室`,
        kind: 'classroom',
        capacity: 45,
      })),
    );
  }
  // Club teachers come from the campus the clubs meet on (or serve every campus).
  const homeCampus = (main ?? campus).id;
  const cleared = await tx
    .select({ id: staff.id, kind: staff.kind })
    .from(staff)
    .where(
      and(
        eq(staff.schoolId, schoolId),
        eq(staff.vettingStatus, 'clear'),
        eq(staff.active, true),
        or(isNull(staff.campusId), eq(staff.campusId, homeCampus)),
      ),
    )
    .orderBy(asc(staff.id));
  const own = cleared.filter((s) => s.kind === 'own').map((s) => s.id);
  const external = cleared.filter((s) => s.kind === 'external').map((s) => s.id);
  const planId = uuidFrom(r);
  await tx.insert(plans).values({
    schoolId,
    id: planId,
    termId,
    safetyMeasures: SAFETY,
    complaintPhone: schoolPhone,
    complaintChannel: '校长信箱（校门口）；家长委员会；环翠区教育局监督电话',
    feeBasis: '按区教育局、发展改革部门核定的课后服务收费标准执行，“一事一议”，纳入学校财务统一管理',
    settings: planSettingsSchema.parse({}),
  });
  return { termId, planId, venueIds, own, external };
}

type OfferingSpec = Omit<typeof offerings.$inferInsert, 'schoolId' | 'id' | 'planId'>;

async function addOfferings(tx: Db, r: Rng, schoolId: string, planId: string, specs: OfferingSpec[]) {
  const base = Date.parse('2026-08-20T09:00:00+08:00');
  for (const [i, o] of specs.entries()) {
    await tx.insert(offerings).values({ ...o, schoolId, planId, id: uuidFrom(r), createdAt: new Date(base + i * 60_000) });
  }
}

export const plansDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const r = rng(20260301);
  const [s1, s2] = ctx.schoolIds;
  const [district] = await tx.select().from(districtRoles).where(eq(districtRoles.districtId, ctx.districtId)).limit(1);
  const admin = actorOf(ctx.accounts.admin, '实验小学 办公室 周主任', 'school_admin', s1, null);
  const admin2 = actorOf(ctx.accounts.admin2, '第二实验小学 办公室 吴主任', 'school_admin', s2, null);
  const bureau = actorOf(district.accountId, '环翠区教育局 督导科', 'district', null, ctx.districtId);

  // ---------- school 1: returned once, then filed and published
  const a = await school(tx, r, s1, '0631-5201234', [
    { key: 'c1', name: '一年级教室（101–103）', kind: 'classroom', capacity: 45 },
    { key: 'c3', name: '三年级教室（301–303）', kind: 'classroom', capacity: 45 },
    { key: 'func', name: '多功能教室', kind: 'function', capacity: 40 },
    { key: 'art', name: '美术室', kind: 'function', capacity: 32 },
    { key: 'lib', name: '图书馆', kind: 'library', capacity: 60 },
    { key: 'field', name: '操场', kind: 'playground', capacity: 200 },
    { key: 'media', name: '多媒体教室', kind: 'multimedia', capacity: 80 },
    { key: 'gym', name: '体育馆', kind: 'gym', capacity: 60 },
  ]);
  const v = a.venueIds;
  const opens = new Date('2026-08-26T18:00:00+08:00');
  await addOfferings(tx, r, s1, a.planId, [
    {
      kind: 'care',
      category: 'reading',
      name: '上午延时·自主阅读与快乐书法',
      description: '上午放学后至 11:50，在多媒体教室自主阅读或练习书法',
      slot: 'morning',
      gradeMin: 1,
      gradeMax: 6,
      weekdays: [1, 2, 3, 4, 5],
      capacity: 60,
      venueId: v.media,
      teacherStaffId: a.own[0],
      allocation: 'approval',
    },
    {
      kind: 'care',
      category: 'reading',
      name: '普通托管（一二年级）',
      description: '经典诵读《弟子规》《百家姓》，思维导图讲故事，游戏与阅读',
      slot: 'afternoon',
      gradeMin: 1,
      gradeMax: 2,
      weekdays: [1, 2, 3, 4, 5],
      capacity: 120,
      venueId: v.c1,
      teacherStaffId: a.own[1],
      allocation: 'approval',
    },
    {
      kind: 'care',
      category: 'homework',
      name: '普通托管（三至六年级）',
      description: '在教室自主完成作业，个别答疑；阅读交流，诵读《论语》《诗经》',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [1, 2, 3, 4, 5],
      capacity: 240,
      venueId: v.c3,
      teacherStaffId: a.own[2],
      feeMode: 'per_term',
      feeFen: 30_000,
      allocation: 'approval',
    },
    {
      kind: 'club',
      category: 'sport',
      name: '校园足球',
      description: '基本功、分组对抗，每周两次',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [2, 4],
      capacity: 30,
      venueId: v.field,
      teacherStaffId: a.external[0],
      allocation: 'fcfs',
      opensAt: opens,
    },
    {
      kind: 'club',
      category: 'sport',
      name: '乒乓球',
      description: '握拍、发球与对打',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [1, 3],
      capacity: 24,
      venueId: v.gym,
      teacherStaffId: a.own[3],
      allocation: 'lottery',
    },
    {
      kind: 'club',
      category: 'arts',
      name: '舞蹈',
      description: '民族舞与形体',
      slot: 'afternoon',
      gradeMin: 1,
      gradeMax: 4,
      weekdays: [2, 5],
      capacity: 25,
      venueId: v.func,
      teacherStaffId: a.own[4],
      allocation: 'ranked',
    },
    {
      kind: 'club',
      category: 'arts',
      name: '毛笔书法',
      description: '楷书基本笔画与临帖',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [3],
      capacity: 28,
      venueId: v.art,
      teacherStaffId: a.own[5],
      allocation: 'approval',
    },
    {
      kind: 'club',
      category: 'programming',
      name: '趣味编程',
      description: '图形化编程与小游戏制作',
      slot: 'afternoon',
      gradeMin: 4,
      gradeMax: 6,
      weekdays: [4],
      capacity: 20,
      venueId: v.media,
      providerName: '环翠区青少年活动中心',
      allocation: 'lottery',
    },
    {
      kind: 'club',
      category: 'heritage',
      name: '非遗剪纸',
      description: '胶东剪纸传承人进校园',
      slot: 'afternoon',
      gradeMin: 2,
      gradeMax: 5,
      weekdays: [5],
      capacity: 26,
      venueId: v.art,
      teacherStaffId: a.external[1] ?? a.own[6],
      allocation: 'fcfs',
      opensAt: opens,
    },
  ]);
  // version 1: the same afternoon end for all grades; the district asks for the stagger
  await tx.insert(planSlots).values(
    DEFAULT_SLOTS.filter((s) => !(s.slot === 'afternoon' && s.gradeBand === 'low')).map((s) => ({
      ...s,
      gradeBand: s.slot === 'afternoon' ? 'all' : s.gradeBand,
      schoolId: s1,
      planId: a.planId,
    })),
  );
  await submitPlan(tx, admin, s1, a.planId, CHECK_DAY);
  await reviewPlan(tx, bureau, s1, a.planId, 1, 'returned', '请按规定安排一、二年级错峰提前 20 分钟放学（冬令时、夏令时分别设置）。');
  // version 2: staggered times
  await ensureDraft(tx, admin, s1, a.planId);
  await tx.delete(planSlots).where(and(eq(planSlots.schoolId, s1), eq(planSlots.planId, a.planId)));
  await tx.insert(planSlots).values(DEFAULT_SLOTS.map((s) => ({ ...s, schoolId: s1, planId: a.planId })));
  await submitPlan(tx, admin, s1, a.planId, CHECK_DAY);
  await reviewPlan(tx, bureau, s1, a.planId, 2, 'filed', '符合规定，予以备案。');
  await publishPlan(tx, admin, s1, a.planId);

  // ---------- school 2: submitted, waiting for the district
  const b = await school(tx, r, s2, '0631-5205678', [
    { key: 'room', name: '教学楼教室', kind: 'classroom', capacity: 48 },
    { key: 'lib', name: '图书馆', kind: 'library', capacity: 50 },
    { key: 'field', name: '操场', kind: 'playground', capacity: 200 },
    { key: 'media', name: '多媒体教室', kind: 'multimedia', capacity: 70 },
  ]);
  await addOfferings(tx, r, s2, b.planId, [
    {
      kind: 'care',
      category: 'reading',
      name: '普通托管（一二年级）',
      description: '阅读、诵读与游戏',
      slot: 'afternoon',
      gradeMin: 1,
      gradeMax: 2,
      weekdays: [1, 2, 3, 4, 5],
      capacity: 100,
      venueId: b.venueIds.room,
      teacherStaffId: b.own[0],
      allocation: 'approval',
    },
    {
      kind: 'care',
      category: 'homework',
      name: '普通托管（三至六年级）',
      description: '作业辅导与阅读交流',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [1, 2, 3, 4, 5],
      capacity: 200,
      venueId: b.venueIds.room,
      teacherStaffId: b.own[1],
      feeMode: 'per_month',
      feeFen: 13_000,
      allocation: 'approval',
    },
    {
      kind: 'club',
      category: 'sport',
      name: '足球',
      description: '校园足球',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 6,
      weekdays: [1, 3],
      capacity: 30,
      venueId: b.venueIds.field,
      teacherStaffId: b.external[0] ?? b.own[2],
      allocation: 'lottery',
    },
    {
      kind: 'club',
      category: 'reading',
      name: '绘本阅读',
      description: '图书馆绘本共读',
      slot: 'afternoon',
      gradeMin: 1,
      gradeMax: 3,
      weekdays: [2, 4],
      capacity: 30,
      venueId: b.venueIds.lib,
      teacherStaffId: b.own[3],
      allocation: 'fcfs',
      opensAt: opens,
    },
    {
      kind: 'club',
      category: 'science',
      name: '科学小实验',
      description: '动手做科学',
      slot: 'afternoon',
      gradeMin: 3,
      gradeMax: 5,
      weekdays: [5],
      capacity: 30,
      venueId: b.venueIds.media,
      teacherStaffId: b.own[4],
      allocation: 'approval',
    },
  ]);
  await tx.insert(planSlots).values(DEFAULT_SLOTS.map((s) => ({ ...s, schoolId: s2, planId: b.planId })));
  await submitPlan(tx, admin2, s2, b.planId, CHECK_DAY);
};
