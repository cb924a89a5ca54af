/**
 * `npm run bench -- invoicing [pupils=20000]`: one school's term invoicing on a real PostgreSQL.
 * Pupils enrolled in paid care Monday–Friday (per term) and half of them in a paid club one day a
 * week (per session); the run reads the published plan's fees and the calendar, issues a bill per
 * pupil and posts it to the ledger — the same code path as the office's 生成账单 (chunks of 500, each
 * one transaction with its progress). Prints one JSON line; imbalance must be 0.
 *
 * PostgreSQL: TEST_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres;
 * a throw-away database is created and dropped.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { addDays } from '../src/shared/calendar';
import { openDatabase, queryRows, runMigrations } from '../src/server/db/client';
import { loadTermContext } from '../src/server/modules/billing/context';
import { executeRun } from '../src/server/modules/billing/runs';
import { pupilsToBill } from '../src/server/modules/billing/settle';
import { todayInChina } from '../src/server/modules/enrollment/published';
import { termImbalance } from '../src/server/modules/ledger';

const log = (...a: unknown[]) => console.error('[invoicing]', ...a);

export default async function invoicing(args: string[]) {
  const pupils = Number(args[0] ?? 20_000);
  const admin = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `kehou_bench_inv_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  try {
    await runMigrations(database);
    const db = database.db;
    const today = todayInChina(new Date());
    const ids = await queryRows<{ school: string; term: string; plan: string; care: string; club: string }>(
      db,
      sql`SELECT gen_random_uuid() AS school, gen_random_uuid() AS term, gen_random_uuid() AS plan, gen_random_uuid() AS care, gen_random_uuid() AS club`,
    );
    const { school, term, plan, care, club } = ids[0];
    log(`seeding ${pupils} pupils`);
    await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO districts (id, code, name) VALUES (gen_random_uuid(), 'bench', '基准区')`);
      await tx.execute(
        sql`INSERT INTO schools (id, district_id, code, name) SELECT ${school}, id, 'BENCH', '基准小学' FROM districts WHERE code = 'bench'`,
      );
      await tx.execute(sql`INSERT INTO campuses (school_id, id, name) VALUES (${school}, gen_random_uuid(), '本部')`);
      await tx.execute(
        sql`INSERT INTO classes (school_id, id, campus_id, grade, name)
            SELECT ${school}, gen_random_uuid(), (SELECT id FROM campuses WHERE school_id = ${school}), 1 + (g % 6), ((1 + g % 6)::text || '年级' || (g / 6 + 1)::text || '班')
              FROM generate_series(0, ${Math.ceil(pupils / 45) - 1}) g`,
      );
      await tx.execute(
        sql`WITH cl AS (SELECT id, grade, campus_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM classes WHERE school_id = ${school})
            INSERT INTO students (school_id, id, student_no, name, gender, grade, class_id, campus_id)
            SELECT ${school}, gen_random_uuid(), 'S' || lpad(i::text, 6, '0'), '学生' || i, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END, cl.grade, cl.id, cl.campus_id
              FROM generate_series(0, ${pupils - 1}) i JOIN cl ON cl.k = i % cl.n`,
      );
      await tx.execute(
        sql`INSERT INTO terms (school_id, id, name, starts_on, ends_on) VALUES (${school}, ${term}, '基准学期', ${addDays(today, -60)}, ${addDays(today, 60)})`,
      );
      await tx.execute(
        sql`INSERT INTO plans (school_id, id, term_id, status, version) VALUES (${school}, ${plan}, ${term}, 'published', 1)`,
      );
      const offering = (id: string, kind: string, nm: string, days: number[], mode: string, fee: number) => ({
        id,
        kind,
        category: kind === 'care' ? 'homework' : 'sport',
        name: nm,
        slot: 'afternoon',
        gradeMin: 1,
        gradeMax: 6,
        weekdays: days,
        capacity: pupils,
        providerName: '',
        feeMode: mode,
        feeFen: fee,
      });
      const offs = [
        offering(care, 'care', '普通托管', [1, 2, 3, 4, 5], 'per_term', 30_000),
        offering(club, 'club', '足球', [3], 'per_session', 2_000),
      ];
      for (const o of offs) {
        await tx.execute(
          sql`INSERT INTO offerings (school_id, id, plan_id, kind, category, name, slot, grade_min, grade_max, weekdays, capacity, fee_mode, fee_fen)
              VALUES (${school}, ${o.id}, ${plan}, ${o.kind}, ${o.category}, ${o.name}, 'afternoon', 1, 6, ${`{${o.weekdays.join(',')}}`}::smallint[], ${pupils}, ${o.feeMode}, ${o.feeFen})`,
        );
      }
      await tx.execute(
        sql`INSERT INTO plan_versions (school_id, plan_id, version, status, snapshot, published_at)
            VALUES (${school}, ${plan}, 1, 'published', ${JSON.stringify({ offerings: offs, slots: [] })}::jsonb, now())`,
      );
      await tx.execute(
        sql`INSERT INTO enrollments (school_id, id, term_id, student_id, offering_id, weekday, status, queue_key, source)
            SELECT ${school}::uuid, gen_random_uuid(), ${term}::uuid, s.id, ${care}::uuid, d, 'enrolled', 0, 'office' FROM students s, generate_series(1, 5) d WHERE s.school_id = ${school}
            UNION ALL
            SELECT ${school}::uuid, gen_random_uuid(), ${term}::uuid, s.id, ${club}::uuid, 3, 'enrolled', 0, 'office' FROM students s WHERE s.school_id = ${school} AND right(s.student_no, 1) IN ('0', '2', '4', '6', '8')`,
      );
    });
    await db.execute(sql`ANALYZE`);
    log('invoicing');
    const t0 = process.hrtime.bigint();
    const ctx = await loadTermContext(db, school, term, today);
    const list = await pupilsToBill(db, school, term);
    const [run] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO billing_runs (school_id, id, term_id, status, total) VALUES (${school}, gen_random_uuid(), ${term}, 'running', ${list.length}) RETURNING id`,
    );
    await executeRun(db, ctx, run.id, list, null);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const [counts] = await queryRows<{ invoices: number; entries: number; status: string }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM invoices) AS invoices, (SELECT count(*)::int FROM ledger_entries) AS entries,
                 (SELECT status FROM billing_runs WHERE id = ${run.id}) AS status`,
    );
    // a second run must issue nothing (idempotent)
    const t1 = process.hrtime.bigint();
    await executeRun(db, ctx, run.id, list, null);
    const rerun = Number(process.hrtime.bigint() - t1) / 1e9;
    const [after] = await queryRows<{ invoices: number }>(db, sql`SELECT count(*)::int AS invoices FROM invoices`);
    console.log(
      JSON.stringify({
        name: 'invoicing',
        pupils,
        seconds: Number(seconds.toFixed(3)),
        invoices: counts.invoices,
        ledger_entries: counts.entries,
        imbalance: await termImbalance(db, school, term),
        run_status: counts.status,
        rerun_seconds: Number(rerun.toFixed(3)),
        rerun_new_invoices: after.invoices - counts.invoices,
      }),
    );
  } finally {
    await database.close();
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await d.end();
  }
}
