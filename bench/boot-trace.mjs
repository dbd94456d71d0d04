// The boot of Home in a Chromium trace, as a phone's slower CPU runs it (4x CPU throttling,
// no network throttling): LCP, and every main-thread task over 50 ms with what it spent
// its time on. Needs `make app api`. Usage: node bench/boot-trace.mjs
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, memberCookie, startServer, PHONE } from '../tests/e2e/harness.mjs';
const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ ...PHONE });
  await context.addCookies([await memberCookie(server.base)]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-devtools.timeline'] });
  const t0 = Date.now();
  await page.goto(server.base + '/');
  await page.locator('[data-testid=item-card] img').first().waitFor();
  const lcp = await page.evaluate(() => new Promise((ok) => new PerformanceObserver((l) => { const e = l.getEntries(); ok(e[e.length - 1].startTime); }).observe({ type: 'largest-contentful-paint', buffered: true })));
  await page.waitForLoadState('networkidle');
  const buf = await browser.stopTracing();
    console.log('LCP (4x CPU, no network throttling)', Math.round(lcp), 'ms');
  const ev = JSON.parse(buf.toString()).traceEvents;
  const main = ev.filter((e) => e.name === 'RunTask' && e.dur > 50000);
  const start = Math.min(...ev.filter((e) => e.ts > 0).map((e) => e.ts));
  for (const t of main.sort((a, b) => a.ts - b.ts)) {
    const inside = ev.filter((e) => e.tid === t.tid && e.ts >= t.ts && e.ts + (e.dur || 0) <= t.ts + t.dur && e.dur > 5000 && e.name !== 'RunTask');
    const top = [...new Set(inside.sort((a, b) => b.dur - a.dur).slice(0, 6).map((e) => `${e.name}${e.args?.data?.url ? ' ' + e.args.data.url.split('/').pop() : ''} ${Math.round(e.dur / 1000)}ms`))];
    console.log(`long task at ${Math.round((t.ts - start) / 1000)} ms: ${Math.round(t.dur / 1000)} ms — ${top.join('; ')}`);
  }
} finally { await browser.close(); await server.stop(); }
