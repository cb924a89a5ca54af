/**
 * Model-based property test of the money path against the real database: random sequences of
 * enrolments, withdrawals, approved leave, waivers, invoicing runs, payments and a term close. After
 * every step: the ledger sums to zero; each pupil's documents add up to exactly what the model says
 * (enrolled sessions × rate − waivers − credits, as of the last run); the pupil's receivable equals
 * that minus payments; after the close nothing more is posted.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { billPupil, type FeeMode, type LineKind, netOf, type OfferingFee, sessionDatesIn } from '../../../shared/billing';
import { schoolDays } from '../../../shared/calendar';
import { type Db, queryRows } from '../../db/client';
import { newId } from '../../lib/ids';
import { createTestEnv, describeEachDb, type TestEnv } from '../../test/harness';
import { closeTerm, postTransaction, studentBalances, termImbalance } from '../ledger';
import { loadTermContext } from './context';
import { lockBilling, settleStudents } from './settle';

const TERM = { startsOn: '2026-09-01', endsOn: '2026-11-30', winterFrom: null, summerFrom: null };
const HOLIDAYS = ['2026-10-01', '2026-10-02', '2026-10-05'];
const TODAY = '2026-11-15';
const DAYS = schoolDays(
  TERM,
  HOLIDAYS.map((day) => ({ day, kind: 'holiday', asWeekday: null })),
);
const PUPILS = 2;
const LEAVE_DAYS = DAYS.filter((d) => d.weekday <= 2 && d.date >= '2026-11-02');

interface Offering {
  id: string;
  kind: 'care' | 'club';
  lineKind: LineKind;
  feeMode: FeeMode;
  feeFen: number;
  groups: Map<number, string>;
}

interface World {
  db: Db;
  schoolId: string;
  termId: string;
  pupils: string[];
  offerings: Offering[];
}

/** What the model knows: facts as of now, and what was billed at the last run. */
interface Model {
  enrolled: Map<string, { from: string | null }>; // pupil|offering|weekday
  leave: Set<string>; // pupil|offering|day
  bp: Map<string, number>;
  paid: Map<string, number>;
  billed: Map<string, number>;
  closed: boolean;
}

async function makeWorld(db: Db, modes: [FeeMode, number][]): Promise<World> {
  const schoolId = newId();
  const termId = newId();
  const planId = newId();
  const campusId = newId();
  const classId = newId();
  const pupils = Array.from({ length: PUPILS }, () => newId());
  const offerings: Offering[] = modes.map(([feeMode, feeFen], i) => ({
    id: newId(),
    kind: i === 0 ? 'care' : 'club',
    lineKind: i === 0 ? 'service' : 'club',
    feeMode,
    feeFen,
    groups: new Map([1, 2, 3, 4, 5].map((w) => [w, newId()])),
  }));
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`INSERT INTO schools (id, district_id, code, name) SELECT ${schoolId}, id, ${`M${schoolId.slice(0, 8)}`}, ${`模型小学${schoolId.slice(0, 4)}`} FROM districts LIMIT 1`,
    );
    await tx.execute(sql`INSERT INTO campuses (school_id, id, name) VALUES (${schoolId}, ${campusId}, '本部')`);
    await tx.execute(
      sql`INSERT INTO classes (school_id, id, campus_id, grade, name) VALUES (${schoolId}, ${classId}, ${campusId}, 3, '三(1)班')`,
    );
    for (const [i, id] of pupils.entries()) {
      await tx.execute(
        sql`INSERT INTO students (school_id, id, student_no, name, gender, grade, class_id, campus_id) VALUES (${schoolId}, ${id}, ${`M${i}`}, ${`学生${i}`}, 'F', 3, ${classId}, ${campusId})`,
      );
    }
    await tx.execute(
      sql`INSERT INTO terms (school_id, id, name, starts_on, ends_on) VALUES (${schoolId}, ${termId}, '模型学期', ${TERM.startsOn}, ${TERM.endsOn})`,
    );
    for (const day of HOLIDAYS)
      await tx.execute(sql`INSERT INTO term_days (school_id, term_id, day, kind) VALUES (${schoolId}, ${termId}, ${day}, 'holiday')`);
    await tx.execute(
      sql`INSERT INTO plans (school_id, id, term_id, status, version) VALUES (${schoolId}, ${planId}, ${termId}, 'published', 1)`,
    );
    for (const o of offerings) {
      await tx.execute(
        sql`INSERT INTO offerings (school_id, id, plan_id, kind, category, name, slot, grade_min, grade_max, weekdays, capacity, fee_mode, fee_fen)
            VALUES (${schoolId}, ${o.id}, ${planId}, ${o.kind}, 'other', ${o.id.slice(0, 6)}, 'afternoon', 1, 6, '{1,2,3,4,5}'::smallint[], 50, ${o.feeMode}, ${o.feeFen})`,
      );
      for (const [w, g] of o.groups) {
        await tx.execute(
          sql`INSERT INTO care_groups (school_id, id, term_id, key, weekday, slot, campus_id, offering_id, band, idx)
              VALUES (${schoolId}, ${g}, ${termId}, ${o.id}, ${w}, 'afternoon', ${campusId}, ${o.id}, 'all', 1)`,
        );
      }
    }
    const snapshot = {
      offerings: offerings.map((o) => ({
        id: o.id,
        kind: o.kind,
        name: o.id.slice(0, 6),
        weekdays: [1, 2, 3, 4, 5],
        providerName: '',
        feeMode: o.feeMode,
        feeFen: o.feeFen,
      })),
    };
    await tx.execute(
      sql`INSERT INTO plan_versions (school_id, plan_id, version, status, snapshot, published_at) VALUES (${schoolId}, ${planId}, 1, 'published', ${JSON.stringify(snapshot)}::jsonb, now())`,
    );
  });
  return { db, schoolId, termId, pupils, offerings };
}

