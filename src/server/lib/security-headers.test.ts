/** Every answer — API, error, not found, the web app — carries the security headers, and no HSTS (that is the TLS proxy's). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachDb, type TestEnv } from '../test/harness';

describeEachDb('security headers', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
  }, 120_000);
  afterAll(async () => env?.close());

  it.each([
    ['an API answer', 'GET', '/api/public/plans'],
    ['a refusal', 'GET', '/api/daily/today'],
    ['an unknown API address', 'GET', '/api/nothing-here'],
    ['malformed JSON', 'POST', '/api/auth/login'],
  ] as const)('%s', async (_what, method, url) => {
    const res = await env.app.inject({
      method,
      url,
      headers: { 'content-type': 'application/json' },
      payload: method === 'POST' ? '{' : undefined,
    });
    expect(res.statusCode).not.toBe(500);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data: blob:");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
