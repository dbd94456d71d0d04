// Live notices and the host's purchases on a phone: points reported by the host shop while
// the mall is open arrive as "+N 积分已到账" with the new balance (the measured latency
// is printed); the stream closes when the page is hidden and opens again when it is
// shown; a purchase inside its return window shows as points on the way.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { demoLogin, num, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');
/** The development hook secret the e2e server runs with (no HOOK_SECRET set). */
const HOOK_SECRET = 'dev-only-hook-secret-change-me';

/** Sends a host call signed as the README's "Host integration" says (v2: version,
 * timestamp, method, path, Idempotency-Key or "-", body); resolves to its JSON answer. */
async function host(path, body) {
  const text = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const canonical = `v2\n${ts}\nPOST\n${path}\n-\n${text}`;
  const signature = 'v2=' + createHmac('sha256', HOOK_SECRET).update(canonical).digest('hex');
  const res = await fetch(ctx.server.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mall-timestamp': ts, 'x-mall-signature': signature },
    body: text,
  });
  assert.ok(res.ok, `${path}: HTTP ${res.status} ${await res.clone().text()}`);
  return res.json();
}

const headerBalance = async (page) => num(await page.locator('[data-testid=balance]').textContent());
const setVisibility = (page, state) =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

test('points the host reports while the mall is open arrive as a notice with the new balance', async () => {
  const { page } = ctx.phone;
  await demoLogin(page, ctx.server.base, 0);
  await page.waitForSelector('html[data-notices=open]', { timeout: 15_000 });
  const me = await (await page.request.get(ctx.server.base + '/api/me')).json();
  const before = await headerBalance(page);

  const sent = Date.now();
  const credit = await host('/api/hooks/purchase', { purchase_id: `E2E-${sent}`, member_id: me.id, paid: '120.00', settles_at: '2020-01-01T00:00:00Z' });
  const toast = page.locator('[data-testid=toast]', { hasText: `+${credit.points} 积分已到账` });
  await toast.waitFor({ timeout: 10_000 });
  const latency = Date.now() - sent;
  console.log(`# notice latency (hook sent → toast shown): ${latency} ms`);
  await shot(page, 'zh-60-points-arrived');
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, before + credit.points);
  assert.equal(num(await page.locator('[data-testid=home-balance]').textContent()), before + credit.points);

  // Hidden: the stream closes (a hidden webview keeps nothing open); shown: it opens again.
  await setVisibility(page, 'hidden');
  await page.waitForSelector('html[data-notices=closed]');
  await setVisibility(page, 'visible');
  await page.waitForSelector('html[data-notices=open]');
});

test('a purchase inside its return window shows as points on the way', async () => {
  const { page } = ctx.phone;
  const me = await (await page.request.get(ctx.server.base + '/api/me')).json();
  const credit = await host('/api/hooks/purchase', { purchase_id: `E2E-P-${Date.now()}`, member_id: me.id, paid: '66.00' });
  assert.equal(credit.pending, true);
  await page.reload();
  const chip = page.locator('[data-testid=pending-chip]');
  await chip.waitFor();
  assert.match(await chip.textContent(), new RegExp(`${credit.points} 积分待到账`));
  await shot(page, 'zh-61-home-pending');
  await chip.click();
  await page.locator('[data-testid=pending-sheet] [data-testid=pending-row]').first().waitFor();
  assert.match(await page.locator('[data-testid=pending-sheet]').textContent(), new RegExp(`\\+${credit.points}`));
  // The sheet slides up (240 ms): the screenshot shows it in place.
  await page.waitForFunction(() => document.querySelector('.sheet')?.getAnimations().every((a) => a.playState === 'finished'));
  await shot(page, 'zh-62-pending-sheet');
});