/** The model's own bill for a pupil from its facts (what the last run should have issued). */
function modelNet(w: World, m: Model, pupil: string): number {
  const fees: OfferingFee[] = [];
  const missed = new Map<string, Set<string>>();
  for (const o of w.offerings) {
    const spans = [...m.enrolled]
      .filter(([k]) => k.startsWith(`${pupil}|${o.id}|`))
      .map(([k, v]) => ({ weekday: Number(k.split('|')[2]), effectiveFrom: v.from, effectiveTo: null }));
    if (spans.length === 0) continue;
    const dates = sessionDatesIn(DAYS, spans);
    fees.push({ offeringId: o.id, name: o.id, lineKind: o.lineKind, feeMode: o.feeMode, feeFen: o.feeFen, dates });
    missed.set(o.id, new Set(dates.filter((d) => m.leave.has(`${pupil}|${o.id}|${d}`))));
    if (o.feeMode === 'per_session') expect(dates.length * o.feeFen).toBeGreaterThanOrEqual(0);
  }
  const bill = billPupil({ fees, mode: 'term', preset: 'by_day', waiverBp: m.bp.get(pupil) ?? 0, missed, upTo: 'term' });
  return [...bill.values()].flat().reduce((a, l) => a + netOf(l), 0);
}

async function check(w: World, m: Model) {
  expect(await termImbalance(w.db, w.schoolId, w.termId)).toBe(0);
  for (const p of w.pupils) {
    const [docs] = await queryRows<{ total: string | null }>(
      w.db,
      sql`SELECT SUM(total_fen)::text AS total FROM invoices WHERE school_id = ${w.schoolId} AND term_id = ${w.termId} AND student_id = ${p}`,
    );
    expect(Number(docs.total ?? 0)).toBe(m.billed.get(p) ?? 0);
    const b = await studentBalances(w.db, w.schoolId, w.termId, p);
    expect(b['receivable.guardian'] ?? 0).toBe((m.billed.get(p) ?? 0) - (m.paid.get(p) ?? 0));
  }
}

const isClosed = (e: unknown) => (e as { code?: string }).code === 'TERM_CLOSED';

type Cmd = fc.AsyncCommand<Model, World>;

const cmd = (name: string, run: (m: Model, w: World) => Promise<void>): Cmd => ({
  check: () => true,
  run: async (m, w) => {
    await run(m, w);
    await check(w, m);
  },
  toString: () => name,
});

