/**
 * Applications per pupil and term: create, change, withdraw (by the guardian inside the window,
 * by the office at any time), and the seats that follow (fcfs at once, approval on review).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ApplicationInput, ApplicationPatch } from '../../../shared/enrollment';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { applicationChoices, applications } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { type Child, checkChoices, checkFamilyFields, requireAgreements } from './checks';
import { execIn } from '../../db/exec';
import { effectiveDates, type PublishedOffering, type PublishedPlan } from './published';
import { type SeatResult, takeSeat } from './seats';
import { loadSettings } from './settings';
import { endPlace } from './waitlist';

export type ApplicationRow = typeof applications.$inferSelect;
type Checked = Awaited<ReturnType<typeof checkChoices>>;

export async function choicesOf(db: Db, schoolId: string, applicationId: string) {
  return db
    .select({ offeringId: applicationChoices.offeringId, weekday: applicationChoices.weekday, rank: applicationChoices.rank })
    .from(applicationChoices)
    .where(and(eq(applicationChoices.schoolId, schoolId), eq(applicationChoices.applicationId, applicationId)))
    .orderBy(applicationChoices.offeringId, applicationChoices.weekday);
}

/** fcfs choices take their seat at once when the offering has opened. */
async function seatFcfs(tx: Db, actor: Actor, schoolId: string, plan: PublishedPlan, studentId: string, choices: Checked, now: Date) {
  const results: SeatResult[] = [];
  const { from, to } = effectiveDates(plan.term, now);
  for (const c of choices) {
    if (c.offering.allocation !== 'fcfs') continue;
    if (c.offering.opensAt && new Date(c.offering.opensAt) > now) continue;
    results.push(await seat(tx, actor, schoolId, plan.term.id, studentId, c.offering, c.weekday, 'fcfs', from, to));
  }
  return results;
}

const seat = (
  tx: Db,
  actor: Actor,
  schoolId: string,
  termId: string,
  studentId: string,
  o: PublishedOffering,
  weekday: number,
  source: string,
  from: string,
  to: string,
) =>
  takeSeat(execIn(tx), actor, {
    schoolId,
    termId,
    studentId,
    offeringId: o.id,
    weekday,
    source,
    idempotencyKey: null,
    effectiveFrom: from,
    effectiveTo: to,
    queueKey: null,
  });

/** Approval-mode choices take a seat (or a waitlist place) when the application is approved. */
export async function seatApproved(tx: Db, actor: Actor, app: ApplicationRow, plan: PublishedPlan, now = new Date()) {
  const choices = await choicesOf(tx, app.schoolId, app.id);
  const { from, to } = effectiveDates(plan.term, now);
  const results: SeatResult[] = [];
  for (const c of choices) {
    const o = plan.offerings.find((x) => x.id === c.offeringId);
    if (!o || o.allocation !== 'approval') continue;
    results.push(await seat(tx, actor, app.schoolId, app.termId, app.studentId, o, c.weekday, 'approval', from, to));
  }
  return results;
}

export async function createApplication(
  tx: Db,
  actor: Actor,
  schoolId: string,
  plan: PublishedPlan,
  child: Child,
  input: ApplicationInput,
  now = new Date(),
) {
  const [existing] = await tx
    .select()
    .from(applications)
    .where(and(eq(applications.schoolId, schoolId), eq(applications.termId, input.termId), eq(applications.studentId, child.id)));
  if (existing && existing.status !== 'withdrawn') {
    throw new AppError(409, 'DUPLICATE_APPLICATION', '已经为孩子提交过本学期的申请，请修改已有的申请', { id: existing.id });
  }
  await requireAgreements(tx, schoolId, input.termId, child.id);
  const settings = await loadSettings(tx, schoolId);
  checkFamilyFields(input, child, settings);
  const checked = await checkChoices(tx, schoolId, plan, child, input.choices);
  const fields = {
    accountId: actor.accountId,
    status: 'submitted',
    priorityCategory: input.priorityCategory,
    priorityNote: input.priorityNote,
    lunch: input.lunch,
    goHomeAlone: input.goHomeAlone,
    reviewComment: '',
    reviewedBy: null,
    reviewedAt: null,
    submittedAt: now,
    updatedAt: now,
  };
  let app: ApplicationRow;
  if (existing) {
    [app] = await tx
      .update(applications)
      .set(fields)
      .where(and(eq(applications.schoolId, schoolId), eq(applications.id, existing.id)))
      .returning();
    await tx.delete(applicationChoices).where(and(eq(applicationChoices.schoolId, schoolId), eq(applicationChoices.applicationId, app.id)));
  } else {
    [app] = await tx
      .insert(applications)
      .values({ schoolId, id: newId(), termId: input.termId, studentId: child.id, ...fields })
      .returning();
  }
  if (checked.length) {
    await tx
      .insert(applicationChoices)
      .values(checked.map((c) => ({ schoolId, applicationId: app.id, offeringId: c.offeringId, weekday: c.weekday, rank: c.rank })));
  }
  await audit(tx, actor, schoolId, {
    action: 'application.submit',
    entity: 'application',
    entityId: app.id,
    detail: {
      studentId: child.id,
      termId: input.termId,
      choices: checked.map(({ offeringId, weekday, rank }) => ({ offeringId, weekday, rank })),
    },
  });
  const seats = await seatFcfs(tx, actor, schoolId, plan, child.id, checked, now);
  return { app, seats };
}

