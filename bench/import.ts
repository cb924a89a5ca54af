/**
 * Roster import throughput: a generated 2,000-row .xlsx uploaded to POST /api/roster/import (over
 * Fastify inject, the whole HTTP path: parser, auth, CSRF, validation, transaction) into a fresh
 * database with the demo district. Prints one JSON line per database: the embedded PGlite always,
 * and PostgreSQL when DATABASE_URL is set (a temporary database is created on that server and
 * dropped afterwards). Options: --rows=N, --db=embedded|postgres.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { type Database, openDatabase, runMigrations } from '../src/server/db/client';
import { DEMO_PASSWORD, seedDemo } from '../src/server/db/demo/seed';
import { generateRoster, rosterFile } from '../src/server/modules/imports/sample';
import { XLSX_MIME } from '../src/server/modules/imports/xlsx';

type Kind = 'embedded' | 'postgres';

async function temporaryPostgres(adminUrl: string) {
  const name = `kehou_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function run(kind: Kind, rows: number) {
  const tmp = kind === 'postgres' ? await temporaryPostgres(process.env.DATABASE_URL as string) : undefined;
  let database: Database | undefined;
  try {
    database = await openDatabase({ url: tmp?.url });
    await runMigrations(database);
    await seedDemo(database.db);
    const app = await buildApp({ database, loginRateLimit: 1000 });
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'admin', password: DEMO_PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
    const cookie = `kehou_sid=${login.cookies.find((c) => c.name === 'kehou_sid')?.value}`;
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    const csrf = me.json().csrfToken as string;

    const file = await rosterFile(generateRoster(rows, { campus: '本部', noPrefix: 'BENCH', classesPerGrade: 4 }));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const res = await app.inject({
      method: 'POST',
      url: '/api/roster/import',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': XLSX_MIME },
      payload: file,
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (res.statusCode !== 200 || res.json().created !== rows)
      throw new Error(`import failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
    await app.close();
    console.log(
      JSON.stringify({
        name: 'import',
        rows,
        seconds: Number(seconds.toFixed(3)),
        db: kind,
        rows_per_s: Math.round(rows / seconds),
        // CPU time of this process (PGlite runs in it): steadier than wall time on a busy machine
        cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
        file_bytes: file.length,
      }),
    );
  } finally {
    await database?.close();
    await tmp?.drop();
  }
}

export default async function importBench(args: string[]) {
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const rows = Number(opt('rows') ?? 2000);
  const only = opt('db') as Kind | undefined;
  const kinds: Kind[] = only ? [only] : process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];
  if (kinds.includes('postgres') && !process.env.DATABASE_URL) throw new Error('--db=postgres needs DATABASE_URL');
  for (const kind of kinds) await run(kind, rows);
}
