/**
 * Allocation runs by the office: the weighted lottery of one offering (R14/N3, reproducible from the
 * recorded seed, stored in lottery_runs as the public audit record) and ranked choice for a term
 * (serial dictatorship in priority-then-random order). Seats are taken under the seat rows' locks.
 */
import { sql } from 'drizzle-orm';
import type { PriorityWeights } from '../../../shared/enrollment';
import type { Actor } from '../../auth/actor';
import { type Db, queryRows } from '../../db/client';
import { lotteryRuns } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { audit } from '../audit/service';
import { type Drawn, fillSeats, priorityThenRandom, serialDictatorship, weightedOrder } from './allocation';
import { notifyGuardians } from './notify';
import { effectiveDates, type PublishedPlan } from './published';

interface EntrantRow {
  student_id: string;
  name: string;
  class_name: string;
  category: string | null;
  offering_id: string;
  weekday: number;
  rank: number;
}

/** Pupils with a live application (submitted or approved) who chose these offerings and have no place there yet. */
async function entrantsOf(tx: Db, schoolId: string, termId: string, offeringIds: string[]) {
  return queryRows<EntrantRow>(
    tx,
    sql`SELECT a.student_id, s.name, c.name AS class_name, a.priority_category AS category, ch.offering_id, ch.weekday::int AS weekday, ch.rank::int AS rank
          FROM applications a
          JOIN application_choices ch ON ch.school_id = a.school_id AND ch.application_id = a.id
          JOIN students s ON s.school_id = a.school_id AND s.id = a.student_id
          JOIN classes c ON c.school_id = s.school_id AND c.id = s.class_id
         WHERE a.school_id = ${schoolId} AND a.term_id = ${termId} AND a.status IN ('submitted', 'approved')
           AND ch.offering_id IN (${sql.join(
             offeringIds.map((id) => sql`${id}`),
             sql`, `,
           )})
           AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.school_id = a.school_id AND e.student_id = a.student_id
                             AND e.offering_id = ch.offering_id AND e.weekday = ch.weekday)
         ORDER BY a.student_id, ch.weekday, ch.rank`,
  );
}

/** Locks the seat row and answers the free seats and the next queue key after everyone waiting. */
export async function lockSeat(tx: Db, schoolId: string, offeringId: string, weekday: number, capacity: number) {
  await tx.execute(sql`INSERT INTO offering_seats (school_id, offering_id, weekday, capacity) VALUES (${schoolId}, ${offeringId}, ${weekday}, ${capacity})
                        ON CONFLICT DO NOTHING`);
  const [s] = await queryRows<{ capacity: number; taken: number; base: number }>(
    tx,
    sql`SELECT s.capacity, s.taken,
               COALESCE((SELECT max(queue_key) FROM enrollments e WHERE e.school_id = s.school_id AND e.offering_id = s.offering_id AND e.weekday = s.weekday), 0) AS base
          FROM offering_seats s WHERE s.school_id = ${schoolId} AND s.offering_id = ${offeringId} AND s.weekday = ${weekday} FOR UPDATE`,
  );
  return { free: Math.max(0, Number(s.capacity) - Number(s.taken)), base: Math.floor(Number(s.base)) + 1 };
}

interface Placed {
  studentId: string;
  status: 'enrolled' | 'waitlisted';
  queueKey: number;
}

export async function writePlaces(
  tx: Db,
  schoolId: string,
  plan: PublishedPlan,
  offeringId: string,
  weekday: number,
  source: string,
  places: Placed[],
) {
  if (places.length === 0) return;
  const { from, to } = effectiveDates(plan.term);
  const values = places.map(
    (p) =>
      sql`(${schoolId}, gen_random_uuid(), ${plan.term.id}, ${p.studentId}, ${offeringId}, ${weekday}, ${p.status}, ${p.queueKey},
           ${p.status === 'enrolled' ? from : null}::date, ${p.status === 'enrolled' ? to : null}::date, ${source})`,
  );
  await tx.execute(sql`INSERT INTO enrollments (school_id, id, term_id, student_id, offering_id, weekday, status, queue_key, effective_from, effective_to, source)
                        VALUES ${sql.join(values, sql`, `)}`);
  const seated = places.filter((p) => p.status === 'enrolled').length;
  if (seated) {
    await tx.execute(
      sql`UPDATE offering_seats SET taken = taken + ${seated} WHERE school_id = ${schoolId} AND offering_id = ${offeringId} AND weekday = ${weekday}`,
    );
  }
}

