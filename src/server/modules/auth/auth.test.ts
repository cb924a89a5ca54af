/**
 * Sessions and accounts: login by username or phone, lockout, the cookie, CSRF, logout, password
 * change, contexts (one account, roles in two schools), the login rate limit; plus the health
 * check and the OpenAPI document.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { type Db, queryRows } from '../../db/client';
import { DEMO_PASSWORD } from '../../db/demo/seed';
import { type Client, type TestEnv, acceptNotice, createTestEnv, describeEachDb, login, request } from '../../test/harness';
import { MAX_FAILED_LOGINS } from './service';

async function schoolId(db: Db, code: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(db, sql`SELECT id FROM schools WHERE code = ${code}`);
  return row.id;
}

/** Guardians of the demo district who log in with their phone; each test takes its own. */
async function guardianPhones(db: Db, n: number): Promise<string[]> {
  const rows = await queryRows<{ phone: string }>(
    db,
    sql`SELECT a.phone FROM accounts a WHERE a.phone LIKE '1391%' AND a.username IS NULL ORDER BY a.phone LIMIT ${n}`,
  );
  return rows.map((r) => r.phone);
}

const postLogin = (env: TestEnv, body: unknown, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url: '/api/auth/login', payload: body as object, headers });

describeEachDb('auth', (kind) => {
  let env: TestEnv;
  let db: Db;
  let s1: string;
  let s2: string;
  let phones: string[];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    db = env.database.db;
    s1 = await schoolId(db, 'HC-SY');
    s2 = await schoolId(db, 'HC-DE');
    phones = await guardianPhones(db, 5);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('GET /api/health answers ok with the kind of database', async () => {
    const res = await request(env.app, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: kind === 'pglite' ? 'embedded' : 'postgres' });
  });

  it('/api/openapi.json is an OpenAPI 3 document of the API, with each route’s policy', async () => {
    const res = await request(env.app, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/students', '/api/students/{id}', '/api/auth/login']));
    expect(res.body.paths['/api/students'].get.description).toBe('policy: student.read');
    expect(res.body.paths['/api/students'].post.requestBody).toBeDefined();
  });

  it('logs in by username and by phone', async () => {
    for (const name of ['admin', ' admin ', '13900000001', '13800000002']) {
      const res = await postLogin(env, { login: name, password: DEMO_PASSWORD });
      expect(res.statusCode, name).toBe(200);
      expect(res.json()).toEqual({ ok: true });
    }
    const teacher = await login(env.app, '13800000002'); // the care teacher's phone
    const me = await teacher.get('/api/auth/me');
    expect(me.body.account).toMatchObject({ username: 'teacher', phone: '13800000002', displayName: '李晓东老师' });
  });

  it('a wrong password or an unknown login is 401 INVALID_CREDENTIALS, the same answer for both', async () => {
    const wrong = await postLogin(env, { login: 'duty', password: 'not-the-password' });
    const unknown = await postLogin(env, { login: 'nobody-here', password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ code: 'INVALID_CREDENTIALS', message: unknown.json().message });
    expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
    expect(wrong.cookies.find((c) => c.name === 'kehou_sid')).toBeUndefined();
    // a success resets the count
    expect((await postLogin(env, { login: 'duty', password: DEMO_PASSWORD })).statusCode).toBe(200);
    const [acc] = await queryRows<{ failed_logins: number }>(db, sql`SELECT failed_logins FROM accounts WHERE username = 'duty'`);
    expect(acc.failed_logins).toBe(0);
  });

  it('a malformed login is 400 VALIDATION naming the field, in Chinese', async () => {
    const res = await postLogin(env, { login: 'duty', password: 12345 });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION');
    expect(res.json().message).toMatch(/^输入有误（password）：.*[\u4e00-\u9fff]/);
  });

  it(`${MAX_FAILED_LOGINS} failures lock the account (423), even for the right password, and the lock is audited`, async () => {
    const phone = phones[0];
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      const res = await postLogin(env, { login: phone, password: `wrong-${i}` });
      expect(res.statusCode).toBe(401);
    }
    const locked = await postLogin(env, { login: phone, password: DEMO_PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    expect(locked.cookies.find((c) => c.name === 'kehou_sid')).toBeUndefined();
    const audit = await queryRows<{ action: string }>(
      db,
      sql`SELECT p.action FROM platform_audit_log p JOIN accounts a ON a.id = p.account_id WHERE a.phone = ${phone} ORDER BY p.at`,
    );
    expect(audit.map((a) => a.action)).toContain('auth.locked');
    // when the lock has run out, the right password works again
    await db.execute(sql`UPDATE accounts SET locked_until = now() - interval '1 minute' WHERE phone = ${phone}`);
    expect((await postLogin(env, { login: phone, password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('parallel wrong guesses are all counted: the account locks', async () => {
    const phone = phones[1];
    const guesses = await Promise.all(
      Array.from({ length: MAX_FAILED_LOGINS + 3 }, (_, i) => postLogin(env, { login: phone, password: `guess-${i}` })),
    );
    for (const g of guesses) expect([401, 423]).toContain(g.statusCode);
    const res = await postLogin(env, { login: phone, password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(423);
  });

  it('the session cookie is HttpOnly, SameSite=Lax, for the whole site; Secure behind HTTPS', async () => {
    const res = await postLogin(env, { login: 'admin', password: DEMO_PASSWORD });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^kehou_sid=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/i);
    const https = await postLogin(env, { login: 'admin', password: DEMO_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(String(https.headers['set-cookie'])).toMatch(/; Secure/i);
    // the token is stored hashed: the cookie value is not in the sessions table
    const token = res.cookies.find((c) => c.name === 'kehou_sid')?.value as string;
    const rows = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM sessions WHERE token_hash = ${token}`);
    expect(rows[0].n).toBe(0);
  });

  it('a write without the session’s x-csrf-token header is refused (403 CSRF); reads need none', async () => {
    const admin = await login(env.app, 'admin');
    const body = { name: `CSRF 校区 ${kind}` };
    const none = await request(env.app, 'POST', '/api/campuses', body, { cookie: admin.cookie });
    expect(none.status).toBe(403);
    expect(none.body.code).toBe('CSRF');
    const other = await login(env.app, 'admin');
    const wrong = await request(env.app, 'POST', '/api/campuses', body, { cookie: admin.cookie, 'x-csrf-token': other.csrf });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('CSRF');
    expect((await request(env.app, 'GET', '/api/campuses', undefined, { cookie: admin.cookie })).status).toBe(200);
    const campuses = await admin.get('/api/campuses');
    expect(campuses.body.map((c: { name: string }) => c.name)).not.toContain(body.name);
    expect((await admin.post('/api/campuses', body)).status).toBe(200);
  });

  it('anonymous requests to non-public routes are 401; an expired or unknown session is anonymous', async () => {
    expect((await request(env.app, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await request(env.app, 'GET', '/api/students', undefined, { cookie: 'kehou_sid=forged' })).status).toBe(401);
    const c = await login(env.app, 'duty');
    expect((await c.get('/api/auth/me')).status).toBe(200);
    await db.execute(sql`UPDATE sessions SET expires_at = now() - interval '1 second'
                          WHERE account_id = (SELECT id FROM accounts WHERE username = 'duty')`);
    const expired = await c.get('/api/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('UNAUTHENTICATED');
  });

  it('logout ends this session only and clears the cookie', async () => {
    const a = await login(env.app, 'homeroom');
    const b = await login(env.app, 'homeroom');
    const res = await a.post('/api/auth/logout');
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/kehou_sid=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    expect((await a.get('/api/auth/me')).status).toBe(401);
    expect((await a.get('/api/students')).status).toBe(401);
    expect((await b.get('/api/auth/me')).status).toBe(200);
  });

  it('changing the password needs the current one, ends the other sessions, and the old password stops working', async () => {
    const phone = phones[2];
    const a = await login(env.app, phone);
    const b = await login(env.app, phone);
    const wrong = await a.post('/api/auth/password', { current: 'not-mine', next: 'a-new-secret-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('WRONG_PASSWORD');
    const short = await a.post('/api/auth/password', { current: DEMO_PASSWORD, next: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('VALIDATION');
    expect((await b.get('/api/auth/me')).status).toBe(200);

    const ok = await a.post('/api/auth/password', { current: DEMO_PASSWORD, next: 'a-new-secret-1' });
    expect(ok.status).toBe(200);
    expect((await a.get('/api/auth/me')).status).toBe(200);
    expect((await b.get('/api/auth/me')).status).toBe(401);
    expect((await postLogin(env, { login: phone, password: DEMO_PASSWORD })).statusCode).toBe(401);
    expect((await postLogin(env, { login: phone, password: 'a-new-secret-1' })).statusCode).toBe(200);
  });

  it('/api/auth/me lists the account’s contexts, the active one, its roles, permissions and CSRF token', async () => {
    const teacher = await login(env.app, 'teacher');
    const me = await teacher.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.account.username).toBe('teacher');
    expect(me.body.contexts).toHaveLength(2);
    expect(me.body.contexts).toEqual(
      expect.arrayContaining([
        { kind: 'school', id: s1, name: '环翠区实验小学', roles: ['teacher'] },
        { kind: 'school', id: s2, name: '环翠区第二实验小学', roles: ['guardian'] },
      ]),
    );
    expect(me.body.contexts).toContainEqual(me.body.active);
    expect(me.body.csrfToken).toBe(teacher.csrf);
    expect(me.body).not.toHaveProperty('account.passwordHash');

    const district = await login(env.app, 'district');
    const dme = await district.get('/api/auth/me');
    expect(dme.body.contexts).toEqual([expect.objectContaining({ kind: 'district', roles: ['district'] })]);
    expect(dme.body.active).toEqual(dme.body.contexts[0]);
    expect(dme.body.permissions).toContain('district.read');
    expect(dme.body.permissions).not.toContain('student.read');
  });

  it('the teacher switches from school 1 (care teacher) to school 2 (guardian) and then sees school-2 data only', async () => {
    const c: Client = await login(env.app, 'teacher');
    expect((await c.post('/api/auth/context', { kind: 'school', id: s1 })).status).toBe(200);
    let me = await c.get('/api/auth/me');
    expect(me.body.roles).toEqual(['teacher']);
    expect((await c.get('/api/school')).body.name).toBe('环翠区实验小学');
    const pupils1 = await c.get('/api/students?pageSize=200');
    expect(pupils1.status).toBe(200);
    expect(pupils1.body.total).toBeGreaterThan(0);
    expect((await c.get('/api/family/children')).status).toBe(403);

    const sw = await c.post('/api/auth/context', { kind: 'school', id: s2 });
    expect(sw.status).toBe(200);
    me = await c.get('/api/auth/me');
    expect(me.body.active).toMatchObject({ kind: 'school', id: s2 });
    expect(me.body.roles).toEqual(['guardian']);
    expect(me.body.consentRequired).toBe(true);
    expect((await c.get('/api/school')).body.name).toBe('环翠区第二实验小学');
    expect((await c.get('/api/students')).status).toBe(403);
    // a school-1 pupil the teacher could read a moment ago is now out of reach
    const s1Pupil = pupils1.body.items[0].id;
    expect((await c.get(`/api/students/${s1Pupil}`)).status).toBe(403);
    await acceptNotice(c);
    const kids = await c.get('/api/family/children');
    expect(kids.status).toBe(200);
    expect(kids.body).toHaveLength(1);
    const [row] = await queryRows<{ school_id: string }>(db, sql`SELECT school_id FROM students WHERE id = ${kids.body[0].id}`);
    expect(row.school_id).toBe(s2);
    expect((await c.get(`/api/family/children/${s1Pupil}`)).status).toBe(404);
  });

  it('switching to a school or district where the account has no role is 404; a malformed target is 400', async () => {
    const homeroom = await login(env.app, 'homeroom');
    const before = (await homeroom.get('/api/auth/me')).body.active;
    const [district] = await queryRows<{ id: string }>(db, sql`SELECT id FROM districts LIMIT 1`);
    for (const target of [
      { kind: 'school', id: s2 },
      { kind: 'district', id: district.id },
      { kind: 'district', id: s1 },
      { kind: 'school', id: crypto.randomUUID() },
    ]) {
      const res = await homeroom.post('/api/auth/context', target);
      expect(res.status, JSON.stringify(target)).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await homeroom.post('/api/auth/context', { kind: 'school', id: 'HC-DE' })).status).toBe(400);
    expect((await homeroom.post('/api/auth/context', { kind: 'province', id: s2 })).status).toBe(400);
    expect((await homeroom.get('/api/auth/me')).body.active).toEqual(before);
  });

  it('the login route is rate limited per client', async () => {
    // a copy of the Database object: per-database module state (the daily events listener) is per app
    const app = await buildApp({ database: { ...env.database }, loginRateLimit: 3 });
    await app.ready();
    try {
      const attempt = (password: string) =>
        app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'nobody-rate', password }, remoteAddress: '10.9.8.7' });
      for (let i = 0; i < 3; i++) expect((await attempt(`x${i}`)).statusCode).toBe(401);
      const limited = await attempt('x4');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.any(String) });
      // even the right credentials wait
      const ok = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: 'admin', password: DEMO_PASSWORD },
        remoteAddress: '10.9.8.7',
      });
      expect(ok.statusCode).toBe(429);
      // another client is not affected
      const other = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: 'admin', password: DEMO_PASSWORD },
        remoteAddress: '10.9.8.8',
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
