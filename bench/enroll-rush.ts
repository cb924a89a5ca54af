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
 * --concurrency=200 --db=postgres|embedded --pool=20 (the app's PostgreSQL connections).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { type Database, openDatabase, queryRows, runMigrations } from '../src/server/db/client';
import { seedDemo } from '../src/server/db/demo/seed';
import { rushFamilies } from '../src/server/modules/enrollment/rush-fixture';
import { pgbenchScripts } from './_enroll-rush-sql';
import { publishPlan } from '../src/server/modules/enrollment/test-fixtures';

const OFFERINGS = 40;
const SEATS = 1000;
const log = (...a: unknown[]) => console.error('[enroll-rush]', ...a);

const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, reqs, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const n = reqs.length;
const lat = new Float64Array(n);
const codes = {};
let enrolled = 0, waitlisted = 0, next = 0, sample = '';
function one(i) {
  return new Promise((resolve) => {
    const r = reqs[i];
    const body = JSON.stringify({ studentId: r.studentId, offeringId: r.offeringId, weekdays: [r.weekday] });
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/api/family/seats', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: r.cookie, 'x-csrf-token': r.csrf, 'idempotency-key': r.key } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => { lat[i] = performance.now() - t0; resolve([res.statusCode, data]); });
      });
    req.on('error', (e) => { lat[i] = performance.now() - t0; resolve([0, String(e)]); });
    req.end(body);
  });
}
async function lane() {
  while (next < n) {
    const i = next++;
    const [code, data] = await one(i);
    codes[code] = (codes[code] || 0) + 1;
    if (code === 200) {
      const s = JSON.parse(data).results[0].status;
      if (s === 'enrolled') enrolled++; else if (s === 'waitlisted') waitlisted++;
    } else if (!sample) sample = String(code) + ' ' + data.slice(0, 300);
  }
}
(async () => {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  parentPort.postMessage({ seconds, lat, codes, enrolled, waitlisted, sample });
})();
`;

interface LoadResult {
  seconds: number;
  lat: Float64Array;
  codes: Record<string, number>;
  enrolled: number;
  waitlisted: number;
  sample: string;
}

function fire(port: number, reqs: unknown[], concurrency: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(LOAD, { eval: true, workerData: { port, reqs, concurrency } });
    w.once('message', (m) => {
      resolve(m as LoadResult);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

export const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ------------------------------------------------------------------------------------ PostgreSQL

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function canConnect(url: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** A server to run against: DATABASE_URL, a private cluster, or the local server. */
export async function postgresServer(): Promise<{ adminUrl: string; stop(): void; origin: string }> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: () => {}, origin: 'DATABASE_URL' };
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const bin = version ? join(root, version, 'bin') : '';
  if (bin && existsSync(join(bin, 'initdb'))) {
    const dir = mkdtempSync(join(tmpdir(), 'kehou-rush-pg-'));
    const asPostgres = process.getuid?.() === 0;
    const run = (cmd: string, args: string[]) => {
      const r = asPostgres
        ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
        : spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    };
    try {
      chmodSync(dir, 0o755);
      if (asPostgres) {
        const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
        const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
        chownSync(dir, uid, gid);
      }
      const port = await freePort();
      run(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
      const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=300 -c shared_buffers=256MB -c synchronous_commit=off`;
      run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', opts, 'start']);
      log(`private PostgreSQL ${version} on port ${port}`);
      return {
        adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        origin: `private cluster (PostgreSQL ${version})`,
        stop: () => {
          spawnSync(
            asPostgres ? 'runuser' : join(bin, 'pg_ctl'),
            asPostgres
              ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop']
              : ['-D', join(dir, 'data'), '-m', 'immediate', 'stop'],
          );
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      log(`could not start a private cluster (${(e as Error).message.split('\n')[0]}); trying 127.0.0.1:5432`);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await canConnect(local)) return { adminUrl: local, stop: () => {}, origin: '127.0.0.1:5432' };
  throw new Error('no PostgreSQL: set DATABASE_URL or install Debian postgresql');
}

