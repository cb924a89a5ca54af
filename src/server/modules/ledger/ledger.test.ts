import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan, parseYuan } from '../../../shared/ledger';
import { queryRows } from '../../db/client';
import { describeEachDb, type TestEnv, createTestEnv } from '../../test/harness';
import { closeTerm, postTransaction, studentBalances, termBalances, termImbalance } from './index';

/** The database's own message (drizzle wraps it as the error's cause). */
const dbError = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { message: string; cause?: { message: string } }) => e.cause?.message ?? e.message,
  );

describe('money helpers', () => {
  it('formats and parses yuan to the fen, both ways', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => parseYuan(formatYuan(fen)) === fen));
    expect(parseYuan('12.345')).toBeNull();
    expect(parseYuan('12.3')).toBe(1230);
    expect(parseYuan('abc')).toBeNull();
  });
});

describeEachDb('ledger', (kind) => {
  let env: TestEnv;
  let schoolId: string;
  let termId: string;
  let studentId: string;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    const [row] = await queryRows<{ school_id: string; term_id: string; student_id: string }>(
      env.database.db,
      sql`SELECT t.school_id, t.id AS term_id, s.id AS student_id FROM terms t JOIN students s ON s.school_id = t.school_id LIMIT 1`,
    );
    ({ school_id: schoolId, term_id: termId, student_id: studentId } = row);
  });
  afterAll(() => env.close());

  const bill = (amountFen: number) => ({
    schoolId,
    termId,
    kind: 'invoice',
    sourceType: 'test',
    lines: [
      { account: 'receivable.guardian' as const, amountFen, studentId },
      { account: 'income.service_fee' as const, amountFen: -amountFen, studentId },
    ],
  });

  it('posts a balanced transaction and derives the pupil balance from it', async () => {
    // the demo may already have billed this pupil (billing's demo): compare with the balance before
    const before = (await studentBalances(env.database.db, schoolId, termId, studentId))['receivable.guardian'] ?? 0;
    await env.database.db.transaction((tx) => postTransaction(tx, bill(12_000)));
    const b = await studentBalances(env.database.db, schoolId, termId, studentId);
    expect(b['receivable.guardian']).toBe(before + 12_000);
    expect(await termImbalance(env.database.db, schoolId, termId)).toBe(0);
  });

  it('refuses unbalanced lines, fractions of a fen and unknown accounts', async () => {
    const db = env.database.db;
    await expect(
      db.transaction((tx) => postTransaction(tx, { ...bill(100), lines: [bill(100).lines[0], { ...bill(99).lines[1] }] })),
    ).rejects.toMatchObject({ code: 'LEDGER_UNBALANCED' });
    await expect(db.transaction((tx) => postTransaction(tx, bill(10.5)))).rejects.toMatchObject({ code: 'AMOUNT_NOT_FEN' });
    await expect(
      db.transaction((tx) =>
        postTransaction(tx, {
          ...bill(1),
          lines: [
            { account: 'nope' as never, amountFen: 1 },
            { account: 'cash.offline', amountFen: -1 },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'LEDGER_ACCOUNT' });
  });

  it('the database refuses updates, deletes and an unbalanced insert that bypasses the application', async () => {
    const db = env.database.db;
    expect(await dbError(db.execute(sql`UPDATE ledger_entries SET amount_fen = 1`))).toMatch(/append-only/);
    expect(await dbError(db.execute(sql`DELETE FROM ledger_entries`))).toMatch(/append-only/);
    const unbalanced = await dbError(
      db.transaction(async (tx) => {
        await tx.execute(
          sql`INSERT INTO ledger_entries (school_id, id, txn_id, term_id, account, amount_fen, kind, source_type)
              VALUES (${schoolId}, gen_random_uuid(), gen_random_uuid(), ${termId}, 'cash.offline', 5, 'adjustment', 'test')`,
        );
      }),
    );
    expect(unbalanced).toMatch(/does not balance/);
    expect(await termImbalance(db, schoolId, termId)).toBe(0);
  });

  it('a closed term is read-only', async () => {
    const db = env.database.db;
    const before = await termBalances(db, schoolId, termId);
    const summary = await db.transaction((tx) => closeTerm(tx, { schoolId, termId, closedBy: null }));
    expect(summary).toEqual(before);
    expect(summary['receivable.guardian']).toBeGreaterThanOrEqual(12_000);
    await expect(db.transaction((tx) => postTransaction(tx, bill(100)))).rejects.toMatchObject({ code: 'TERM_CLOSED' });
    await expect(db.transaction((tx) => closeTerm(tx, { schoolId, termId, closedBy: null }))).rejects.toMatchObject({
      code: 'TERM_CLOSED',
    });
  });
});
