/**
 * Demo data of enrolment, on top of the plan module's published plan for school 1 (nothing happens
 * when there is none): agreements signed and applications for about three quarters of the pupils,
 * most approved by the homeroom teachers (some of 一(1)班 still wait for review), regular care on
 * the chosen weekdays, fcfs clubs filled in request order with a waitlist, one recorded lottery run
 * (乒乓球; 趣味编程 is left for the office to draw), ranked choice for 舞蹈, and the demo guardian's
 * (13900000001) child enrolled in regular care and waiting for 舞蹈. Deterministic.
 */
import { sql } from 'drizzle-orm';
import { permissionsOf, type Role } from '../../../shared/permissions';
import { PRIORITY_CATEGORIES } from '../../../shared/plans';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import type { DemoContext, DemoExtension } from '../../db/demo/extensions';
import { rng, uuidFrom } from '../../db/demo/random';
import { applicationChoices, applications, agreementSignatures, auditLog } from '../../db/schema';
import { DEFAULT_ENROLLMENT_SETTINGS } from '../../../shared/enrollment';
import { lockSeat, runLottery, runRanked, writePlaces } from './lottery';
import { type PublishedOffering, publishedTerms } from './published';
import { currentTexts, ensureDefaultTexts } from './texts';

const actor = (accountId: string, displayName: string, role: Role, schoolId: string): Actor => ({
  accountId,
  displayName,
  sessionHash: '',
  csrfToken: '',
  schoolId,
  districtId: null,
  roles: [role],
  permissions: permissionsOf([role]),
  ip: '127.0.0.1',
});

const NOTES: Record<string, string> = {
  pickup_hardship: '父母双职工，下班时间晚于 18:00，无法按时接送',
  single_parent: '单亲家庭，由母亲一人抚养',
  migrant: '父母在威海务工，户籍在外省',
  left_behind: '父母在外地务工，由祖父母照看',
  hardship: '享受低保，家庭经济困难',
};

interface Pupil {
  id: string;
  grade: number;
  class_id: string;
  student_no: string;
  account_id: string | null;
  homeroom_account: string | null;
}

async function insertChunks<T extends Record<string, unknown>>(tx: Db, table: Parameters<Db['insert']>[0], rows: T[]) {
  for (let i = 0; i < rows.length; i += 500) await tx.insert(table).values(rows.slice(i, i + 500) as never);
}