async function tell(
  tx: Db,
  schoolId: string,
  byStudent: Map<string, { name: string; enrolled: number[]; waitlisted: number[] }>,
  offeringName: string,
) {
  const wd = (ds: number[]) => ds.map((d) => '一二三四五'[d - 1]).join('、');
  for (const [studentId, r] of byStudent) {
    await notifyGuardians(tx, schoolId, studentId, {
      kind: 'enrollment.allocated',
      title: r.enrolled.length ? `${r.name}已录取「${offeringName}」` : `${r.name}进入「${offeringName}」候补`,
      body: [r.enrolled.length ? `录取：周${wd(r.enrolled)}` : '', r.waitlisted.length ? `候补：周${wd(r.waitlisted)}` : '']
        .filter(Boolean)
        .join('；'),
      link: '/m/apply',
      payload: { offeringName },
    });
  }
}

export async function runLottery(
  tx: Db,
  actor: Actor,
  schoolId: string,
  plan: PublishedPlan,
  offeringId: string,
  seed: string,
  weights: PriorityWeights,
) {
  const o = plan.offerings.find((x) => x.id === offeringId);
  if (!o) throw new AppError(409, 'OFFERING_NOT_PUBLISHED', '这个项目不在已公示的方案中');
  if (o.allocation !== 'lottery') throw new AppError(409, 'NOT_LOTTERY', '这个项目不是摇号录取');
  const rows = await entrantsOf(tx, schoolId, plan.term.id, [offeringId]);
  const info = new Map<string, EntrantRow>();
  for (const r of rows) info.set(r.student_id, r);
  if (info.size === 0) throw new AppError(409, 'NO_ENTRANTS', '没有待摇号的报名');
  const weightOf = (cat: string | null) => (weights as Record<string, number>)[cat ?? 'none'] ?? weights.none;
  const order: Drawn[] = weightedOrder(
    [...info.values()].map((r) => ({ id: r.student_id, weight: weightOf(r.category) })),
    seed,
  );
  const perWeekday: Record<string, { capacity: number; free: number; enrolled: string[]; waitlisted: string[] }> = {};
  const byStudent = new Map<string, { name: string; enrolled: number[]; waitlisted: number[] }>();
  for (const wd of o.weekdays) {
    const chose = new Set(rows.filter((r) => Number(r.weekday) === wd).map((r) => r.student_id));
    const inOrder = order.filter((d) => chose.has(d.id));
    const { free, base } = await lockSeat(tx, schoolId, offeringId, wd, o.capacity);
    const { enrolled, waitlisted } = fillSeats(inOrder, free);
    await writePlaces(tx, schoolId, plan, offeringId, wd, 'lottery', [
      ...enrolled.map((d) => ({ studentId: d.id, status: 'enrolled' as const, queueKey: base + d.place })),
      ...waitlisted.map((d) => ({ studentId: d.id, status: 'waitlisted' as const, queueKey: base + d.place })),
    ]);
    perWeekday[wd] = { capacity: o.capacity, free, enrolled: enrolled.map((d) => d.id), waitlisted: waitlisted.map((d) => d.id) };
    for (const d of inOrder) {
      const s = byStudent.get(d.id) ?? { name: info.get(d.id)?.name ?? '', enrolled: [], waitlisted: [] };
      (enrolled.includes(d) ? s.enrolled : s.waitlisted).push(wd);
      byStudent.set(d.id, s);
    }
  }
  const result = {
    offering: { id: o.id, name: o.name, weekdays: o.weekdays, capacity: o.capacity },
    order: order.map((d) => ({
      place: d.place,
      studentId: d.id,
      name: info.get(d.id)?.name ?? '',
      className: info.get(d.id)?.class_name ?? '',
      category: info.get(d.id)?.category ?? null,
      weight: d.weight,
      key: d.key,
    })),
    weekdays: perWeekday,
  };
  const [run] = await tx
    .insert(lotteryRuns)
    .values({ schoolId, id: newId(), offeringId, seed, weights, entrants: order.length, result, runBy: actor.accountId })
    .returning();
  await audit(tx, actor, schoolId, {
    action: 'lottery.run',
    entity: 'lottery_run',
    entityId: run.id,
    detail: { offeringId, seed, weights, entrants: order.length },
  });
  await tell(tx, schoolId, byStudent, o.name);
  return run;
}

