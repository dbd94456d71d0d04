// A midnight drop (零点秒杀) on a phone: at 23:50 shop time the sales page already lists the
// sale that opens at 00:00, on a tab marked 明天开抢 with its countdown; past midnight the
// same sale is live and the member grabs it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');
// The operator automation token (the API's demo default) creates the sale.
const OPERATOR = 'dev-operator-token';
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
// Shop time is Asia/Shanghai: UTC+8 all year.
const SHOP_OFFSET_MS = 8 * HOUR_MS;

/** The start (epoch ms) of the shop day after the one `epochMs` falls on. */
function nextShopMidnight(epochMs) {
  return Math.floor((epochMs + SHOP_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - SHOP_OFFSET_MS;
}

test('a midnight drop shows the evening before, marked tomorrow, and opens at midnight', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;
  const serverNow = async () => (await (await page.request.get(base + '/api/time')).json()).epoch_ms;
  const moveClock = async (ms) => {
    const moved = await page.request.post(base + '/api/dev/clock', { data: { seconds: Math.ceil(ms / 1000) } });
    assert.ok(moved.ok(), `dev clock: ${moved.status()}`);
  };

  // The server's clock to 23:50 shop time; the drop opens at the coming midnight.
  let now = await serverNow();
  // Too close to the coming midnight to watch it come: the one after.
  let midnight = nextShopMidnight(now);
  if (midnight - now < 6 * 60 * 1000) midnight += DAY_MS;
  if (midnight - now > 10 * 60 * 1000) await moveClock(midnight - 10 * 60 * 1000 - now);
  now = await serverNow();
  assert.ok(midnight - now <= 10 * 60 * 1000 && midnight - now > 5 * 60 * 1000, `${midnight - now} ms before midnight`);
  const auth = { authorization: `Bearer ${OPERATOR}` };
  const merchants = await (await page.request.get(base + '/api/admin/merchants', { headers: auth })).json();
  const created = await page.request.post(base + '/api/admin/sales', {
    headers: auth,
    data: {
      offer_key: 'e2e-midnight', offer: { zh: '零点测试券', en: 'Midnight voucher' }, merchant_id: merchants.find((m) => m.slug === 'luckin').id,
      image: '/img/items/luckin-voucher.svg', points: 50, quantity: 3, starts_at: midnight / 1000, ends_at: midnight / 1000 + 600,
    },
  });
  assert.equal(created.status(), 201, await created.text());

  await demoLogin(page, base, 5); // a plain member: no early access
  await page.goto(base + '/sales');
  const tab = page.locator('.slot-tab', { hasText: '明天开抢' });
  await tab.waitFor();
  assert.match(await tab.textContent(), /00:00/);
  await tab.click();
  const card = page.locator('[data-testid=sale-card]', { hasText: '零点测试券' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-state'), 'upcoming');
  assert.match(await card.locator('[data-testid=countdown]').textContent(), /00:(0\d|10):\d\d/);
  await shot(page, 'zh-22-sales-midnight-drop');

  // Past midnight the drop is today's and live (the page reads the server's clock again).
  await moveClock(midnight + 60 * 1000 - (await serverNow()));
  await page.reload();
  const live = page.locator('[data-testid=sale-card][data-state=live]', { hasText: '零点测试券' });
  const slots = page.locator('.slot-tab');
  await slots.first().waitFor();
  assert.equal(await page.locator('.slot-tab', { hasText: '明天开抢' }).count(), 0, 'past midnight nothing is tomorrow');
  for (let i = 0; i < await slots.count() && !(await live.count()); i++) await slots.nth(i).click();
  await live.waitFor();
  await live.locator('[data-testid=sale-button]').click();
  await page.locator('[data-testid=toast]', { hasText: '抢到了' }).waitFor();
  await shot(page, 'zh-23-sales-midnight-grabbed');
});
