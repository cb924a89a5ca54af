/**
 * E2E harness: the real app (buildApp) on an in-memory PGlite with the full demo district, serving
 * the built web app (dist/web, built by `npm run test:e2e` before vitest starts) on a free port, and
 * Debian's Chromium driven by playwright-core (no browser download: /usr/bin/chromium).
 *
 * A journey file looks like this:
 *
 *   const e2e = setupE2E();
 *   describeE2E('guardian asks for leave', () => {
 *     it('…', async () => {
 *       const page = await e2e.phone();
 *       await loginAs(page, '13900000001');
 *       await shot(page, 'guardian-home');
 *     });
 *   });
 *
 * Without /usr/bin/chromium the suites are skipped with a warning on a developer machine, and fail
 * when CI is set (CI must run them). KEHOU_CHROMIUM overrides the browser path; KEHOU_E2E_LOG=1
 * prints the server's log.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildApp, type KehouApp } from '../src/server/app';
import { type Database, openDatabase, runMigrations } from '../src/server/db/client';
import { DEMO_PASSWORD, seedDemo } from '../src/server/db/demo/seed';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..');
/** the built web app; KEHOU_WEB_DIST overrides it, as it does for `npm start` */
export const WEB_DIST = resolve(ROOT, process.env.KEHOU_WEB_DIST || 'dist/web');
export const SCREENSHOT_DIR = join(here, 'screenshots');
export const CHROMIUM_PATH = process.env.KEHOU_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------- skipping when there is no browser ----------

/** Why the browser suites cannot run here, or null when they can. */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return `${CHROMIUM_PATH} not found: install Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk) to run the e2e journeys`;
}

/**
 * `describe` for browser journeys. Without Chromium: skipped with a printed reason, or, when CI is
 * set, one failing test that says why (CI must not pass without having run the journeys).
 */
export function describeE2E(name: string, fn: () => void) {
  const missing = chromiumMissingReason();
  if (!missing) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium (CI is set, so the e2e journeys may not be skipped)', () => {
        throw new Error(missing);
      });
    });
  } else {
    console.warn(`[e2e] skipping "${name}": ${missing}`);
    describe.skip(name, fn);
  }
}

// ---------- the server ----------

export interface E2EServer {
  /** http://127.0.0.1:<port> */
  url: string;
  app: KehouApp;
  database: Database;
  close(): Promise<void>;
}

/** Starts the app in-process on a fresh in-memory PGlite with the demo district (full scale by default). */
export async function startServer(opts: { scale?: number } = {}): Promise<E2EServer> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: run the journeys with \`npm run test:e2e\` (it builds the web app first)`);
  }
  const database = await openDatabase({});
  try {
    await runMigrations(database);
    await seedDemo(database.db, { scale: opts.scale ?? 1 });
    const app = await buildApp({
      database,
      webDist: WEB_DIST,
      loginRateLimit: 10_000,
      logger: process.env.KEHOU_E2E_LOG ? { level: 'info' } : false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

// ---------- the browser ----------

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const common: BrowserContextOptions = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

/** A phone: what guardians and care teachers use. */
export const PHONE: BrowserContextOptions = {
  ...common,
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36',
};

/** A desktop browser: what the school office and the district bureau use. */
export const DESKTOP: BrowserContextOptions = {
  ...common,
  viewport: { width: 1440, height: 900 },
};

export function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ ...PHONE, baseURL });
}

export function desktopContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ ...DESKTOP, baseURL });
}

// ---------- one server and one browser per test file ----------

export interface E2E {
  server: E2EServer;
  browser: Browser;
  /** base URL of the server */
  url: string;
  /** a new page in a new phone context (its own cookies); relative URLs go to the server */
  phone(): Promise<Page>;
  /** a new page in a new desktop context */
  desktop(): Promise<Page>;
}

/**
 * Registers beforeAll/afterAll that start the server and Chromium for the file, and returns an
 * object whose fields are filled once beforeAll has run. Contexts opened through phone()/desktop()
 * are closed in afterAll. Does nothing when the suites are skipped for want of Chromium.
 */
export function setupE2E(opts: { scale?: number } = {}): E2E {
  const env = {} as E2E;
  const contexts: BrowserContext[] = [];
  if (chromiumMissingReason()) return env;
  const open = async (o: BrowserContextOptions) => {
    const ctx = await env.browser.newContext({ ...o, baseURL: env.url });
    contexts.push(ctx);
    return ctx.newPage();
  };
  beforeAll(async () => {
    env.server = await startServer(opts);
    env.url = env.server.url;
    env.browser = await launchBrowser();
    env.phone = () => open(PHONE);
    env.desktop = () => open(DESKTOP);
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

// ---------- page helpers ----------

/**
 * Logs in through the web app's login form (inputs #login and #password, a button 登录) and waits
 * until the form has gone. Opens the home page first if the form is not on screen.
 */
export async function loginAs(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  const loginInput = page.locator('#login');
  if (!(await loginInput.isVisible())) await page.goto('/');
  await loginInput.waitFor({ state: 'visible' });
  await loginInput.fill(login);
  await page.locator('#password').fill(password);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST');
  // antd puts a space between two Chinese characters in a button ("登 录").
  await page.getByRole('button', { name: /^\s*登\s*录\s*$/ }).click();
  const res = await answered;
  if (res.status() !== 200) throw new Error(`login "${login}" failed: HTTP ${res.status()} ${await res.text()}`);
  await loginInput.waitFor({ state: 'hidden' });
  await settle(page);
}

/** Waits until the page has stopped loading: no request for half a second, no antd skeleton or spinner on screen. */
export async function settle(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout });
  await page.locator('.ant-skeleton, .ant-spin-spinning, .adm-skeleton, .adm-spin-loading').first().waitFor({ state: 'hidden', timeout });
}

/** Saves a full-page screenshot to e2e/screenshots/<name>.png (gitignored), once the page has settled, and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  await settle(page).catch(() => {}); // a page that never settles is still worth a picture
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.\-\u4e00-\u9fff]+/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Collects what went wrong in the page: uncaught exceptions and console errors (except the
 * browser's own "Failed to load resource" lines, which an expected 401/404 also produces).
 * Assert `expect(errors).toEqual([])` at the end of a journey.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
  return errors;
}
