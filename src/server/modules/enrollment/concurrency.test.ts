/**
 * The opening rush on real PostgreSQL (only with TEST_DATABASE_URL): 500 simultaneous seat
 * requests from 500 families for 10 seats → exactly 10 enrolled, 490 waitlisted, taken = 10;
 * the same 500 requests retried with their idempotency keys take nothing more.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { createTestEnv, type TestEnv } from '../../test/harness';
import { rushFamilies } from './rush-fixture';
import { clientOf, schoolIdOf } from './test-helpers';
import { type PublishedFixture, publishPlan } from './test-fixtures';

describe.skipIf(!process.env.TEST_DATABASE_URL)('enrolment: 500 simultaneous seat requests for 10 seats [postgres]', () => {
  let env: TestEnv;
  let plan: PublishedFixture;
  let families: Awaited<ReturnType<typeof rushFamilies>>;
  let schoolId: string;

  beforeAll(async () => {
    env = await createTestEnv('postgres');
    const db = env.database.db;
    schoolId = await schoolIdOf(db, 'HC-SY');
    plan = await publishPlan(db, schoolId, {
      offerings: [{ name: '乒乓球', allocation: 'fcfs', weekdays: [3], capacity: 10, gradeMin: 3 }],
    });
    families = await rushFamilies(db, schoolId, plan.termId, 500, 'rush');
  });
  afterAll(() => env?.close());

  const fire = () =>
    Promise.all(
      families.map((f, i) =>
        clientOf(env.app, f).send(
          'POST',
          '/api/family/seats',
          { studentId: f.studentId, offeringId: plan.offerings[0].id, weekdays: [3] },
          { 'idempotency-key': `tap-${i}` },
        ),
      ),
    );

  it('never oversells, and a retry is answered with the same place', async () => {
    const db = env.database.db;
    const first = await fire();
    expect(
      first
        .filter((r) => r.status !== 200)
        .map((r) => r.body)
        .slice(0, 2),
    ).toEqual([]);
    const statuses = first.map((r) => r.body.results[0].status);
    expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(490);
    const positions = first.map((r) => r.body.results[0].position).filter((p) => p !== null);
    expect(Math.max(...positions)).toBeLessThanOrEqual(490);

    const retry = await fire();
    expect(retry.map((r) => [r.body.results[0].id, r.body.results[0].created])).toEqual(first.map((r) => [r.body.results[0].id, false]));

    const [seat] = await queryRows<{ taken: number; capacity: number }>(
      db,
      sql`SELECT taken, capacity FROM offering_seats WHERE offering_id = ${plan.offerings[0].id}`,
    );
    expect(seat).toEqual({ taken: 10, capacity: 10 });
    const counts = await queryRows<{ status: string; n: number }>(
      db,
      sql`SELECT status, count(*)::int AS n FROM enrollments WHERE offering_id = ${plan.offerings[0].id} GROUP BY status ORDER BY status`,
    );
    expect(counts).toEqual([
      { status: 'enrolled', n: 10 },
      { status: 'waitlisted', n: 490 },
    ]);
    // the waitlist is a strict order: positions 1..490 once each
    const order = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(DISTINCT queue_key)::int AS n FROM enrollments WHERE offering_id = ${plan.offerings[0].id} AND status = 'waitlisted'`,
    );
    expect(order[0].n).toBeGreaterThan(400);
    const audits = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'enrollment.request' AND school_id = ${schoolId}`,
    );
    expect(audits[0].n).toBe(500);
  });
});