export async function freshDatabase(adminUrl: string) {
  const name = `kehou_rush_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const [{ max_connections }] = (await c.query('SHOW max_connections')).rows as { max_connections: string }[];
  await c.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    maxConnections: Number(max_connections),
    drop: async () => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

export function pgbenchBinary(): string | null {
  for (const p of [
    '/usr/bin/pgbench',
    ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`) : []),
  ]) {
    if (existsSync(p)) return p;
  }
  return null;
}

// ------------------------------------------------------------------------------------ the rush

async function rush(kind: 'postgres' | 'embedded', requests: number, concurrency: number, url?: string, maxConnections = 0, poolSize = 20) {
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
      return { cookie: f.cookie, csrf: f.csrf, studentId: f.studentId, offeringId: o.id, weekday: o.weekdays[0], key: `tap-${i}` };
    });
    const app = await buildApp({ database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    log(`${kind}: firing ${requests} seat requests over ${concurrency} connections`);
    // CPU of this process (the app, and the load generator's thread) per request: less at the mercy
    // of a shared machine than the wall clock
    const cpu0 = process.cpuUsage();
    const load = await fire(port, reqs, concurrency);
    const cpu = process.cpuUsage(cpu0);
    await app.close();
    if (load.sample) log(`${kind}: first error: ${load.sample}`);

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
    const sorted = Float64Array.from(load.lat).sort();
    const reqPerS = requests / load.seconds;
    let rawDbTps: number | null = null;
    let pgbenchClients: number | null = null;
    if (kind === 'postgres' && url) {
      const bin = pgbenchBinary();
      if (!bin) log('pgbench not found: raw_db_tps is null');
      else {
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
          return ['-f', `${f}@1`];
        });
        const perClient = Math.ceil(requests / pgbenchClients);
        log(`pgbench: ${pgbenchClients} clients × ${perClient} transactions`);
        const out = spawnSync(
          bin,
          ['-n', '-M', 'prepared', ...files.flat(), '-c', String(pgbenchClients), '-j', '2', '-t', String(perClient), url],
          {
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        rmSync(dir, { recursive: true, force: true });
        const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(out.stdout);
        if (!m) log(`pgbench failed: ${out.stderr || out.stdout}`);
        else rawDbTps = Number(m[1]);
        const failed = /number of failed transactions: (\d+)/.exec(out.stdout);
        if (failed && Number(failed[1]) > 0) log(`pgbench: ${failed[1]} failed transactions`);
      }
    }
    console.log(
      JSON.stringify({
        name: 'enroll-rush',
        db: kind,
        requests,
        seats: SEATS,
        enrolled: check.enrolled,
        waitlisted_responses: load.waitlisted,
        oversold: check.oversold,
        errors: requests - ok + check.drift,
        req_per_s: Math.round(reqPerS),
        p50_ms: Number(pct(sorted, 50).toFixed(1)),
        p99_ms: Number(pct(sorted, 99).toFixed(1)),
        raw_db_tps: rawDbTps === null ? null : Math.round(rawDbTps),
        ratio: rawDbTps ? Number((reqPerS / rawDbTps).toFixed(2)) : null,
        concurrency,
        pool: kind === 'postgres' ? poolSize : null,
        pgbench_clients: pgbenchClients,
        seconds: Number(load.seconds.toFixed(2)),
        cpu_ms_per_request: Number(((cpu.user + cpu.system) / 1000 / requests).toFixed(2)),
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
  if (only !== 'embedded') {
    const server = await postgresServer();
    log(`PostgreSQL: ${server.origin}`);
    const fresh = await freshDatabase(server.adminUrl);
    try {
      await rush('postgres', requests, concurrency, fresh.url, fresh.maxConnections, pool);
    } finally {
      await fresh.drop().catch(() => {});
      server.stop();
    }
  }
  if (only !== 'postgres') await rush('embedded', embeddedRequests, concurrency);
}
