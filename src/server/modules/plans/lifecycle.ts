/**
 * The plan's state machine: draft → submitted → returned | filed → published. Each submission
 * stores an immutable snapshot (with its findings) in plan_versions; the district returns or files
 * that version; the office publishes a filed version (R12). An edit to a plan that is returned,
 * filed or published starts the next version as a draft: the published version stays public.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Finding } from '../../../shared/plan-inputs';
import type { Actor } from '../../auth/actor';
import { blocking, checkPlan, publicationFindings } from '../../compliance';
import type { Db } from '../../db/client';
import { offeringSeats, offerings, plans, planVersions } from '../../db/schema';
import { AppError, conflict } from '../../lib/errors';
import { audit } from '../audit/service';
import { loadPlanState, type PlanRow, planOf } from './snapshot';

export const underReview = () => new AppError(409, 'PLAN_UNDER_REVIEW', '方案正在区教育局审核中，不能修改；如需修改请联系区教育局退回');

export async function latestVersion(db: Db, schoolId: string, planId: string) {
  const [v] = await db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.schoolId, schoolId), eq(planVersions.planId, planId)))
    .orderBy(desc(planVersions.version))
    .limit(1);
  return v;
}

/**
 * Locks the plan for an edit and returns it as a draft: a submitted plan cannot change; a returned,
 * filed or published one moves to version + 1 (the earlier versions stay as they were).
 */
export async function ensureDraft(tx: Db, actor: Actor, schoolId: string, planId: string): Promise<PlanRow> {
  const p = await planOf(tx, schoolId, planId, true);
  if (p.status === 'submitted') throw underReview();
  if (p.status === 'draft') {
    const [u] = await tx
      .update(plans)
      .set({ updatedAt: new Date() })
      .where(and(eq(plans.schoolId, schoolId), eq(plans.id, planId)))
      .returning();
    return u;
  }
  const [u] = await tx
    .update(plans)
    .set({ status: 'draft', version: p.version + 1, updatedAt: new Date() })
    .where(and(eq(plans.schoolId, schoolId), eq(plans.id, planId)))
    .returning();
  await audit(tx, actor, schoolId, {
    action: 'plan.new_version',
    entity: 'plan',
    entityId: planId,
    detail: { from: p.version, version: u.version },
  });
  return u;
}

/** Submits the working version to the district: refused with the blocking findings, if any. */
export async function submitPlan(tx: Db, actor: Actor, schoolId: string, planId: string, today?: string) {
  let p = await planOf(tx, schoolId, planId, true);
  if (p.status === 'submitted') throw conflict('PLAN_ALREADY_SUBMITTED', '方案已提交，正在区教育局审核中');
  if (p.status === 'filed' || p.status === 'published') {
    throw conflict('PLAN_NOT_CHANGED', `第 ${p.version} 版已${p.status === 'filed' ? '备案' : '公示'}；修改方案后再提交新版本`);
  }
  if (p.status === 'returned') p = await ensureDraft(tx, actor, schoolId, planId);
  const state = await loadPlanState(tx, schoolId, p, today);
  const findings = checkPlan(state.check);
  const blocks = blocking(findings);
  if (blocks.length > 0) {
    throw new AppError(422, 'PLAN_BLOCKED', `方案有 ${blocks.length} 项不符合规定，不能提交：${blocks[0].message}`, blocks);
  }
  const now = new Date();
  const [v] = await tx
    .insert(planVersions)
    .values({ schoolId, planId, version: p.version, status: 'submitted', snapshot: state.snapshot, findings, submittedAt: now })
    .returning();
  await tx
    .update(plans)
    .set({ status: 'submitted', updatedAt: now })
    .where(and(eq(plans.schoolId, schoolId), eq(plans.id, planId)));
  await audit(tx, actor, schoolId, {
    action: 'plan.submit',
    entity: 'plan',
    entityId: planId,
    detail: { version: p.version, warnings: findings.length },
  });
  return v;
}

