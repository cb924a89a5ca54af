/**
 * The pick-up peak (issue 4): at the end of the afternoon N pupils (3,000) are released to their
 * authorised adults at once, over real HTTP with C (200) concurrent keep-alive connections against
 * the real app, each release from the session of the care teacher whose group the pupil is in
 * (POST /api/daily/groups/:id/release with an idempotency key, as the phones send it).
 *
 * Set-up, directly in the database (the peak is measured, not the set-up): the demo district
 * (small), then N pupils in school 1 with one authorised pick-up adult each, in groups of 35 for
 * today's weekday (afternoon), each group with its own care teacher (an account and a live
 * session), today's roster materialised and every pupil marked present.
 *
 * Then `pgbench` runs the SQL statements one release runs — captured from one real release over
 * HTTP: the session lookup, the idempotency check, today's checks (school day, the group, the
 * teacher), the release with its row lock, the pick-up adult check, the audit record, the
 * idempotency record and the live-update notification — against the same database at the same
 * concurrency: raw_db_tps, and ratio = req_per_s / raw_db_tps.
 *
 * Prints one JSON line: name, releases, req_per_s, p50_ms, p99_ms, raw_db_tps, ratio, lost (pupils
 * not released), duplicated (released twice), errors. Options: --releases=3000 --concurrency=200
 * --pool=20 --warmup=400 (roster reads by the groups' teachers before the burst, not measured: the
 * server has served the afternoon). PostgreSQL as for enroll-rush (DATABASE_URL, else a private cluster, else :5432).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app';
import { type Database, type Db, openDatabase, queryRows, runMigrations } from '../src/server/db/client';
import { seedDemo } from '../src/server/db/demo/seed';
import { schoolDay, todayInChina } from '../src/server/modules/daily/days';
import { materialise } from '../src/server/modules/daily/today';
import { captureQueries, RELEASE_VARS, type ReleaseVars, releaseScript } from './_pickup-peak-sql';
import { pct } from './enroll-rush';
import { fire, type LoadRequest } from './_load';
import { freshDatabase, postgresServer, runPgbench } from './_postgres';

const GROUP = 35;
const log = (...a: unknown[]) => console.error('[pickup-peak]', ...a);
const uuid = (tag: string, i: string) =>
  sql`overlay(overlay(md5('peak:' || ${tag} || ':' || ${sql.raw(i)}) placing '4' from 13) placing '8' from 17)::uuid`;

interface Release {
  i: number;
  token: string;
  csrf: string;
  groupId: string;
  studentId: string;
  pickupId: string;
  key: string;
}

const asLoad = (r: Release): LoadRequest => ({
  method: 'POST',
  path: `/api/daily/groups/${r.groupId}/release`,
  headers: { cookie: `kehou_sid=${r.token}`, 'x-csrf-token': r.csrf, 'idempotency-key': r.key },
  body: { studentId: r.studentId, pickupPersonId: r.pickupId },
});

/** N present pupils with a pick-up adult each, in groups of 35 with a teacher and a session each, today. */
async function peakFixture(db: Db, n: number) {
  const [school] = await queryRows<{ id: string }>(db, sql`SELECT id FROM schools WHERE code = 'HC-SY'`);
  const sd = await schoolDay(db, school.id, todayInChina());
  if (!sd.termId || !sd.weekday) throw new Error(`today (${sd.day}) is not a school day of the demo: ${sd.reason ?? ''}`);
  const [cls] = await queryRows<{ id: string; campus_id: string }>(
    db,
    sql`SELECT id, campus_id FROM classes WHERE school_id = ${school.id} AND grade = 3 ORDER BY name LIMIT 1`,
  );
  const [offering] = await queryRows<{ id: string }>(
    db,
    sql`SELECT o.id FROM offerings o JOIN plans p ON p.school_id = o.school_id AND p.id = o.plan_id
         WHERE o.school_id = ${school.id} AND p.term_id = ${sd.termId} AND o.slot = 'afternoon' ORDER BY o.kind, o.name LIMIT 1`,
  );
  const groups = Math.ceil(n / GROUP);
  const s = school.id;
  await db.execute(sql`
    WITH g AS (SELECT i, ${uuid('a', 'i')} AS account_id, ${uuid('t', 'i')} AS staff_id, ${uuid('g', 'i')} AS group_id
                 FROM generate_series(1, ${groups}::int) i),
    a AS (INSERT INTO accounts (id, username, display_name, password_hash) SELECT account_id, 'peak-t-' || i, '托管老师' || i, 'x' FROM g),
    r AS (INSERT INTO school_roles (school_id, account_id, role) SELECT ${s}, account_id, 'teacher' FROM g),
    se AS (INSERT INTO sessions (token_hash, account_id, csrf_token, active_school_id, ip, expires_at)
             SELECT encode(sha256(convert_to('peak-' || i, 'UTF8')), 'hex'), account_id, 'csrf-' || i, ${s}, '127.0.0.1', now() + interval '1 day' FROM g)
    SELECT count(*) FROM g`);
  await db.execute(sql`
    WITH g AS (SELECT i, ${uuid('a', 'i')} AS account_id, ${uuid('t', 'i')} AS staff_id, ${uuid('g', 'i')} AS group_id
                 FROM generate_series(1, ${groups}::int) i),
    st AS (INSERT INTO staff (school_id, id, account_id, campus_id, name, vetting_status, vetting_checked_on)
             SELECT ${s}, staff_id, account_id, ${cls.campus_id}, '托管老师' || i, 'clear', ${sd.day}::date FROM g)
    SELECT count(*) FROM g`);
  await db.execute(sql`
    INSERT INTO care_groups (school_id, id, term_id, key, weekday, slot, campus_id, offering_id, band, idx, teacher_staff_id)
    SELECT ${s}, ${uuid('g', 'i')}, ${sd.termId}, 'peak-' || i, ${sd.weekday}, 'afternoon', ${cls.campus_id}, ${offering.id}, 'high', i, ${uuid('t', 'i')}
      FROM generate_series(1, ${groups}::int) i`);
  await db.execute(sql`
    WITH p AS (SELECT i, ${uuid('s', 'i')} AS student_id FROM generate_series(1, ${n}::int) i),
    st AS (INSERT INTO students (school_id, id, student_no, name, gender, grade, class_id, campus_id)
             SELECT ${s}, student_id, 'peak-' || i, '学生' || i, CASE WHEN i % 2 = 0 THEN '男' ELSE '女' END, 3, ${cls.id}, ${cls.campus_id} FROM p)
    SELECT count(*) FROM p`);
  await db.execute(sql`
    WITH p AS (SELECT i, ${uuid('s', 'i')} AS student_id FROM generate_series(1, ${n}::int) i),
    pk AS (INSERT INTO pickup_persons (school_id, id, student_id, name, relation, phone)
             SELECT ${s}, ${uuid('p', 'i')}, student_id, '家长' || i, '母亲', '139' || lpad(i::text, 8, '0') FROM p)
    INSERT INTO care_group_members (school_id, group_id, student_id)
    SELECT ${s}, ${uuid('g', `((i - 1) / ${GROUP} + 1)`)}, student_id FROM p`);
  await materialise(db, s, sd);
  await db.execute(sql`
    UPDATE attendance a SET status = 'present', marked_at = now()
      FROM care_groups g WHERE g.school_id = a.school_id AND g.id = a.group_id AND a.school_id = ${s} AND a.day = ${sd.day}::date AND g.key LIKE 'peak-%'`);
  const rows = await queryRows<{ i: number; group_id: string; student_id: string; pickup_id: string; g: number }>(
    db,
    sql`SELECT i, ${uuid('s', 'i')} AS student_id, ${uuid('p', 'i')} AS pickup_id, (i - 1) / ${GROUP} + 1 AS g,
               ${uuid('g', `((i - 1) / ${GROUP} + 1)`)} AS group_id
          FROM generate_series(1, ${n}::int) i ORDER BY i`,
  );
  const releases: Release[] = rows.map((r) => ({
    i: r.i,
    token: `peak-${r.g}`,
    csrf: `csrf-${r.g}`,
    groupId: r.group_id,
    studentId: r.student_id,
    pickupId: r.pickup_id,
    key: `release-${r.i}-0000`,
  }));
  return { schoolId: s, day: sd.day, releases };
}

