/**
 * The opening rush (issue 3): N guardians, each with their own session, press 抢位 at once for
 * 1,000 seats over 40 first-come-first-served offerings, over real HTTP with C concurrent
 * keep-alive connections against the real app (buildApp, listening on a port). Then `pgbench` runs
 * the SQL statements one seat request runs (session lookup, the checks, the seat-taking statement
 * with its audit record) against the same database at the same concurrency: raw_db_tps, and
 * ratio = req_per_s / raw_db_tps is what HTTP and the application cost on top of the database.
 *
 * PostgreSQL: DATABASE_URL's server, else a private throw-away cluster (max_connections 300 so that
 * pgbench gets its 200 clients; synchronous_commit off, the same for the app and pgbench) started from
 * the PostgreSQL binaries on the machine, else postgres://postgres@127.0.0.1:5432; a fresh database
 * is created and dropped. pgbench gets min(concurrency, max_connections - 30) clients. Then the same rush, smaller, on the embedded database.
 * Prints one JSON line per database. Options: --requests=30000 --embedded-requests=3000
 * --concurrency=200 --db=postgres|embedded --pool=20 (the app's PostgreSQL connections) --warmup=2000
 * (guardians reading their child's places before the opening, not measured).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { type Database, openDatabase, queryRows, runMigrations } from '../src/server/db/client';
import { seedDemo } from '../src/server/db/demo/seed';
import { rushFamilies } from '../src/server/modules/enrollment/rush-fixture';
import { pgbenchScripts } from './_enroll-rush-sql';
import { fire } from './_load';
import { freshDatabase, postgresServer, runPgbench } from './_postgres';
import { publishPlan } from '../src/server/modules/enrollment/test-fixtures';

const OFFERINGS = 40;
const SEATS = 1000;
const log = (...a: unknown[]) => console.error('[enroll-rush]', ...a);

export const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ------------------------------------------------------------------------------------ the rush

async function rush(
  kind: 'postgres' | 'embedded',
  requests: number,
  concurrency: number,
  url?: string,
  maxConnections = 0,
  poolSize = 20,
  dbCpuMs: () => number | null = () => null,
  warmup = 0,
) {
  const database: Database = await openDatabase({ url, poolSize });
  try {
    await runMigrations(database);
    const db = database.db;
    log(`${kind}: seeding the demo district`);
    await seedDemo(db, { scale: 0.2 });
    const [{ id: schoolId }] = await queryRows<{ id: string }>(db, sql`SELECT id FROM schools WHERE code = 'HC-SY'`);
    const perOffering = Math.floor(SEATS / OFFERINGS);
    const plan = await publishPlan(db, schoolId, {
      termName: '抢位压测学期',
      offerings: Array.from({ length: OFFERINGS }, (_, i) => ({
        name: `社团 ${i + 1}`,
        allocation: 'fcfs' as const,
        weekdays: [(i % 5) + 1],
        capacity: perOffering,
      })),
    });
    log(`${kind}: ${requests} families with sessions, signatures and applications`);
    const families = await rushFamilies(db, schoolId, plan.termId, requests, 'rush');
    if (kind === 'postgres') await db.execute(sql`VACUUM ANALYZE`);
    const reqs = families.map((f, i) => {
      const o = plan.offerings[i % OFFERINGS];
      return {
        method: 'POST' as const,
        path: '/api/family/seats',
        headers: { cookie: f.cookie, 'x-csrf-token': f.csrf, 'idempotency-key': `tap-${i}` },
        body: { studentId: f.studentId, offeringId: o.id, weekdays: [o.weekdays[0]] },
      };
    });
    const app = await buildApp({ database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    // the minutes before the opening: guardians open their child's places (sessions, connections and
    // code warm, as on a server that has been up all morning); not measured
    const warm = await fire(
      port,
      families.slice(0, warmup).map((f) => ({
        method: 'GET' as const,
        path: `/api/family/enrollments?studentId=${f.studentId}`,
        headers: { cookie: f.cookie },
      })),
      concurrency,
    );
    if (warmup && warm.codes['200'] !== Math.min(warmup, families.length)) throw new Error(`the warm-up failed: ${warm.sample}`);
    log(`${kind}: warmed with ${warmup} reads; firing ${requests} seat requests over ${concurrency} connections`);
    // CPU of this process (the app, and the load generator's thread) per request: less at the mercy
    // of a shared machine than the wall clock
    const cpu0 = process.cpuUsage();
    const db0 = dbCpuMs();
    const load = await fire(port, reqs, concurrency);
    const cpu = process.cpuUsage(cpu0);
    const db1 = dbCpuMs();
    await app.close();
    if (load.sample) log(`${kind}: first error: ${load.sample}`);
    let waitlisted = 0;
    load.bodies.forEach((b, i) => {
      if (load.status[i] === 200 && (JSON.parse(b) as { results: { status: string }[] }).results[0].status === 'waitlisted') waitlisted++;
    });

    const [check] = await queryRows<{ enrolled: number; oversold: number; drift: number; taken: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM enrollments WHERE term_id = ${plan.termId} AND status = 'enrolled')::int AS enrolled,
                 (SELECT COALESCE(sum(GREATEST(0, n - s.capacity)), 0) FROM offering_seats s
                    JOIN (SELECT offering_id, weekday, count(*) AS n FROM enrollments WHERE term_id = ${plan.termId} AND status = 'enrolled'
                           GROUP BY offering_id, weekday) e ON e.offering_id = s.offering_id AND e.weekday = s.weekday)::int AS oversold,
                 (SELECT count(*) FROM offering_seats s JOIN offerings o ON o.school_id = s.school_id AND o.id = s.offering_id
                   WHERE o.plan_id = ${plan.planId} AND s.taken <> (SELECT count(*) FROM enrollments e WHERE e.offering_id = s.offering_id
                     AND e.weekday = s.weekday AND e.status = 'enrolled'))::int AS drift,
                 (SELECT sum(taken) FROM offering_seats s JOIN offerings o ON o.school_id = s.school_id AND o.id = s.offering_id
                   WHERE o.plan_id = ${plan.planId})::int AS taken`,
    );
    const ok = load.codes['200'] ?? 0;
    if (process.env.KEHOU_BENCH_LAT) writeFileSync(process.env.KEHOU_BENCH_LAT, JSON.stringify(Array.from(load.lat)));
    const sorted = Float64Array.from(load.lat).sort();
    const reqPerS = requests / load.seconds;
    let rawDbTps: number | null = null;
    let pgbenchClients: number | null = null;
    if (kind === 'postgres' && url) {
      {
        // the same work again: empty seats, the same families, the same statements
        await db.execute(sql`DELETE FROM enrollments WHERE term_id = ${plan.termId}`);
        await db.execute(sql`DELETE FROM audit_log WHERE action = 'enrollment.request'`);
        await db.execute(
          sql`UPDATE offering_seats s SET taken = 0 FROM offerings o WHERE o.school_id = s.school_id AND o.id = s.offering_id AND o.plan_id = ${plan.planId}`,
        );
        await db.execute(sql`VACUUM ANALYZE enrollments`);
        pgbenchClients = Math.min(concurrency, Math.max(10, maxConnections - 30));
        const dir = mkdtempSync(join(tmpdir(), 'kehou-pgbench-'));
        const scripts = pgbenchScripts({
          schoolId,
          termId: plan.termId,
          requests,
          offerings: plan.offerings.map((o) => ({ id: o.id, weekday: o.weekdays[0] })),
          from: '2026-09-01',
          to: '2027-01-22',
        });
        const files = scripts.map((text, k) => {
          const f = join(dir, `seat-${k}.sql`);
          writeFileSync(f, text);
          return f;
        });
        rawDbTps = runPgbench(url, files, pgbenchClients, Math.ceil(requests / pgbenchClients), 'enroll-rush');
        rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(
      JSON.stringify({
        name: 'enroll-rush',
        db: kind,
        requests,
        seats: SEATS,
        enrolled: check.enrolled,
        waitlisted_responses: waitlisted,
        oversold: check.oversold,
        errors: requests - ok + check.drift,
        req_per_s: Math.round(reqPerS),
        p50_ms: Number(pct(sorted, 50).toFixed(1)),
        p99_ms: Number(pct(sorted, 99).toFixed(1)),
        raw_db_tps: rawDbTps === null ? null : Math.round(rawDbTps),
        ratio: rawDbTps ? Number((reqPerS / rawDbTps).toFixed(2)) : null,
        concurrency,
        pool: kind === 'postgres' ? poolSize : null,
        warmup_requests: warmup,
        pgbench_clients: pgbenchClients,
        seconds: Number(load.seconds.toFixed(2)),
        cpu_ms_per_request: Number(((cpu.user + cpu.system) / 1000 / requests).toFixed(2)),
        // the private cluster's processes over the same burst (null on another server): where the time goes
        db_cpu_ms_per_request: db0 === null || db1 === null ? null : Number(((db1 - db0) / requests).toFixed(2)),
      }),
    );
  } finally {
    await database.close();
  }
}

export default async function enrollRush(args: string[]) {
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const requests = Number(opt('requests') ?? 30_000);
  const embeddedRequests = Number(opt('embedded-requests') ?? 3_000);
  const concurrency = Number(opt('concurrency') ?? 200);
  const only = opt('db');
  // the app's connections to PostgreSQL: a few per core serve best; 200 would only queue in the server
  const pool = Number(opt('pool') ?? 20);
  const warmup = Number(opt('warmup') ?? 2000);
  if (only !== 'embedded') {
    const server = await postgresServer();
    log(`PostgreSQL: ${server.origin}`);
    const fresh = await freshDatabase(server.adminUrl);
    try {
      await rush('postgres', requests, concurrency, fresh.url, fresh.maxConnections, pool, server.cpuMs, warmup);
    } finally {
      await fresh.drop().catch(() => {});
      server.stop();
    }
  }
  if (only !== 'postgres')
    await rush('embedded', embeddedRequests, concurrency, undefined, 0, 0, () => null, Math.min(warmup, embeddedRequests));
}