const enrolCmd = (p: number, o: number, wd: number, from: string | null) =>
  cmd(`enrol(${p},${o},${wd},${from})`, async (m, w) => {
    const pupil = w.pupils[p];
    const off = w.offerings[o];
    await w.db.execute(
      sql`INSERT INTO enrollments (school_id, id, term_id, student_id, offering_id, weekday, status, queue_key, source, effective_from)
                VALUES (${w.schoolId}, ${newId()}, ${w.termId}, ${pupil}, ${off.id}, ${wd}, 'enrolled', 0, 'office', ${from})
                ON CONFLICT (school_id, offering_id, weekday, student_id) DO UPDATE SET status = 'enrolled', effective_from = EXCLUDED.effective_from`,
    );
    m.enrolled.set(`${pupil}|${off.id}|${wd}`, { from });
  });

const withdrawCmd = (p: number, o: number, wd: number) =>
  cmd(`withdraw(${p},${o},${wd})`, async (m, w) => {
    await w.db.execute(
      sql`UPDATE enrollments SET status = 'withdrawn' WHERE school_id = ${w.schoolId} AND student_id = ${w.pupils[p]} AND offering_id = ${w.offerings[o].id} AND weekday = ${wd}`,
    );
    m.enrolled.delete(`${w.pupils[p]}|${w.offerings[o].id}|${wd}`);
  });

const leaveCmd = (p: number, o: number, i: number) =>
  cmd(`leave(${p},${o},${LEAVE_DAYS[i].date})`, async (m, w) => {
    const d = LEAVE_DAYS[i];
    const off = w.offerings[o];
    await w.db.execute(
      sql`INSERT INTO attendance (school_id, day, group_id, student_id, status) VALUES (${w.schoolId}, ${d.date}, ${off.groups.get(d.weekday)}, ${w.pupils[p]}, 'leave')
              ON CONFLICT DO NOTHING`,
    );
    m.leave.add(`${w.pupils[p]}|${off.id}|${d.date}`);
  });

const waiverCmd = (p: number, bp: number) =>
  cmd(`waiver(${p},${bp})`, async (m, w) => {
    await w.db.execute(
      sql`INSERT INTO waivers (school_id, id, term_id, student_id, source, category, basis_points, status)
              VALUES (${w.schoolId}, ${newId()}, ${w.termId}, ${w.pupils[p]}, 'application', 'other', ${bp}, 'approved')`,
    );
    m.bp.set(w.pupils[p], Math.max(m.bp.get(w.pupils[p]) ?? 0, bp));
  });

const invoiceCmd = () =>
  cmd('invoice', async (m, w) => {
    try {
      const ctx = await loadTermContext(w.db, w.schoolId, w.termId, TODAY);
      await w.db.transaction(async (tx) => {
        await lockBilling(tx, w.schoolId);
        await settleStudents(tx, ctx, w.pupils, null);
      });
      for (const p of w.pupils) m.billed.set(p, modelNet(w, m, p));
    } catch (e) {
      if (!(m.closed && isClosed(e))) throw e;
    }
  });

const payCmd = (p: number, fen: number) =>
  cmd(`pay(${p},${fen})`, async (m, w) => {
    try {
      await w.db.transaction((tx) =>
        postTransaction(tx, {
          schoolId: w.schoolId,
          termId: w.termId,
          kind: 'payment',
          sourceType: 'model',
          lines: [
            { account: 'cash.offline', amountFen: fen },
            { account: 'receivable.guardian', amountFen: -fen, studentId: w.pupils[p] },
          ],
        }),
      );
      m.paid.set(w.pupils[p], (m.paid.get(w.pupils[p]) ?? 0) + fen);
    } catch (e) {
      if (!(m.closed && isClosed(e))) throw e;
    }
  });

const closeCmd = () =>
  cmd('close', async (m, w) => {
    try {
      await w.db.transaction((tx) => closeTerm(tx, { schoolId: w.schoolId, termId: w.termId, closedBy: null }));
      m.closed = true;
    } catch (e) {
      if (!(m.closed && isClosed(e))) throw e;
    }
  });