/** The outcome in the database: pupils of the peak not released, and pupils released more than once. */
async function outcome(db: Db, schoolId: string, day: string) {
  const [r] = await queryRows<{ lost: number; duplicated: number; released: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
                 WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND g.key LIKE 'peak-%' AND a.handover <> 'released')::int AS lost,
               (SELECT count(*) FROM (SELECT entity_id FROM audit_log WHERE school_id = ${schoolId} AND action = 'attendance.release'
                   AND entity_id IN (SELECT student_id::text FROM care_group_members m JOIN care_groups g ON g.school_id = m.school_id AND g.id = m.group_id
                                      WHERE g.school_id = ${schoolId} AND g.key LIKE 'peak-%')
                 GROUP BY entity_id HAVING count(*) > 1) d)::int AS duplicated,
               (SELECT count(*) FROM attendance a JOIN care_groups g ON g.school_id = a.school_id AND g.id = a.group_id
                 WHERE a.school_id = ${schoolId} AND a.day = ${day}::date AND g.key LIKE 'peak-%' AND a.handover = 'released')::int AS released`,
  );
  return r;
}

export default async function pickupPeak(args: string[]) {
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const n = Number(opt('releases') ?? 3000);
  const concurrency = Number(opt('concurrency') ?? 200);
  const poolSize = Number(opt('pool') ?? 20);
  const warmup = Number(opt('warmup') ?? 400);
  const server = await postgresServer();
  log(`PostgreSQL: ${server.origin}`);
  const fresh = await freshDatabase(server.adminUrl);
  const capture = captureQueries();
  let database: Database | undefined;
  try {
    database = await openDatabase({ url: fresh.url, poolSize });
    await runMigrations(database);
    const db = database.db;
    log('seeding the demo district (small)');
    await seedDemo(db, { scale: 0.2 });
    log(`${n} pupils present in groups of ${GROUP}, a teacher and a session per group`);
    const { schoolId, day, releases } = await peakFixture(db, n);
    await db.execute(sql`VACUUM ANALYZE`);
    const app = await buildApp({ database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;

    // one release over HTTP with every statement recorded: what pgbench runs; the rest in the burst
    const [first, ...rest] = releases;
    log(`app on port ${port}; one release with its statements recorded`);
    capture.start();
    const one = await fire(port, [asLoad(first)], 1);
    capture.stop();
    if (one.codes['200'] !== 1) {
      await app.close();
      throw new Error(`the first release failed: ${one.sample}`);
    }
    const statements = capture.seen.filter((q) => !/^\s*(SHOW|SET)\b/i.test(q.text));
    for (const q of statements) log(`  ${q.text.replace(/\s+/g, ' ').trim().slice(0, 110)}`);
    // the afternoon before the pick-up: each group's teacher opens the roster (sessions, the pool's
    // connections and the code are warm, as on a server that has run since noon); not measured
    const groups = [...new Map(rest.map((r) => [r.groupId, r])).values()];
    const warm = await fire(
      port,
      Array.from({ length: warmup }, (_, k) => groups[k % groups.length]).map((r) => ({
        method: 'GET' as const,
        path: `/api/daily/groups/${r.groupId}/roster`,
        headers: { cookie: `kehou_sid=${r.token}` },
      })),
      concurrency,
    );
    if (warmup && warm.codes['200'] !== warmup) throw new Error(`the warm-up failed: ${warm.sample}`);
    log(
      `one release runs ${statements.length} statements; warmed with ${warmup} roster reads; firing ${rest.length} releases over ${concurrency} connections`,
    );
    const cpu0 = process.cpuUsage();
    const db0 = server.cpuMs();
    const load = await fire(port, rest.map(asLoad), concurrency);
    const cpu = process.cpuUsage(cpu0);
    const db1 = server.cpuMs();
    await app.close();
    if (load.sample) log(`first error: ${load.sample}`);
    const replayed = load.bodies.filter((b, i) => load.status[i] === 200 && (JSON.parse(b) as { replayed?: boolean }).replayed).length;
    const result = await outcome(db, schoolId, day);
    if (process.env.KEHOU_BENCH_LAT) writeFileSync(process.env.KEHOU_BENCH_LAT, JSON.stringify(Array.from(load.lat)));
    const sorted = Float64Array.from(load.lat).sort();
    const reqPerS = rest.length / load.seconds;

    let rawDbTps: number | null = null;
    let pgbenchClients: number | null = null;
    {
      // the same releases again, from the statements: every pupil present and not released, no keys
      const ids = sql`(SELECT id FROM care_groups WHERE school_id = ${schoolId} AND key LIKE 'peak-%')`;
      await db.execute(
        sql`UPDATE attendance SET handover = 'none', released_at = NULL, released_to_pickup_id = NULL, released_to_name = NULL, released_by = NULL
             WHERE school_id = ${schoolId} AND day = ${day}::date AND group_id IN ${ids}`,
      );
      await db.execute(sql`DELETE FROM daily_writes WHERE school_id = ${schoolId}`);
      await db.execute(sql`DELETE FROM audit_log WHERE school_id = ${schoolId} AND action = 'attendance.release'`);
      await db.execute(sql`CREATE TABLE bench_release (i int PRIMARY KEY, ${sql.raw(RELEASE_VARS.map((v) => `${v} text`).join(', '))})`);
      await db.execute(sql`
        INSERT INTO bench_release SELECT i, encode(sha256(convert_to('peak-' || ((i - 1) / ${GROUP} + 1), 'UTF8')), 'hex'),
               ${uuid('a', `((i - 1) / ${GROUP} + 1)`)}::text, ${uuid('g', `((i - 1) / ${GROUP} + 1)`)}::text, ${uuid('s', 'i')}::text,
               ${uuid('p', 'i')}::text, 'pgbench-' || i FROM generate_series(1, ${n}::int) i`);
      await db.execute(sql`VACUUM ANALYZE`);
      const [sample] = await queryRows<ReleaseVars>(db, sql`SELECT * FROM bench_release WHERE i = ${first.i}`);
      const script = releaseScript(statements, { ...sample, idem_key: first.key }, n, [schoolId]);
      pgbenchClients = Math.min(concurrency, Math.max(10, fresh.maxConnections - 30));
      const dir = mkdtempSync(join(tmpdir(), 'kehou-pgbench-'));
      const file = join(dir, 'release.sql');
      writeFileSync(file, script);
      const perClient = Math.ceil(n / pgbenchClients);
      rawDbTps = runPgbench(fresh.url, [file], pgbenchClients, perClient, 'pickup-peak');
      if (process.env.KEHOU_BENCH_KEEP_SCRIPT) log(`script:\n${script}`);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(
      JSON.stringify({
        name: 'pickup-peak',
        releases: n,
        released: result.released,
        req_per_s: Math.round(reqPerS),
        p50_ms: Number(pct(sorted, 50).toFixed(1)),
        p99_ms: Number(pct(sorted, 99).toFixed(1)),
        raw_db_tps: rawDbTps === null ? null : Math.round(rawDbTps),
        ratio: rawDbTps ? Number((reqPerS / rawDbTps).toFixed(2)) : null,
        lost: result.lost,
        duplicated: result.duplicated,
        errors: rest.length - (load.codes['200'] ?? 0),
        replayed,
        statements_per_release: statements.length,
        warmup_requests: warmup,
        cpu_ms_per_request: Number(((cpu.user + cpu.system) / 1000 / rest.length).toFixed(2)),
        db_cpu_ms_per_request: db0 === null || db1 === null ? null : Number(((db1 - db0) / rest.length).toFixed(2)),
        concurrency,
        pool: poolSize,
        pgbench_clients: pgbenchClients,
        seconds: Number(load.seconds.toFixed(2)),
      }),
    );
  } finally {
    capture.restore();
    await database?.close();
    await fresh.drop().catch(() => {});
    server.stop();
  }
}
