// Flash sales on a phone: wait for a sale that opens a few seconds after the test starts
// (countdown on the server's clock), grab, see the code and its QR in the wallet, verify
// it on the merchant page, see it marked used; the wallet still shows codes offline.
// On the way: a reminder (badge, then a toast when the sale opens) and the merchant page's
// local checks (no complaint while typing, typos caught before any request).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, shot, staffSignIn, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');
// The operator automation token (the API's demo default) creates the sale; people sign in.
const OPERATOR = 'dev-operator-token';

test('grab a code when the sale opens, use it at a merchant, see it offline', async () => {
  const { page, context } = ctx.phone;
  const base = ctx.server.base;
  // This phone's clock is 10 minutes slow: countdowns must follow the server's clock anyway.
  await context.addInitScript(() => {
    const realNow = Date.now.bind(Date);
    Date.now = () => realNow() - 10 * 60 * 1000;
  });
  const time = await (await page.request.get(base + '/api/time')).json();
  const startsAt = Math.floor(time.epoch_ms / 1000) + 14;
  const merchants = await (await page.request.get(base + '/api/admin/merchants', { headers: { authorization: `Bearer ${OPERATOR}` } })).json();
  const luckin = merchants.find((m) => m.slug === 'luckin');
  const created = await page.request.post(base + '/api/admin/sales', {
    headers: { authorization: `Bearer ${OPERATOR}` },
    data: {
      offer_key: 'e2e', offer: { zh: '端到端测试券', en: 'E2E voucher' }, merchant_id: luckin.id,
      image: '/img/items/luckin-voucher.svg', points: 50, quantity: 3, starts_at: startsAt, ends_at: startsAt + 600,
    },
  });
  assert.equal(created.status(), 201);

  await demoLogin(page, base, 5); // a plain member: no early access
  assert.ok((await page.evaluate(() => Date.now())) - Date.now() < -590_000, 'the phone clock really is slow');
  await page.locator('[data-testid=home-sale]').waitFor();
  await page.goto(base + '/sales');
  const card = page.locator('[data-testid=sale-card]', { hasText: '端到端测试券' });
  // Its slot may not be the one shown first.
  const slots = page.locator('.slot-tab');
  await slots.first().waitFor();
  for (let i = 0; i < await slots.count() && !(await card.count()); i++) await slots.nth(i).click();
  await card.waitFor();
  assert.equal(await card.getAttribute('data-state'), 'upcoming');
  assert.match(await card.locator('[data-testid=countdown]').textContent(), /00:00:[01]\d/);
  // Remind me: the button says so, and stays so while the countdown ticks.
  await card.locator('[data-testid=sale-button]').click();
  await page.locator('[data-testid=toast]', { hasText: '已设置提醒：开抢时商城开着就会提醒你' }).waitFor();
  await page.waitForTimeout(1500);
  assert.equal((await card.locator('[data-testid=sale-button]').textContent()).trim(), '已设提醒');
  await shot(page, 'zh-20-sales-upcoming');

  // The button switches to "grab" when the server opens the window, and the reminder fires.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=sale-card]')]
    .some((c) => c.textContent.includes('端到端测试券') && c.dataset.state === 'live'), null, { timeout: 25000, polling: 50 });
  const serverNow = (await (await page.request.get(base + '/api/time')).json()).epoch_ms;
  assert.ok(Math.abs(serverNow - startsAt * 1000) < 1500, `opened at server time ${serverNow}, window opens ${startsAt * 1000}`);
  await page.locator('[data-testid=toast]', { hasText: '端到端测试券 开抢了' }).waitFor();
  await card.locator('[data-testid=sale-button]').click();
  await page.locator('[data-testid=toast]', { hasText: '抢到了' }).waitFor();
  const code = (await page.locator('[data-testid=toast]').textContent()).match(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/)[0];
  await card.locator('[data-testid=stock-left]', { hasText: '剩 2 件' }).waitFor();
  assert.equal((await card.locator('[data-testid=sale-button]').textContent()).trim(), '已抢到');
  await shot(page, 'zh-21-grabbed');

  // Another member grabs one elsewhere: this page's stock follows within seconds.
  const login = await fetch(base + '/api/session/demo', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member_id: 1 }),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const other = await fetch(`${base}/api/sales/${await created.json()}/grab`, {
    method: 'POST', headers: { cookie, 'idempotency-key': 'e2e-other-member' },
  });
  assert.equal(other.status, 201);
  await card.locator('[data-testid=stock-left]', { hasText: '剩 1 件' }).waitFor({ timeout: 15000 });

  // The wallet shows it with a QR code.
  await page.goto(base + '/wallet');
  const ticket = page.locator('[data-testid=ticket]', { hasText: code });
  await ticket.waitFor();
  assert.equal(await ticket.locator('svg.qr').count(), 1);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await ticket.locator('[data-testid=copy-code]').click();
  await page.locator('[data-testid=toast]', { hasText: '已复制' }).waitFor();
  assert.equal((await page.evaluate(() => navigator.clipboard.readText())).replaceAll('-', ''), code.replaceAll('-', ''));
  await shot(page, 'zh-22-wallet');

  // The merchant verifies it (its own page, signed in as its account).
  const merchant = await context.newPage();
  await staffSignIn(merchant, base, 'luckin');
  const codeInput = merchant.locator('[data-testid=merchant-code]');
  const verifyButton = merchant.locator('[data-testid=merchant-verify]');
  const localError = merchant.locator('[data-testid=code-local-error]');
  let verifyRequests = 0;
  merchant.on('request', (r) => { if (r.url().endsWith('/api/merchant/verify')) verifyRequests += 1; });
  // Half typed: no complaint while typing; tapping verify says what is missing.
  await codeInput.pressSequentially(code.slice(0, 7).toLowerCase());
  assert.equal(await localError.count(), 0);
  await verifyButton.click();
  assert.match(await localError.textContent(), /12 位/);
  // A typo is caught by the check character on the phone.
  const typo = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
  await codeInput.fill(typo);
  assert.match(await localError.textContent(), /校验位/);
  await verifyButton.click();
  assert.equal(verifyRequests, 0, 'no request for a code the phone knows is wrong');
  await codeInput.fill(code.toLowerCase());
  await verifyButton.click();
  await merchant.locator('[data-testid=verify-result].ok').waitFor();
  await shot(merchant, 'zh-23-merchant-verified');
  // The field is cleared for the next customer; typing the same code again says when and
  // where it was used, in the page's language.
  assert.equal(await codeInput.inputValue(), '');
  await codeInput.fill(code);
  await verifyButton.click();
  await merchant.locator('[data-testid=verify-result].fail').waitFor();
  assert.match(await merchant.locator('[data-testid=verify-result]').textContent(), /已于 \d\d-\d\d \d\d:\d\d 在 .+ 核销/);
  await shot(merchant, 'zh-24-merchant-second-try');
  await merchant.close();

  // The wallet marks it used.
  await page.reload();
  await page.getByRole('tab', { name: '已使用' }).click();
  const used = page.locator('[data-testid=ticket][data-status=used]', { hasText: code });
  await used.waitFor();
  assert.equal(await page.locator('[data-testid=toast]', { hasText: '开抢了' }).count(), 0, 'announced once, not again after a reload');
  assert.equal(await used.locator('[data-testid=copy-code]').count(), 0, 'a used code offers no copy');
  await shot(page, 'zh-25-wallet-used');

  // Offline: the wallet still shows the saved codes, and says so.
  await page.getByRole('link', { name: '首页', exact: true }).click();
  await page.locator('[data-testid=wallet-link]').waitFor();
  await context.setOffline(true);
  await page.locator('[data-testid=wallet-link]').click();
  await page.locator('[data-testid=cached-note]').waitFor();
  await page.getByRole('tab', { name: '已使用' }).click();
  await page.locator('[data-testid=ticket]', { hasText: code }).waitFor();
  await shot(page, 'zh-26-wallet-offline');
  await context.setOffline(false);
  assert.deepEqual(ctx.phone.errors, []);
});