export const enrollmentDemo: DemoExtension = async (tx: Db, ctx: DemoContext) => {
  const s1 = ctx.schoolIds[0];
  const [plan] = await publishedTerms(tx, s1);
  if (!plan) return;
  const r = rng(20260824);
  await ensureDefaultTexts(tx, s1, () => uuidFrom(r));
  const texts = await currentTexts(tx, s1);
  const termId = plan.term.id;
  const admin = actor(ctx.accounts.admin, '实验小学 办公室 周主任', 'school_admin', s1);
  const pupils = await queryRows<Pupil>(
    tx,
    sql`SELECT DISTINCT ON (s.student_no) s.id, s.grade, s.class_id, s.student_no, g.account_id, st.account_id AS homeroom_account
          FROM students s
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
          LEFT JOIN staff st ON st.school_id = c.school_id AND st.id = c.homeroom_staff_id
          LEFT JOIN student_guardians l ON l.school_id = s.school_id AND l.student_id = s.id
          LEFT JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id AND g.account_id IS NOT NULL
         WHERE s.school_id = ${s1} AND s.active
         ORDER BY s.student_no, l.is_primary DESC NULLS LAST, g.phone`,
  );
  const [demoChild] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT s.id FROM students s JOIN student_guardians l ON l.school_id = s.school_id AND l.student_id = s.id
          JOIN guardians g ON g.school_id = l.school_id AND g.id = l.guardian_id
         WHERE s.school_id = ${s1} AND g.account_id = ${ctx.accounts.parent}`,
  );
  const byAllocation = (a: string) => plan.offerings.filter((o) => o.allocation === a);
  const fits = (o: PublishedOffering, grade: number) => grade >= o.gradeMin && grade <= o.gradeMax;
  const care = plan.offerings.filter((o) => o.kind === 'care' && o.slot === 'afternoon');
  const morning = plan.offerings.filter((o) => o.kind === 'care' && o.slot === 'morning');

  const apps: (typeof applications.$inferInsert)[] = [];
  const choices: (typeof applicationChoices.$inferInsert)[] = [];
  const sigs: (typeof agreementSignatures.$inferInsert)[] = [];
  const audits: (typeof auditLog.$inferInsert)[] = [];
  /** (offering, weekday) → pupils in the order their requests came in */
  const queue = new Map<string, string[]>();
  const want = (o: PublishedOffering, wd: number, pupil: string) =>
    queue.set(`${o.id}:${wd}`, [...(queue.get(`${o.id}:${wd}`) ?? []), pupil]);
  const approved = new Set<string>();
  const submittedAt = (i: number) => new Date(Date.parse('2026-08-24T08:00:00+08:00') + i * 97_000);
  const lateDancer = demoChild?.id;
  let waitingCount = 0;

  for (const [i, p] of pupils.entries()) {
    if (!p.account_id) continue;
    const isDemo = p.id === demoChild?.id;
    if (!isDemo && !r.chance(0.75)) continue;
    const appId = uuidFrom(r);
    // in the class whose homeroom teacher can log in, every third application still waits for review
    const pending = !isDemo && p.homeroom_account !== null && waitingCount++ % 3 === 0;
    const category = !isDemo && r.chance(0.15) ? r.pick(PRIORITY_CATEGORIES) : null;
    const reviewer = p.homeroom_account ?? ctx.accounts.admin;
    apps.push({
      schoolId: s1,
      id: appId,
      termId,
      studentId: p.id,
      accountId: p.account_id,
      status: pending ? 'submitted' : 'approved',
      priorityCategory: category,
      priorityNote: category ? NOTES[category] : '',
      lunch: r.chance(0.4),
      goHomeAlone: p.grade >= DEFAULT_ENROLLMENT_SETTINGS.goHomeAloneMinGrade + 1 && r.chance(0.2),
      reviewComment: pending ? '' : '同意',
      reviewedBy: pending ? null : reviewer,
      reviewedAt: pending ? null : submittedAt(i + 3000),
      submittedAt: submittedAt(i),
      updatedAt: submittedAt(i),
    });
    for (const t of texts)
      sigs.push({
        schoolId: s1,
        termId,
        studentId: p.id,
        textId: t.id,
        accountId: p.account_id,
        textHash: t.sha256,
        ip: '127.0.0.1',
        signedAt: submittedAt(i),
      });
    if (!pending) {
      approved.add(p.id);
      audits.push({
        schoolId: s1,
        id: uuidFrom(r),
        accountId: reviewer,
        actorName: '班主任',
        role: 'homeroom',
        action: 'application.approve',
        entity: 'application',
        entityId: appId,
        detail: { demo: true },
        at: submittedAt(i + 3000),
      });
    }
    const add = (o: PublishedOffering, days: number[], rank = 1) => {
      for (const wd of days) choices.push({ schoolId: s1, applicationId: appId, offeringId: o.id, weekday: wd, rank });
    };
    // regular care on the days the family needs it (R2: any subset of Mon–Fri)
    const myCare = care.find((o) => fits(o, p.grade));
    if (myCare) {
      const days = isDemo ? [1, 2, 3, 4, 5] : myCare.weekdays.filter(() => r.chance(0.8));
      add(myCare, days.length ? days : [myCare.weekdays[0]]);
      if (!pending) for (const wd of days) want(myCare, wd, p.id);
    }
    const myMorning = morning.find((o) => fits(o, p.grade));
    if (myMorning && !isDemo && r.chance(0.2)) {
      const days = myMorning.weekdays.filter(() => r.chance(0.5));
      add(myMorning, days);
      if (!pending) for (const wd of days) want(myMorning, wd, p.id);
    }
    for (const o of byAllocation('fcfs').filter((x) => fits(x, p.grade))) {
      if (isDemo || !r.chance(0.3)) continue;
      add(o, o.weekdays);
      for (const wd of o.weekdays) want(o, wd, p.id);
    }
    for (const o of byAllocation('lottery').filter((x) => fits(x, p.grade))) if (!isDemo && r.chance(0.25)) add(o, o.weekdays);
    for (const o of byAllocation('approval').filter((x) => x.kind === 'club' && fits(x, p.grade))) {
      if (isDemo || !r.chance(0.15)) continue;
      add(o, o.weekdays);
      if (!pending) for (const wd of o.weekdays) want(o, wd, p.id);
    }
    // 舞蹈 and other ranked clubs: the demo child applies after the first round (below)
    for (const [k, o] of byAllocation('ranked')
      .filter((x) => fits(x, p.grade))
      .entries()) {
      if (!isDemo && r.chance(0.25)) add(o, o.weekdays, k + 1);
    }
  }
  await insertChunks(tx, applications, apps);
  await insertChunks(tx, applicationChoices, choices);
  await insertChunks(tx, agreementSignatures, sigs);
  await insertChunks(tx, auditLog, audits);

  // seats: approval offerings for approved applications, fcfs in the order the requests came in
  for (const [key, list] of queue) {
    const [offeringId, wd] = key.split(':');
    const o = plan.offerings.find((x) => x.id === offeringId) as PublishedOffering;
    const { free, base } = await lockSeat(tx, s1, o.id, Number(wd), o.capacity);
    await writePlaces(
      tx,
      s1,
      plan,
      o.id,
      Number(wd),
      o.allocation,
      list.map((studentId, k) => ({ studentId, status: k < free ? ('enrolled' as const) : ('waitlisted' as const), queueKey: base + k })),
    );
  }
  // one lottery run on the record; ranked choice for the ranked clubs
  const lottery = byAllocation('lottery')[0];
  if (lottery)
    await runLottery(tx, admin, s1, plan, lottery.id, 'demo-2026-08-28', DEFAULT_ENROLLMENT_SETTINGS.priorityWeights).catch(
      () => undefined,
    );
  if (byAllocation('ranked').length) {
    await runRanked(tx, admin, s1, plan, 'demo-ranked-2026-08-28', DEFAULT_ENROLLMENT_SETTINGS.priorityWeights).catch(() => undefined);
    // the demo child asked for 舞蹈 after the first round: a second round puts them on the waitlist
    const dance = byAllocation('ranked')[0];
    const mine = apps.find((a) => a.studentId === lateDancer);
    if (mine && lateDancer) {
      await tx
        .insert(applicationChoices)
        .values(
          dance.weekdays.map((wd) => ({ schoolId: s1, applicationId: mine.id as string, offeringId: dance.id, weekday: wd, rank: 1 })),
        );
      await runRanked(tx, admin, s1, plan, 'demo-ranked-2026-09-02', DEFAULT_ENROLLMENT_SETTINGS.priorityWeights).catch(() => undefined);
    }
  }
};
