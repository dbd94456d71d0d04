// The wallet live: a member has the wallet open on the code's ticket (with its QR) while
// the merchant verifies it on another device; the live notices' `event: code` turns the
// ticket to used on the spot, without a reload, and it stays on the usable tab, marked
// used, until the member leaves. A code used while the page was hidden (the stream
// closed) shows as used when the page comes back (the stream reopens and the wallet
// reads its codes again).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, axeViolations, demoLogin, shot, staffSignIn, useBrowserAndServer } from './harness.mjs';

const ctx = useBrowserAndServer();
const CODE = /[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/;

const setVisibility = (page, state) =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

/** Redeems the Luckin ¥9 voucher (item 2) through the API; its code. */
async function luckinCode(page, base, n) {
  const res = await page.request.post(base + '/api/orders', {
    headers: { 'Idempotency-Key': `wallet-live-${n}-${Date.now()}` },
    data: { item_id: 2, quantity: 1 },
  });
  assert.ok(res.ok(), `order: HTTP ${res.status()} ${await res.text()}`);
  const order = await res.json();
  assert.match(order.code, CODE);
  return order.code;
}

test("a code the merchant verifies turns to used in the open wallet, without a reload", async () => {
  const base = ctx.server.base;
  const member = await ctx.open(PHONE, 'zh-CN');
  const { page } = member;
  await demoLogin(page, base, 0);
  const first = await luckinCode(page, base, 1);
  const second = await luckinCode(page, base, 2);

  await page.goto(base + '/wallet');
  const ticket = page.locator('[data-testid=ticket]', { hasText: first });
  await ticket.waitFor();
  assert.equal(await ticket.getAttribute('data-status'), 'issued');
  await ticket.locator('svg, canvas, img').first().waitFor();
  // The live notices open a few seconds after the first screen.
  await page.waitForSelector('html[data-notices=open]', { timeout: 15_000 });
  // Any navigation or reload from here on would lose this mark.
  await page.evaluate(() => { window.__stillHere = true; });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });

  // The merchant verifies the first code at its desk.
  const desk = await ctx.open(DESK, 'zh-CN');
  await staffSignIn(desk.page, base, 'luckin');
  await desk.page.locator('[data-testid=merchant-code]').fill(first);
  await desk.page.locator('[data-testid=merchant-verify]').click();
  await desk.page.locator('[data-testid=verify-result].ok').waitFor();

  // On the member's phone: the ticket turns to used, where it is, with a word.
  const used = page.locator('[data-testid=ticket][data-status=used]', { hasText: first });
  await used.waitFor({ timeout: 10_000 });
  await page.locator('[data-testid=toast]', { hasText: `券码 ${first} 已核销` }).waitFor();
  assert.equal(await used.locator('.status-pill').textContent(), '已使用');
  assert.match(await used.textContent(), /使用于 \d\d-\d\d \d\d:\d\d/, 'when, read again from the server');
  assert.ok(await used.evaluate((el) => el.classList.contains('inactive')), 'its QR is dimmed: not for scanning');
  assert.equal(await used.locator('[data-testid=copy-code]').count(), 0);
  assert.equal(await page.locator('[role=tab][aria-selected=true]').textContent(), '可使用');
  assert.equal(await page.locator('[data-testid=ticket][data-status=issued]', { hasText: second }).count(), 1, 'the other code is still usable');
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'no reload');
  assert.equal(navigations, 0, 'no navigation');
  assert.equal(page.url(), base + '/wallet');
  await used.scrollIntoViewIfNeeded();
  await shot(page, 'zh-110-wallet-live-used');
  assert.deepEqual(await axeViolations(page), []);

  // The second code is verified while the wallet is hidden (the stream is closed then):
  // back on screen, the wallet reads its codes again and shows it used.
  await setVisibility(page, 'hidden');
  await page.waitForSelector('html[data-notices=closed]');
  const verify = await desk.page.request.post(base + '/api/merchant/verify', { data: { code: second } });
  assert.ok(verify.ok(), `verify: HTTP ${verify.status()} ${await verify.text()}`);
  await setVisibility(page, 'visible');
  await page.waitForSelector('html[data-notices=open]');
  await page.locator('[data-testid=ticket][data-status=used]', { hasText: second }).waitFor({ timeout: 10_000 });
  await page.locator('[data-testid=toast]', { hasText: `券码 ${second} 已核销` }).waitFor();
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'no reload');
  assert.equal(navigations, 0, 'no navigation');

  // The used tab lists both, as used.
  await page.getByRole('tab', { name: '已使用' }).click();
  for (const code of [first, second]) {
    await page.locator('[data-testid=ticket][data-status=used]', { hasText: code }).waitFor();
  }
  await shot(page, 'zh-111-wallet-live-used-tab');

  assert.deepEqual([...member.errors, ...desk.errors], []);
  await member.context.close();
  await desk.context.close();
});
