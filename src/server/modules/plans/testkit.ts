/** Shared setup of the plan's HTTP tests: a second district, a fresh spring term with a compliant plan. */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { hashPassword } from '../../auth/passwords';
import type { Db } from '../../db/client';
import { DEMO_PASSWORD } from '../../db/demo/seed';
import type { Client } from '../../test/harness';

/** A district with its own bureau account `district9` and one school, to ask for the demo district's plans. */
export async function addOtherDistrict(db: Db): Promise<void> {
  const districtId = randomUUID();
  const accountId = randomUUID();
  await db.execute(sql`INSERT INTO districts (id, code, name) VALUES (${districtId}, 'TEST-D9', '测试区教育局')`);
  await db.execute(
    sql`INSERT INTO accounts (id, username, display_name, password_hash) VALUES (${accountId}, 'district9', '测试区 督导', ${await hashPassword(DEMO_PASSWORD)})`,
  );
  await db.execute(sql`INSERT INTO district_roles (district_id, account_id) VALUES (${districtId}, ${accountId})`);
}

export const put = (c: Client, url: string, body: unknown) => c.send('PUT', url, body);

export const ok = <T = unknown>(res: { status: number; body: unknown }): T => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as T;
};

export interface Fixture {
  termId: string;
  planId: string;
  campusId: string;
  room: string;
  field: string;
  teacher: string;
  pending: string;
}

export const BASE_SLOTS = [
  { slot: 'afternoon', season: 'summer', gradeBand: 'low', startTime: '15:30', endTime: '17:40' },
  { slot: 'afternoon', season: 'summer', gradeBand: 'high', startTime: '15:50', endTime: '18:00' },
  { slot: 'afternoon', season: 'winter', gradeBand: 'low', startTime: '15:10', endTime: '17:20' },
  { slot: 'afternoon', season: 'winter', gradeBand: 'high', startTime: '15:30', endTime: '17:40' },
];

export const BASE_TEXTS = {
  safetyMeasures: '点名、交接、应急预案',
  complaintPhone: '0631-5201234',
  complaintChannel: '校长信箱',
  feeBasis: '区发改委核定标准',
  settings: { latestEnd: '18:00', earliestEnd: '17:00', maxGroupSize: 35, lowerGradeStaggerMinutes: 20, maxFeePerTermFen: 36_000 },
};

export const careOffering = (f: Fixture) => ({
  kind: 'care',
  category: 'reading',
  name: '普通托管',
  description: '阅读与游戏',
  slot: 'afternoon',
  gradeMin: 1,
  gradeMax: 6,
  weekdays: [1, 2, 3, 4, 5],
  capacity: 35,
  venueId: f.room,
  teacherStaffId: f.teacher,
  feeMode: 'per_term',
  feeFen: 30_000,
});

export const clubOffering = (f: Fixture) => ({
  kind: 'club',
  category: 'sport',
  name: '足球',
  slot: 'afternoon',
  gradeMin: 3,
  gradeMax: 6,
  weekdays: [2, 4],
  capacity: 30,
  venueId: f.field,
  teacherStaffId: f.teacher,
  allocation: 'fcfs',
  opensAt: '2027-02-20T10:00:00+08:00',
});

/** A spring term (summer schedule from May), two venues, a plan that passes every rule. */
export async function springPlan(db: Db, admin: Client, name = '2026—2027学年第二学期'): Promise<Fixture> {
  const term = ok<{ id: string }>(
    await admin.post('/api/terms', {
      name,
      startsOn: '2027-02-22',
      endsOn: '2027-07-02',
      summerFrom: '2027-05-01',
      applyOpensAt: '2027-02-15T08:00:00+08:00',
      applyClosesAt: '2027-03-01T18:00:00+08:00',
    }),
  );
  const campusId = ok<{ id: string; name: string }[]>(await admin.get('/api/campuses'))[0].id;
  const room = ok<{ id: string }>(await admin.post('/api/venues', { campusId, name: `${name}教室`, kind: 'classroom', capacity: 45 })).id;
  const field = ok<{ id: string }>(
    await admin.post('/api/venues', { campusId, name: `${name}操场`, kind: 'playground', capacity: 200 }),
  ).id;
  const staff = ok<{ items: { id: string; vettingStatus: string; kind: string }[] }>(await admin.get('/api/staff?pageSize=200'));
  const teacher = staff.items.find((s) => s.vettingStatus === 'clear' && s.kind === 'own')!.id;
  const pending = staff.items.find((s) => s.vettingStatus === 'pending')!.id;
  // the check is within a year of today, whatever day the tests run
  await db.execute(sql`UPDATE staff SET vetting_checked_on = current_date WHERE id = ${teacher}`);
  const plan = ok<{ id: string }>(await admin.post('/api/plans', { termId: term.id }));
  const f = { termId: term.id, planId: plan.id, campusId, room, field, teacher, pending };
  await resetPlan(admin, f);
  return f;
}

/** Puts the plan back to the compliant base: slots, texts, settings, two offerings, the window. */
export async function resetPlan(admin: Client, f: Fixture) {
  ok(await put(admin, `/api/plans/${f.planId}/slots`, { slots: BASE_SLOTS }));
  ok(await admin.patch(`/api/plans/${f.planId}`, BASE_TEXTS));
  const plan = ok<{ offerings: { id: string }[] }>(await admin.get(`/api/plans/${f.planId}`));
  for (const o of plan.offerings) ok(await admin.delete(`/api/plans/${f.planId}/offerings/${o.id}`));
  ok(await admin.post(`/api/plans/${f.planId}/offerings`, careOffering(f)));
  ok(await admin.post(`/api/plans/${f.planId}/offerings`, clubOffering(f)));
  ok(
    await admin.patch(`/api/terms/${f.termId}`, { applyOpensAt: '2027-02-15T08:00:00+08:00', applyClosesAt: '2027-03-01T18:00:00+08:00' }),
  );
}