function commands(pupilIx: fc.Arbitrary<number>) {
  // two weekdays only, so enrolments, leave and waivers meet often in short sequences
  const weekday = fc.integer({ min: 1, max: 2 });
  const offering = fc.integer({ min: 0, max: 1 });
  return [
    fc
      .tuple(pupilIx, offering, weekday, fc.option(fc.constantFrom('2026-10-12', '2026-11-02'), { nil: null }))
      .map(([p, o, wd, from]) => enrolCmd(p, o, wd, from)),
    fc.tuple(pupilIx, offering, weekday).map(([p, o, wd]) => withdrawCmd(p, o, wd)),
    fc.tuple(pupilIx, offering, fc.integer({ min: 0, max: LEAVE_DAYS.length - 1 })).map(([p, o, i]) => leaveCmd(p, o, i)),
    fc.tuple(pupilIx, fc.integer({ min: 1, max: 10_000 })).map(([p, bp]) => waiverCmd(p, bp)),
    fc.constant(null).map(() => invoiceCmd()),
    fc.tuple(pupilIx, fc.integer({ min: 1, max: 50_000 })).map(([p, fen]) => payCmd(p, fen)),
    fc.constant(null).map(() => closeCmd()),
  ];
}

describeEachDb('billing model', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind, { seed: false });
    await env.database.db.execute(sql`INSERT INTO districts (id, code, name) VALUES (${newId()}, 'model', '模型区')`);
  }, 60_000);
  afterAll(() => env?.close());

  const freshModel = (): Model => ({
    enrolled: new Map(),
    leave: new Set(),
    bp: new Map(),
    paid: new Map(),
    billed: new Map(),
    closed: false,
  });

  it('a fixed sequence through every case: bill, leave credit, waiver, withdrawal credit note, payment, close', async () => {
    const world = await makeWorld(env.database.db, [
      ['per_session', 350],
      ['per_month', 13_000],
    ]);
    const model = freshModel();
    const monday = LEAVE_DAYS.findIndex((d) => d.weekday === 1);
    const steps = [
      enrolCmd(0, 0, 1, null),
      enrolCmd(1, 1, 2, '2026-10-12'),
      invoiceCmd(),
      leaveCmd(0, 0, monday),
      waiverCmd(1, 2500),
      invoiceCmd(),
      withdrawCmd(1, 1, 2),
      payCmd(0, 1000),
      invoiceCmd(),
      closeCmd(),
      invoiceCmd(),
      payCmd(0, 5),
      closeCmd(),
    ];
    for (const step of steps) await step.run(model, world);
    const [seen] = await queryRows<{ credits: number; waivers: number; notes: number }>(
      env.database.db,
      sql`SELECT (SELECT count(*)::int FROM invoice_lines l JOIN invoices i ON i.school_id = l.school_id AND i.id = l.invoice_id WHERE i.school_id = ${world.schoolId} AND l.kind = 'credit') AS credits,
                 (SELECT count(*)::int FROM invoice_lines WHERE school_id = ${world.schoolId} AND kind = 'waiver') AS waivers,
                 (SELECT count(*)::int FROM invoices WHERE school_id = ${world.schoolId} AND doc_type = 'credit_note') AS notes`,
    );
    expect(seen).toEqual({ credits: 1, waivers: 2, notes: 3 });
    expect(model.closed).toBe(true);
  });

  it('random sequences keep the books whole and every bill equal to the model’s', async () => {
    const mode = fc.tuple(fc.constantFrom<FeeMode>('per_session', 'per_month', 'per_term'), fc.integer({ min: 100, max: 40_000 }));
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(mode, mode),
        fc.commands(commands(fc.integer({ min: 0, max: PUPILS - 1 })), { maxCommands: 16, size: 'medium' }),
        async (modes, cmds) => {
          const world = await makeWorld(env.database.db, modes);
          const model = freshModel();
          await fc.asyncModelRun(() => ({ model, real: world }), cmds);
        },
      ),
      { numRuns: kind === 'pglite' ? 30 : 15 },
    );
  }, 120_000);
});
