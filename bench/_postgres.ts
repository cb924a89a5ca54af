/**
 * PostgreSQL for the benchmarks that need a real server (enroll-rush, pickup-peak, invoicing):
 * DATABASE_URL's server, else a private throw-away cluster started from the PostgreSQL binaries on
 * the machine (max_connections 300 so that pgbench gets its 200 clients; synchronous_commit off),
 * else postgres://postgres@127.0.0.1:5432; a fresh database per run; pgbench; and the CPU the
 * private cluster's processes spent, to set beside the app's own (`cpuMs`, null for other servers).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const log = (...a: unknown[]) => console.error('[postgres]', ...a);

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

export interface PostgresServer {
  adminUrl: string;
  origin: string;
  stop(): void;
  /** CPU (user + system, ms) the private cluster's processes have used so far; null for another server */
  cpuMs(): number | null;
}

/** CPU ms of a process and its children (the postmaster's backends) from /proc; Linux clock ticks of 10 ms. */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // fields after the command's closing parenthesis: state ppid … utime (14th) stime (15th)
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) === pid || Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks * 10;
}

/** A server to run against: DATABASE_URL, a private cluster, or the local server. */
export async function postgresServer(): Promise<PostgresServer> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: () => {}, origin: 'DATABASE_URL', cpuMs: () => null };
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
        cpuMs: () => {
          try {
            return treeCpuMs(Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]));
          } catch {
            return null;
          }
        },
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
  if (await canConnect(local)) return { adminUrl: local, stop: () => {}, origin: '127.0.0.1:5432', cpuMs: () => null };
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

/**
 * Runs pgbench (prepared mode, 2 threads) with the given script files against `url`; the tps without
 * the initial connection time, or null (logged) when it failed or is not installed.
 */
export function runPgbench(url: string, files: string[], clients: number, perClient: number, tag: string): number | null {
  const bin = pgbenchBinary();
  if (!bin) {
    log(`${tag}: pgbench not found: raw_db_tps is null`);
    return null;
  }
  log(`${tag}: pgbench ${clients} clients × ${perClient} transactions`);
  const out = spawnSync(
    bin,
    ['-n', '-M', 'prepared', ...files.flatMap((f) => ['-f', `${f}@1`]), '-c', String(clients), '-j', '2', '-t', String(perClient), url],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const failed = /number of failed transactions: (\d+)/.exec(out.stdout);
  if (failed && Number(failed[1]) > 0) log(`${tag}: pgbench: ${failed[1]} failed transactions`);
  const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(out.stdout);
  if (!m) {
    log(`${tag}: pgbench failed: ${(out.stderr || out.stdout).slice(0, 2000)}`);
    return null;
  }
  return Number(m[1]);
}