export async function updateApplication(
  tx: Db,
  actor: Actor,
  app: ApplicationRow,
  plan: PublishedPlan,
  child: Child,
  patch: ApplicationPatch,
  byOffice: boolean,
  now = new Date(),
) {
  if (app.status === 'withdrawn') throw new AppError(409, 'APPLICATION_WITHDRAWN', '申请已撤回，请重新提交');
  const settings = await loadSettings(tx, app.schoolId);
  checkFamilyFields(patch, child, settings);
  const checked = await checkChoices(tx, app.schoolId, plan, child, patch.choices);
  const before = await choicesOf(tx, app.schoolId, app.id);
  const key = (c: { offeringId: string; weekday: number }) => `${c.offeringId}:${c.weekday}`;
  const keep = new Set(checked.map(key));
  const removed = before.filter((c) => !keep.has(key(c)));
  // Places for choices the family dropped end now; the seats pass to the waitlist.
  for (const r of removed) {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM enrollments WHERE school_id = ${app.schoolId} AND student_id = ${app.studentId} AND offering_id = ${r.offeringId}
             AND weekday = ${r.weekday} AND status IN ('enrolled', 'offered', 'waitlisted')`,
    );
    for (const e of rows) await endPlace(tx, actor, app.schoolId, e.id, 'withdrawn', 'choice removed', now);
  }
  const changed = removed.length > 0 || checked.some((c) => !before.some((b) => key(b) === key(c)));
  // A family's change goes back to review; the office's edit keeps the decision.
  const status = !byOffice && changed && app.status !== 'submitted' ? 'submitted' : app.status;
  const [updated] = await tx
    .update(applications)
    .set({
      priorityCategory: patch.priorityCategory,
      priorityNote: patch.priorityNote,
      lunch: patch.lunch,
      goHomeAlone: patch.goHomeAlone,
      status,
      ...(status !== app.status ? { reviewComment: '', reviewedAt: null, reviewedBy: null } : {}),
      updatedAt: now,
    })
    .where(and(eq(applications.schoolId, app.schoolId), eq(applications.id, app.id)))
    .returning();
  await tx
    .delete(applicationChoices)
    .where(and(eq(applicationChoices.schoolId, app.schoolId), eq(applicationChoices.applicationId, app.id)));
  if (checked.length) {
    await tx
      .insert(applicationChoices)
      .values(
        checked.map((c) => ({ schoolId: app.schoolId, applicationId: app.id, offeringId: c.offeringId, weekday: c.weekday, rank: c.rank })),
      );
  }
  await audit(tx, actor, app.schoolId, {
    action: 'application.update',
    entity: 'application',
    entityId: app.id,
    detail: {
      by: byOffice ? 'office' : 'guardian',
      before,
      after: checked.map(({ offeringId, weekday, rank }) => ({ offeringId, weekday, rank })),
      status,
    },
  });
  const seats = await seatFcfs(tx, actor, app.schoolId, plan, app.studentId, checked, now);
  if (updated.status === 'approved') seats.push(...(await seatApproved(tx, actor, updated, plan, now)));
  return { app: updated, seats };
}

/** Withdraws the application and every place it holds in the term (R1/N1: voluntary, at any time through the office). */
export async function withdrawApplication(tx: Db, actor: Actor, app: ApplicationRow, byOffice: boolean, now = new Date()) {
  if (app.status === 'withdrawn') return app;
  const [updated] = await tx
    .update(applications)
    .set({ status: 'withdrawn', updatedAt: now })
    .where(and(eq(applications.schoolId, app.schoolId), eq(applications.id, app.id)))
    .returning();
  await endAllPlaces(tx, actor, app, 'withdrawn', 'application withdrawn', now);
  await audit(tx, actor, app.schoolId, {
    action: 'application.withdraw',
    entity: 'application',
    entityId: app.id,
    detail: { by: byOffice ? 'office' : 'guardian' },
  });
  return updated;
}

export async function endAllPlaces(
  tx: Db,
  actor: Actor,
  app: ApplicationRow,
  to: 'withdrawn' | 'rejected',
  reason: string,
  now = new Date(),
) {
  const places = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM enrollments WHERE school_id = ${app.schoolId} AND term_id = ${app.termId} AND student_id = ${app.studentId}
          AND status IN ('enrolled', 'offered', 'waitlisted') ORDER BY offering_id, weekday`,
  );
  for (const p of places) await endPlace(tx, actor, app.schoolId, p.id, to, reason, now);
  return places.length;
}

export async function applicationsByIds(db: Db, schoolId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(applications)
    .where(and(eq(applications.schoolId, schoolId), inArray(applications.id, ids)));
}
