/**
 * The outbox: a delivery is written with its notification (and rolled back with it), retried with
 * backoff after failures against a real loopback HTTP receiver, dead after N attempts and retried by
 * the office; two workers on one PostgreSQL never deliver the same row twice.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { type Database, openDatabase, queryRows } from '../../db/client';
import { type Client, describeEachDb, login, request, type TestEnv } from '../../test/harness';
import { carelogEnv } from '../carelog/test-env';
import { notifyAccounts } from '../enrollment/notify';
import { backoffMs } from './backoff';
import { sign } from './channels';
import { OutboxWorker } from './worker';

const SECRET = 'a-very-secret-shared-key';

/** A webhook receiver on loopback: `/flaky` fails the first `failFirst` posts, `/down` always fails. */
function receiver(failFirst = 2) {
  const got: { id: string; path: string; ok: boolean; body: Record<string, unknown> }[] = [];
  let seen = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const ts = String(req.headers['x-kehou-timestamp']);
      const valid = req.headers['x-kehou-signature'] === sign(SECRET, ts, raw);
      const path = req.url ?? '';
      const fail = !valid || path === '/down' || (path === '/flaky' && seen++ < failFirst);
      got.push({ id: String(req.headers['x-kehou-delivery']), path, ok: !fail, body: JSON.parse(raw) });
      setTimeout(() => res.writeHead(fail ? 500 : 204).end(), path === '/slow' ? 30 : 0);
    });
  });
  return {
    got,
    start: () =>
      new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A loopback SMTP receiver speaking just enough of RFC 5321; refuses the first `failFirst` messages with 451. */
function smtpReceiver(failFirst = 1) {
  const mails: { from: string; to: string[]; data: string; accepted: boolean }[] = [];
  let seen = 0;
  const server: TcpServer = createTcpServer((sock) => {
    let buf = '';
    let mail = { from: '', to: [] as string[], data: '' };
    let inData = false;
    sock.write('220 loopback ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          const accepted = seen++ >= failFirst;
          mails.push({ ...mail, accepted });
          sock.write(accepted ? '250 queued\r\n' : '451 try again later\r\n');
          mail = { from: '', to: [], data: '' };
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250-loopback\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          mail.from = line;
          sock.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          mail.to.push(line);
          sock.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          sock.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') sock.end('221 bye\r\n');
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  return {
    mails,
    start: () => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port))),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('backoff', () => {
  it('starts at the base, doubles, never exceeds the cap, never shrinks', () => {
    expect(backoffMs(1, 1000)).toBe(1000);
    expect(backoffMs(3, 1000)).toBe(4000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (n, base, cap) => {
          const d = backoffMs(n, base, cap);
          return d <= cap && d >= Math.min(base, cap) && backoffMs(n + 1, base, cap) >= d;
        },
      ),
    );
  });
});

describeEachDb('outbox', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let admin2: Client;
  let teacher: Client;
  let schoolId: string;
  let accountId: string;
  let base: string;
  const rx = receiver(2);
  const db = () => env.database.db;
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(db(), q);
  const notify = (title: string) => db().transaction((tx) => notifyAccounts(tx, schoolId, [accountId], { kind: 'test.outbox', title }));
  const deliveriesOf = (title: string) =>
    rows<{ id: string; status: string; attempts: number; last_error: string | null }>(
      sql`SELECT d.id, d.status, d.attempts, d.last_error FROM outbox_deliveries d JOIN notifications n ON n.school_id = d.school_id AND n.id = d.notification_id WHERE n.title = ${title}`,
    );
  const setHook = (path: string, maxAttempts = 6, enabled = true) =>
    admin.send('PUT', '/api/outbox/channels/webhook', {
      enabled,
      maxAttempts,
      config: { url: `${base}${path}`, secret: SECRET, timeoutMs: 2000 },
    });

  beforeAll(async () => {
    env = await carelogEnv(kind);
    base = await rx.start();
    [admin, admin2, teacher] = await Promise.all(['admin', 'admin2', 'teacher'].map((l) => login(env.app, l)));
    [{ school_id: schoolId, account_id: accountId }] = await rows<{ school_id: string; account_id: string }>(
      sql`SELECT r.school_id, r.account_id FROM school_roles r JOIN accounts a ON a.id = r.account_id WHERE a.username = 'homeroom' LIMIT 1`,
    );
  }, 120_000);
  afterAll(async () => {
    await rx.stop();
    await env?.close();
  });

  it('requires authentication and the outbox permission', async () => {
    expect((await request(env.app, 'GET', '/api/outbox/deliveries')).status).toBe(401);
    expect((await request(env.app, 'GET', '/api/outbox/channels')).status).toBe(401);
    expect((await teacher.get('/api/outbox/deliveries')).status).toBe(403);
    expect((await teacher.send('PUT', '/api/outbox/channels/webhook', { enabled: true })).status).toBe(403);
  });

  it('channel settings: validated, the secret never shown and kept when left empty; SMS is not wired', async () => {
    expect(
      (await admin.send('PUT', '/api/outbox/channels/webhook', { enabled: true, config: { url: 'ftp://x', secret: SECRET } })).status,
    ).toBe(400);
    expect(
      (await admin.send('PUT', '/api/outbox/channels/webhook', { enabled: true, config: { url: base, secret: 'short' } })).status,
    ).toBe(400);
    expect((await admin.send('PUT', '/api/outbox/channels/sms', { enabled: true, config: {} })).status).toBe(422);
    const ok = await setHook('/flaky');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kind: 'webhook', enabled: true, secretSet: true, config: { url: `${base}/flaky` } });
    expect(JSON.stringify(ok.body)).not.toContain(SECRET);
    const kept = await admin.send('PUT', '/api/outbox/channels/webhook', {
      enabled: true,
      config: { url: `${base}/flaky`, secret: '', timeoutMs: 2000 },
    });
    expect(kept.body.secretSet).toBe(true);
    const list = await admin.get('/api/outbox/channels');
    expect(list.body.channels.find((c: { kind: string }) => c.kind === 'webhook').enabled).toBe(true);
    expect((await admin2.get('/api/outbox/channels')).body.channels.find((c: { kind: string }) => c.kind === 'webhook').enabled).toBe(
      false,
    );
  });

  it('a delivery is written in the notification’s transaction; a rolled-back event leaves neither', async () => {
    await notify('committed');
    expect(await deliveriesOf('committed')).toMatchObject([{ status: 'pending', attempts: 0 }]);
    await expect(
      db().transaction(async (tx) => {
        await notifyAccounts(tx, schoolId, [accountId], { kind: 'test.outbox', title: 'rolled back' });
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect(await rows(sql`SELECT 1 FROM notifications WHERE title = 'rolled back'`)).toEqual([]);
    expect(await deliveriesOf('rolled back')).toEqual([]);
  });

  it('retried with backoff after failures until delivered, signed, once', async () => {
    const w = new OutboxWorker(db(), { baseDelayMs: 1 });
    for (let i = 0; i < 10 && (await deliveriesOf('committed'))[0].status !== 'delivered'; i++) {
      await w.tick();
      await new Promise((r) => setTimeout(r, 5));
    }
    const [d] = await deliveriesOf('committed');
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
    const mine = rx.got.filter((g) => g.id === d.id);
    expect(mine.map((g) => g.ok)).toEqual([false, false, true]);
    expect(mine[2].body).toMatchObject({ deliveryId: d.id, kind: 'test.outbox', title: 'committed', recipient: { accountId } });
    const [n] = await rows<{ delivered_at: string | null }>(sql`SELECT delivered_at FROM notifications WHERE title = 'committed'`);
    expect(n.delivered_at).not.toBeNull();
    await w.tick();
    expect(rx.got.filter((g) => g.id === d.id)).toHaveLength(3);
  });

  it('dead after N attempts, listed for the office with the error, retried by hand; another school’s id is 404', async () => {
    await setHook('/down', 2);
    await notify('doomed');
    const w = new OutboxWorker(db(), { baseDelayMs: 1 });
    for (let i = 0; i < 5; i++) {
      await w.tick();
      await new Promise((r) => setTimeout(r, 5));
    }
    const [d] = await deliveriesOf('doomed');
    expect(d).toMatchObject({ status: 'dead', attempts: 2, last_error: 'HTTP 500' });
    const dead = await admin.get('/api/outbox/deliveries?status=dead');
    expect(dead.status).toBe(200);
    expect(dead.body.items.find((i: { id: string }) => i.id === d.id)).toMatchObject({
      status: 'dead',
      lastError: 'HTTP 500',
      title: 'doomed',
    });
    expect(dead.body.counts.dead).toBeGreaterThanOrEqual(1);
    expect((await admin.get('/api/outbox/deliveries?status=lost')).status).toBe(400);
    expect((await admin2.post(`/api/outbox/deliveries/${d.id}/retry`)).status).toBe(404);
    expect((await admin2.get('/api/outbox/deliveries')).body.items).toEqual([]);
    await setHook('/ok');
    const retry = await admin.post(`/api/outbox/deliveries/${d.id}/retry`);
    expect(retry.status).toBe(200);
    await w.tick();
    expect((await deliveriesOf('doomed'))[0].status).toBe('delivered');
    const again = await admin.post(`/api/outbox/deliveries/${d.id}/retry`);
    expect(again.status).toBe(409);
    const [a] = await rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'outbox.retry' AND entity_id = ${d.id}`,
    );
    expect(a.n).toBe(1);
  });

  it('disabling a channel pauses its queued deliveries (kept, not lost); new notifications queue none for it', async () => {
    await notify('paused');
    await setHook('/ok', 6, false);
    await notify('while off');
    expect(await deliveriesOf('while off')).toEqual([]);
    await new OutboxWorker(db(), { baseDelayMs: 1 }).tick();
    expect((await deliveriesOf('paused'))[0].status).toBe('pending');
    await setHook('/ok');
    await new OutboxWorker(db(), { baseDelayMs: 1 }).tick();
    expect((await deliveriesOf('paused'))[0].status).toBe('delivered');
  });

  it('e-mail over SMTP to the school’s mailbox: refused once (451), retried, delivered with the delivery id; the password never shown', async () => {
    const smtp = smtpReceiver(1);
    const port = await smtp.start();
    try {
      await setHook('/ok', 6, false);
      const config = {
        host: '127.0.0.1',
        port,
        secure: false,
        user: '',
        pass: 'smtp-password',
        from: 'kehou@school.example',
        to: 'office@school.example',
        timeoutMs: 3000,
      };
      expect(
        (await admin.send('PUT', '/api/outbox/channels/email', { enabled: true, config: { ...config, to: 'not-an-address' } })).status,
      ).toBe(400);
      const saved = await admin.send('PUT', '/api/outbox/channels/email', { enabled: true, config });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ kind: 'email', enabled: true, secretSet: true });
      expect(JSON.stringify(saved.body)).not.toContain('smtp-password');
      await notify('by mail');
      const w = new OutboxWorker(db(), { baseDelayMs: 1 });
      for (let i = 0; i < 5 && (await deliveriesOf('by mail'))[0].status !== 'delivered'; i++) {
        await w.tick();
        await new Promise((r) => setTimeout(r, 5));
      }
      const [d] = await deliveriesOf('by mail');
      expect(d).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(smtp.mails.map((m) => m.accepted)).toEqual([false, true]);
      const got = smtp.mails[1];
      expect(got.to).toEqual(['RCPT TO:<office@school.example>']);
      expect(got.data).toContain(`X-Kehou-Delivery: ${d.id}`);
      expect(got.data).toMatch(/^Subject: /m);
    } finally {
      await admin.send('PUT', '/api/outbox/channels/email', {
        enabled: false,
        config: { host: '127.0.0.1', port: 25, secure: false, from: 'kehou@school.example', to: 'office@school.example' },
      });
      await smtp.stop();
    }
  });

  it('the worker starts and stops with the app: a queued delivery goes out by itself, none after close', async () => {
    await setHook('/ok');
    const app = await buildApp({ database: env.database, loginRateLimit: 10_000, outbox: { pollMs: 20, baseDelayMs: 1 } });
    await app.ready();
    try {
      await notify('by itself');
      for (let i = 0; i < 100 && (await deliveriesOf('by itself'))[0].status !== 'delivered'; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect((await deliveriesOf('by itself'))[0].status).toBe('delivered');
    } finally {
      await app.close();
    }
    await notify('after close');
    await new Promise((r) => setTimeout(r, 150));
    expect((await deliveriesOf('after close'))[0].status).toBe('pending');
    await new OutboxWorker(db()).tick();
  });

  if (kind === 'postgres')
    it('two workers in two processes’ pools on one PostgreSQL never deliver a row twice', async () => {
      await setHook('/slow');
      for (let i = 0; i < 40; i++) await notify(`burst-${i}`);
      const url = (env.database.pool as unknown as { options: { connectionString: string } }).options.connectionString;
      const other: Database = await openDatabase({ url, poolSize: 5 });
      try {
        const a = new OutboxWorker(env.database.db, { batch: 3 });
        const b = new OutboxWorker(other.db, { batch: 3 });
        const [na, nb] = await Promise.all([a.tick(), b.tick()]);
        expect(na + nb).toBe(40);
        expect(na).toBeGreaterThan(0);
        expect(nb).toBeGreaterThan(0);
      } finally {
        await other.close();
      }
      const burst = await rows<{ id: string; status: string }>(
        sql`SELECT d.id, d.status FROM outbox_deliveries d JOIN notifications n ON n.school_id = d.school_id AND n.id = d.notification_id WHERE n.title LIKE 'burst-%'`,
      );
      expect(burst.every((d) => d.status === 'delivered')).toBe(true);
      const received = rx.got.filter((g) => burst.some((d) => d.id === g.id));
      expect(received).toHaveLength(40);
      expect(new Set(received.map((g) => g.id)).size).toBe(40);
    });
});
