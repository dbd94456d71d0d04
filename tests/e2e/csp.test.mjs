// The app runs under its Content-Security-Policy with no violation, and every response
// carries the security headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');
const PAGES = ['/', '/catalog', '/items/1', '/checkin', '/history', '/me', '/sales', '/wallet', '/causes', '/lottery', '/merchant', '/ops'];

test('security headers on the HTML, the assets and the API', async () => {
  const html = await fetch(ctx.server.base + '/');
  const csp = html.headers.get('content-security-policy');
  assert.ok(csp, 'the HTML has a CSP');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'self'(;|$)/);
  assert.equal(html.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.equal(html.headers.get('cache-control'), 'no-cache');
  assert.equal(html.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
  const wasm = (await html.text()).match(/href="(\/mall-app-[0-9a-f]{16}\.wasm)"/)[1];
  for (const path of [wasm, '/api/items', '/api/me', '/img/logo.svg']) {
    const res = await fetch(ctx.server.base + path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    // Referrer-Policy governs documents (and stylesheets, which the mall does not serve).
    assert.equal(res.headers.get('referrer-policy'), null, path);
  }
  assert.match((await fetch(ctx.server.base + wasm)).headers.get('cache-control'), /immutable/);
});

test('a write from another site is refused', async () => {
  const res = await fetch(ctx.server.base + '/api/session/demo', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    body: JSON.stringify({ member_id: 1 }),
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'forbidden');
});

test('every page runs under the CSP without a violation', async () => {
  const { page } = ctx.phone;
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const console = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) console.push(m.text()); });
  await demoLogin(page, ctx.server.base);
  for (const path of PAGES) {
    await page.goto(ctx.server.base + path);
    await page.waitForLoadState('networkidle');
    await page.locator('[data-testid=page-skeleton]').waitFor({ state: 'detached' });
    assert.deepEqual(await page.evaluate(() => window.__csp), [], `CSP violations on ${path}`);
  }
  assert.deepEqual(console, []);
  assert.deepEqual(ctx.phone.errors, []);
});