/** The district's decision on a submitted version: file it or return it with a comment. */
export async function reviewPlan(
  tx: Db,
  actor: Actor,
  schoolId: string,
  planId: string,
  version: number,
  decision: 'filed' | 'returned',
  comment: string,
) {
  const p = await planOf(tx, schoolId, planId, true);
  const latest = await latestVersion(tx, schoolId, planId);
  if (!latest || latest.version !== version) throw new AppError(404, 'NOT_FOUND', '该版本不存在，或已有更新的版本');
  if (latest.status !== 'submitted' || p.status !== 'submitted') throw conflict('PLAN_NOT_SUBMITTED', `第 ${version} 版不在待审核状态`);
  const now = new Date();
  const [v] = await tx
    .update(planVersions)
    .set({ status: decision, reviewedAt: now, reviewerAccountId: actor.accountId, reviewComment: comment })
    .where(and(eq(planVersions.schoolId, schoolId), eq(planVersions.planId, planId), eq(planVersions.version, version)))
    .returning();
  await tx
    .update(plans)
    .set({ status: decision, updatedAt: now })
    .where(and(eq(plans.schoolId, schoolId), eq(plans.id, planId)));
  await audit(tx, actor, schoolId, {
    action: decision === 'filed' ? 'plan.file' : 'plan.return',
    entity: 'plan',
    entityId: planId,
    detail: { version, comment },
  });
  return v;
}

/**
 * Publishes the filed working version (R12) and opens its seats: one offering_seats row per
 * offering × weekday with the offering's capacity. A capacity below the seats already taken is
 * refused; seats of offerings or weekdays the new version drops are closed (capacity = taken).
 */
export async function publishPlan(tx: Db, actor: Actor, schoolId: string, planId: string) {
  const p = await planOf(tx, schoolId, planId, true);
  const latest = await latestVersion(tx, schoolId, planId);
  const r12: Finding[] = publicationFindings(latest && { version: latest.version, status: latest.status }, p.version);
  if (r12.length > 0) throw new AppError(409, 'PLAN_NOT_FILED', r12[0].message, r12);
  const snapshot = latest.snapshot as { offerings: { id: string; name: string; weekdays: number[]; capacity: number }[] };

  // every seat row of this plan's offerings, locked against a concurrent seat request
  const planOfferingIds = (
    await tx
      .select({ id: offerings.id })
      .from(offerings)
      .where(and(eq(offerings.schoolId, schoolId), eq(offerings.planId, planId)))
  ).map((r) => r.id);
  const seats = planOfferingIds.length
    ? await tx
        .select()
        .from(offeringSeats)
        .where(and(eq(offeringSeats.schoolId, schoolId), inArray(offeringSeats.offeringId, planOfferingIds)))
        .for('update')
    : [];
  const taken = new Map(seats.map((s) => [`${s.offeringId}|${s.weekday}`, s.taken]));
  const wanted = new Map<string, number>();
  const tooSmall: { offeringId: string; name: string; weekday: number; capacity: number; taken: number }[] = [];
  for (const o of snapshot.offerings) {
    for (const d of o.weekdays) {
      const key = `${o.id}|${d}`;
      wanted.set(key, o.capacity);
      const t = taken.get(key) ?? 0;
      if (t > o.capacity) tooSmall.push({ offeringId: o.id, name: o.name, weekday: d, capacity: o.capacity, taken: t });
    }
  }
  if (tooSmall.length > 0) {
    const first = tooSmall[0];
    throw new AppError(
      409,
      'CAPACITY_BELOW_TAKEN',
      `「${first.name}」名额 ${first.capacity} 人少于已录取的 ${first.taken} 人，不能公示；请调高名额或先处理已录取学生`,
      tooSmall,
    );
  }
  const rows = [...wanted].map(([key, capacity]) => {
    const [offeringId, weekday] = key.split('|');
    return { schoolId, offeringId, weekday: Number(weekday), capacity, taken: 0 };
  });
  if (rows.length > 0) {
    await tx
      .insert(offeringSeats)
      .values(rows)
      .onConflictDoUpdate({
        target: [offeringSeats.schoolId, offeringSeats.offeringId, offeringSeats.weekday],
        set: { capacity: sql`excluded.capacity` },
      });
  }
  for (const s of seats) {
    if (!wanted.has(`${s.offeringId}|${s.weekday}`) && s.capacity !== s.taken) {
      await tx
        .update(offeringSeats)
        .set({ capacity: s.taken })
        .where(and(eq(offeringSeats.schoolId, schoolId), eq(offeringSeats.offeringId, s.offeringId), eq(offeringSeats.weekday, s.weekday)));
    }
  }
  const now = new Date();
  const [v] = await tx
    .update(planVersions)
    .set({ status: 'published', publishedAt: now })
    .where(and(eq(planVersions.schoolId, schoolId), eq(planVersions.planId, planId), eq(planVersions.version, p.version)))
    .returning();
  await tx
    .update(plans)
    .set({ status: 'published', updatedAt: now })
    .where(and(eq(plans.schoolId, schoolId), eq(plans.id, planId)));
  await audit(tx, actor, schoolId, {
    action: 'plan.publish',
    entity: 'plan',
    entityId: planId,
    detail: { version: p.version, seats: rows.length },
  });
  return v;
}
