// The first visit, counted as a phone's Chromium downloads it: a cold load of `/` at
// 390×844 with a demo member's session; the transferred bytes (response headers + encoded
// body) of every same-origin response except `/api/`, once the network is idle — lazy
// chunks and images included. Used by the byte-budget test and bench/first-load-size.sh.
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, PHONE, memberCookie } from './harness.mjs';

/**
 * The first visit's budget in bytes (1 kB = 1,000 bytes). It only goes down: a change
 * may raise it only with the reason written in its commit message.
 */
export const BUDGET_BYTES = 141_500;

/** Member pages other than Home, each measured from its own cold Home visit. */
export const ROUTES = ['/catalog', '/items/1', '/checkin', '/history', '/me', '/sales', '/wallet', '/causes', '/lottery', '/merchant', '/ops'];

/** Records what the page downloads from `base` (not /api/) until `stop()`. */
function recorder(page, base) {
  const files = [];
  const pending = [];
  page.on('requestfinished', (req) => {
    const url = new URL(req.url());
    if (url.origin !== base || url.pathname.startsWith('/api/')) return;
    pending.push(req.sizes().then((s) => files.push({ path: url.pathname, bytes: s.responseHeadersSize + s.responseBodySize })));
  });
  return {
    async files() {
      await Promise.all(pending);
      return [...files].sort((a, b) => b.bytes - a.bytes);
    },
  };
}

async function settle(page) {
  await page.waitForLoadState('networkidle');
  // Images and chunks requested by the first render, then a quiet moment.
  await page.waitForTimeout(500);
  await page.waitForLoadState('networkidle');
}

/**
 * Measures a cold Home visit, and for each of `routes`, what opening it afterwards adds
 * (each from a fresh browser context, so one route's chunks never count for another).
 * Returns `{ home: [{path, bytes}], routes: {path: [{path, bytes}]} }`.
 */
export async function measure(base, routes = ROUTES) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const cookie = await memberCookie(base);
  try {
    const visit = async (route) => {
      const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
      await context.addCookies([cookie]);
      const page = await context.newPage();
      const home = recorder(page, base);
      await page.goto(base + '/');
      await page.locator('[data-testid=home-balance]').waitFor();
      await settle(page);
      const homeFiles = await home.files();
      let added = [];
      if (route) {
        const more = recorder(page, base);
        // Client-side navigation, as a tap on a link does.
        await page.evaluate((path) => {
          history.pushState(null, '', path);
          dispatchEvent(new PopStateEvent('popstate'));
        }, route);
        await page.locator('[data-testid=page-skeleton]').waitFor({ state: 'detached' });
        await settle(page);
        added = (await more.files()).filter((f) => !homeFiles.some((h) => h.path === f.path));
      }
      await context.close();
      return { homeFiles, added };
    };
    const { homeFiles } = await visit(null);
    const byRoute = {};
    for (const route of routes) byRoute[route] = (await visit(route)).added;
    return { home: homeFiles, routes: byRoute };
  } finally {
    await browser.close();
  }
}

/** Σ bytes. */
export const total = (files) => files.reduce((n, f) => n + f.bytes, 0);