test('an operator schedules tomorrow\'s slots on the operator page', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;
  const now = (await (await page.request.get(base + '/api/time')).json()).now; // shop time, RFC 3339
  const tomorrow = new Date(Date.parse(now.slice(0, 10) + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
  await staffSignIn(page, base, 'ops');
  await page.goto(base + '/ops?s=sales');
  const form = page.locator('[data-testid=ops-sales]');
  await form.locator('[data-testid=sale-offer-zh]').fill('喜茶 20 元券');
  await form.locator('[data-testid=sale-offer-en]').fill('Heytea ¥20 voucher');
  await form.locator('[data-testid=sale-merchant]').selectOption({ label: '星巴克' });
  await form.locator('[data-testid=sale-image]').selectOption('store-voucher-3');
  await form.locator('[data-testid=sale-points]').fill('1200');
  await form.locator('[data-testid=sale-quantity]').fill('40');
  await form.locator('[data-testid=sale-day]').fill(tomorrow);
  const result = page.locator('[data-testid=sale-result]');
  // No slot chosen: the form says so before anything is sent.
  await form.locator('[data-testid=sale-schedule]').click();
  await result.filter({ hasText: '请至少选择一个场次' }).waitFor();
  await form.getByRole('button', { name: '10:00' }).click();
  await form.getByRole('button', { name: '20:00' }).click();
  await form.locator('[data-testid=sale-schedule]').click();
  await result.filter({ hasText: '已创建 2 场' }).waitFor();
  assert.equal(await page.locator('[data-testid=toast]', { hasText: '开抢了' }).count(), 0, 'no reminder for a sale that opened before this page load');
  await shot(page, 'zh-27-ops-schedule');
  // The same offer in the same slots again: refused as a whole, in the operator's words.
  await form.locator('[data-testid=sale-schedule]').click();
  await result.filter({ hasText: '该商品在这个时段已有秒杀场次' }).waitFor();
  assert.deepEqual(ctx.phone.errors, []);
});
