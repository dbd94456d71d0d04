// Flash sales on a phone: wait for a sale that opens a few seconds after the test starts
// (countdown on the server's clock), grab, see the code and its QR in the wallet, verify
// it on the merchant page, see it marked used; the wallet still shows codes offline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');
const OPERATOR = 'dev-operator-token';
const MERCHANT = 'dev-merchant-token';

test('grab a code when the sale opens, use it at a merchant, see it offline', async () => {
  const { page, context } = ctx.phone;
  const base = ctx.server.base;
  const time = await (await page.request.get(base + '/api/time')).json();
  const startsAt = Math.floor(time.epoch_ms / 1000) + 8;
  const created = await page.request.post(base + '/api/admin/sales', {
    headers: { authorization: `Bearer ${OPERATOR}` },
    data: {
      offer_key: 'e2e', offer: { zh: '端到端测试券', en: 'E2E voucher' }, merchant: { zh: '测试门店', en: 'Test store' },
      image: '/img/items/luckin-voucher.svg', points: 50, quantity: 3, starts_at: startsAt, ends_at: startsAt + 600,
    },
  });
  assert.equal(created.status(), 201);

  await demoLogin(page, base, 5); // a plain member: no early access
  await page.locator('[data-testid=home-sale]').waitFor();
  await page.goto(base + '/sales');
  const card = page.locator('[data-testid=sale-card]', { hasText: '端到端测试券' });
  // Its slot may not be the one shown first.
  const slots = page.locator('.slot-tab');
  await slots.first().waitFor();
  for (let i = 0; i < await slots.count() && !(await card.count()); i++) await slots.nth(i).click();
  await card.waitFor();
  assert.equal(await card.getAttribute('data-state'), 'upcoming');
  assert.match(await card.locator('[data-testid=countdown]').textContent(), /00:00:0\d/);
  await shot(page, 'zh-20-sales-upcoming');

  // The button switches to "grab" when the server opens the window.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=sale-card]')]
    .some((c) => c.textContent.includes('端到端测试券') && c.dataset.state === 'live'), null, { timeout: 20000 });
  await card.locator('[data-testid=sale-button]').click();
  await page.locator('[data-testid=toast]', { hasText: '抢到了' }).waitFor();
  const code = (await page.locator('[data-testid=toast]').textContent()).match(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/)[0];
  await shot(page, 'zh-21-grabbed');

  // The wallet shows it with a QR code.
  await page.goto(base + '/wallet');
  const ticket = page.locator('[data-testid=ticket]', { hasText: code });
  await ticket.waitFor();
  assert.equal(await ticket.locator('svg.qr').count(), 1);
  await shot(page, 'zh-22-wallet');

  // A merchant verifies it (its own page, its own credential).
  const merchant = await context.newPage();
  await merchant.goto(base + '/merchant');
  await merchant.locator('[data-testid=merchant-token]').fill(MERCHANT);
  // A typo is caught on the phone before any request.
  const typo = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
  await merchant.locator('[data-testid=merchant-code]').fill(typo);
  await merchant.locator('[data-testid=code-local-error]').waitFor();
  assert.equal(await merchant.locator('[data-testid=merchant-verify]').isDisabled(), true);
  await merchant.locator('[data-testid=merchant-code]').fill(code.toLowerCase());
  await merchant.locator('[data-testid=merchant-verify]').click();
  await merchant.locator('[data-testid=verify-result].ok').waitFor();
  await shot(merchant, 'zh-23-merchant-verified');
  await merchant.locator('[data-testid=merchant-verify]').click();
  await merchant.locator('[data-testid=verify-result].fail').waitFor();
  assert.match(await merchant.locator('[data-testid=verify-result]').textContent(), /used|使用/);
  await shot(merchant, 'zh-24-merchant-second-try');
  await merchant.close();

  // The wallet marks it used.
  await page.reload();
  await page.getByRole('tab', { name: '已使用' }).click();
  await page.locator('[data-testid=ticket][data-status=used]', { hasText: code }).waitFor();
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
