/**
 * Smoke journey: the server answers, the built web app loads in Chromium on a desktop and on a
 * phone, shows the Chinese login page, and a demo account can log in through it.
 */
import { expect, it } from 'vitest';
import { describeE2E, loginAs, shot, setupE2E, watchErrors } from './harness';

const e2e = setupE2E();

describeE2E('smoke', () => {
  it('/api/health is ok', async () => {
    const res = await fetch(`${e2e.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'embedded' });
  });

  it('the home page shows the Chinese login page (desktop)', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    const res = await page.goto('/');
    expect(res?.status()).toBe(200);
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.title()).toContain('课后');
    await expect(page.locator('#password').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /^\s*登\s*录\s*$/ }).isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^zh/);
    await shot(page, 'smoke-login-desktop');
    expect(errors).toEqual([]);
  });

  it('the login page fits a phone screen', async () => {
    const page = await e2e.phone();
    const errors = watchErrors(page);
    await page.goto('/');
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.title()).toContain('课后');
    // nothing wider than the screen: no sideways scrolling on a phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'smoke-login-phone');
    expect(errors).toEqual([]);
  });

  it('a deep link answers with the web app, not a 404', async () => {
    const res = await fetch(`${e2e.url}/some/page/that/the/router/handles`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div');
  });

  it('a demo account logs in through the form and gets a session', async () => {
    const page = await e2e.desktop();
    const errors = watchErrors(page);
    await page.goto('/');
    await loginAs(page, 'admin');
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(200);
    expect((await me.json()).active?.kind).toBe('school');
    await shot(page, 'smoke-after-login-admin');
    expect(errors).toEqual([]);
  });

  it('a wrong password is refused, says why, and the login form stays', async () => {
    const page = await e2e.phone();
    await page.goto('/');
    await expect(loginAs(page, 'homeroom', 'not-the-password')).rejects.toThrow(/HTTP 401/);
    await expect(page.locator('#login').isVisible()).resolves.toBe(true);
    await page.getByRole('alert').filter({ hasText: '账号或密码错误' }).waitFor({ state: 'visible' });
    await shot(page, 'smoke-wrong-password-phone');
  });
});
