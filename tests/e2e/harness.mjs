// End-to-end harness: the real API server (release build) with a fresh SQLite file and
// the built app, and Debian's Chromium driven by Playwright in a phone profile.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-results', 'e2e');

/** A WeChat-style in-app browser on a phone. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  // Members are where the shop is: slot times read in the shop's zone.
  timezoneId: 'Asia/Shanghai',
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Version/4.0 Chrome/156.0.8078.73 Mobile Safari/537.36 XWEB/1300 MMWEBSDK/20240404 MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN',
};

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** The release build of the API server (`make api`), under `$CARGO_TARGET_DIR` when set. */
export const SERVER = join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'server/mall-api');

/**
 * Starts the server on a free port with a new database; resolves when /healthz answers,
 * rejects (naming the binary and why) when it exits first or never answers.
 * `env` adds or overrides variables (e.g. `{ SELF_CLAIMED_TASKS: 'false' }`).
 */
export async function startServer(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mall-e2e-'));
  const port = await freePort();
  const databaseUrl = `sqlite://${join(dir, 'mall.db')}`;
  const proc = spawn(SERVER, [], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, STATIC_DIR: join(ROOT, 'dist'), RUST_LOG: 'warn', DEV_CLOCK: 'true', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited = null;
  proc.once('exit', (code, signal) => { exited = `exited with ${signal || code}`; });
  let up = false;
  // Up to 20 s: a loaded CI machine starts the release binary and migrates slowly.
  for (let i = 0; i < 200 && !up && !exited; i++) {
    try {
      up = (await fetch(`${base}/healthz`)).ok;
    } catch { /* not up yet */ }
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) {
    if (!exited) proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the server (${SERVER}) did not answer /healthz on ${base}: ${exited || 'no answer in 20 s'}`);
  }
  return {
    base,
    databaseUrl,
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium (or `$CHROMIUM`). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Flags for a closed network: without the background-networking ones Chromium floods it with refused connections. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Launches Chromium with a fresh profile in the phone profile and `locale`. */
export async function launchPhone(locale = 'zh-CN') {
  const profile = mkdtempSync(join(tmpdir(), 'mall-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    ...PHONE,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot as a test artifact (never committed). */
export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Digits of a displayed number: "8,595" → 8595. */
export function num(text) {
  return Number(String(text).replace(/[^0-9-]/g, ''));
}

/** A demo member's session cookie (`{name, value, url}`, as `addCookies` takes it), from the demo login API. */
export async function memberCookie(base) {
  const members = await (await fetch(`${base}/api/demo/members`)).json();
  const res = await fetch(`${base}/api/session/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ member_id: members[0].id }),
  });
  if (!res.ok) throw new Error(`demo login: HTTP ${res.status}`);
  const [pair] = res.headers.get('set-cookie').split(';');
  const [name, value] = pair.split('=');
  return { name, value, url: base };
}

/** Logs in through the demo member picker. */
export async function demoLogin(page, base, nth = 0) {
  await page.goto(base + '/');
  await page.locator('[data-testid=demo-member]').nth(nth).click();
  await page.locator('[data-testid=home-balance]').waitFor();
}

/**
 * Registers before/after hooks for a test file: a fresh server and a phone in `locale`.
 * The returned object's `server` and `phone` are set once the hooks ran.
 */
export function usePhoneAndServer(locale) {
  const ctx = { server: null, phone: null };
  before(async () => {
    ctx.server = await startServer();
    ctx.phone = await launchPhone(locale);
  });
  after(async () => {
    await ctx.phone?.close();
    await ctx.server?.stop();
  });
  return ctx;
}

/** Waits until the page has loaded its data and dropped its skeleton. */
export async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.locator('[data-testid=page-skeleton]').waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
}

/** Elements wider than the viewport (text or controls that overflow a phone), but inside
 * a horizontal scroller of their own (a table's, a row of filter chips). */
export async function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const inScroller = (el) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .filter((el) => !inScroller(el));
    return wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').slice(0, 30)}"`);
  });
}

/**
 * Checks the page as it is now: settled, axe-clean and nothing wider than the screen
 * (each problem added to `report` as "`label`: …"), and takes screenshot `shotName`.
 */
export async function checkPage(page, label, shotName, report) {
  await settled(page);
  for (const v of await axeViolations(page)) report.push(`${label}: ${v}`);
  for (const o of await overflowing(page)) report.push(`${label}: overflows: ${o}`);
  await shot(page, shotName);
}

/**
 * `YYYY-MM-DDTHH:MM` in Shanghai (the desk's zone), `seconds` after the server's now at
 * `base`: what a `datetime-local` input of the back office takes.
 */
export async function deskTimeAfter(page, base, seconds) {
  const time = await (await page.request.get(base + '/api/time')).json();
  const at = new Date(time.epoch_ms + seconds * 1000);
  return at.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).replace(' ', 'T').slice(0, 16);
}

/** A desk's screen (the back office's other width). */
export const DESK = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false, timezoneId: 'Asia/Shanghai' };

/**
 * One server and one browser for a test file: the server's `env` is an object, or an async
 * function giving one (run first, e.g. to start a receiver the server must know).
 * `ctx.open(profile, locale, cookies)` gives a fresh context (its own cookies, `cookies`
 * added) with one page and the page errors it collects.
 */
export function useBrowserAndServer(env = {}) {
  const ctx = {
    server: null,
    browser: null,
    async open(profile, locale, cookies = []) {
      const context = await ctx.browser.newContext({ ...profile, locale });
      if (cookies.length) await context.addCookies(cookies);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return { context, page, errors };
    },
  };
  before(async () => {
    ctx.server = await startServer(typeof env === 'function' ? await env() : env);
    ctx.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  return ctx;
}

/** Signs a demo staff account in at /staff: taps it in the demo list (which fills the form) and submits. */
export async function staffSignIn(page, base, username) {
  await page.goto(base + '/staff');
  await page.locator(`[data-testid=demo-staff][data-username="${username}"]`).click();
  await page.locator('[data-testid=staff-submit]').click();
  await page.locator('[data-testid=staff-bar]').waitFor();
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Serious and critical axe-core violations on the page as it is now, one line each.
 * Evaluated through the devtools protocol, so the page's CSP does not block it.
 */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