/** Ranked choice for every ranked offering of the term, weekday by weekday. */
export async function runRanked(tx: Db, actor: Actor, schoolId: string, plan: PublishedPlan, seed: string, weights: PriorityWeights) {
  const ranked = plan.offerings.filter((o) => o.allocation === 'ranked');
  if (ranked.length === 0) throw new AppError(409, 'NO_RANKED_OFFERINGS', '本学期没有志愿排序的项目');
  const rows = await entrantsOf(
    tx,
    schoolId,
    plan.term.id,
    ranked.map((o) => o.id),
  );
  if (rows.length === 0) throw new AppError(409, 'NO_ENTRANTS', '没有待分配的志愿');
  const weightOf = (cat: string | null) => (weights as Record<string, number>)[cat ?? 'none'] ?? weights.none;
  const pupils = new Map<string, EntrantRow>();
  for (const r of rows) pupils.set(r.student_id, r);
  const order = priorityThenRandom(
    [...pupils.values()].map((r) => ({ id: r.student_id, weight: weightOf(r.category) })),
    seed,
  );
  const place = new Map(order.map((d) => [d.id, d.place]));
  const summary: Record<string, Record<string, { enrolled: number; waitlisted: number }>> = {};
  const byOffering = new Map<string, Map<string, { name: string; enrolled: number[]; waitlisted: number[] }>>();
  for (const wd of [1, 2, 3, 4, 5]) {
    const today = rows.filter((r) => Number(r.weekday) === wd);
    if (today.length === 0) continue;
    const prefs = new Map<string, string[]>();
    for (const r of [...today].sort((a, b) => a.rank - b.rank))
      prefs.set(r.student_id, [...(prefs.get(r.student_id) ?? []), r.offering_id]);
    const free = new Map<string, number>();
    const bases = new Map<string, number>();
    for (const o of ranked.filter((x) => x.weekdays.includes(wd))) {
      const s = await lockSeat(tx, schoolId, o.id, wd, o.capacity);
      free.set(o.id, s.free);
      bases.set(o.id, s.base);
    }
    const dayOrder = order.map((d) => d.id).filter((id) => prefs.has(id));
    const { assigned, waitlists } = serialDictatorship(dayOrder, prefs, free);
    for (const o of ranked.filter((x) => x.weekdays.includes(wd))) {
      const base = bases.get(o.id) ?? 1;
      const seated = dayOrder.filter((id) => assigned.get(id) === o.id);
      const waiting = waitlists.get(o.id) ?? [];
      await writePlaces(tx, schoolId, plan, o.id, wd, 'ranked', [
        ...seated.map((id) => ({ studentId: id, status: 'enrolled' as const, queueKey: base + (place.get(id) ?? 0) })),
        ...waiting.map((id) => ({ studentId: id, status: 'waitlisted' as const, queueKey: base + (place.get(id) ?? 0) })),
      ]);
      summary[o.name] = { ...summary[o.name], [wd]: { enrolled: seated.length, waitlisted: waiting.length } };
      const tellMap = byOffering.get(o.id) ?? new Map<string, { name: string; enrolled: number[]; waitlisted: number[] }>();
      const add = (id: string, field: 'enrolled' | 'waitlisted') => {
        const x = tellMap.get(id) ?? { name: pupils.get(id)?.name ?? '', enrolled: [], waitlisted: [] };
        x[field].push(wd);
        tellMap.set(id, x);
      };
      for (const id of seated) add(id, 'enrolled');
      for (const id of waiting) add(id, 'waitlisted');
      byOffering.set(o.id, tellMap);
    }
  }
  for (const o of ranked) if (byOffering.get(o.id)?.size) await tell(tx, schoolId, byOffering.get(o.id)!, o.name);
  const record = {
    seed,
    weights,
    entrants: order.length,
    order: order.map((d) => ({ place: d.place, studentId: d.id, name: pupils.get(d.id)?.name ?? '', weight: d.weight })),
    summary,
  };
  await audit(tx, actor, schoolId, { action: 'ranked.run', entity: 'term', entityId: plan.term.id, detail: record });
  return record;
}
