// Coupons and partner merchants on a phone, and Home's extras: a member redeems a
// catalogue voucher and finds a 30-day code in the wallet; its merchant verifies it and
// sees it in its codes and its settlement, proposes a free offer, and an operator
// approves that offer into a flash sale. Home then shows this week's leaderboard and
// the member's picks, loaded after the first screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, demoLogin, shot, staffSignIn, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');
const CODE = /[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/;

test('a voucher becomes a wallet code that its merchant verifies, settles and lists', async () => {
  const { page, context } = ctx.phone;
  const base = ctx.server.base;
  await demoLogin(page, base, 0);
  // Item 2: the Luckin ¥9 voucher, honoured by Luckin.
  await page.goto(base + '/items/2');
  await page.locator('[data-testid=redeem]').click();
  await page.locator('[data-testid=confirm-redeem]').click();
  await page.locator('[data-testid=redeem-success]').waitFor();
  await page.goto(base + '/wallet');
  const ticket = page.locator('[data-testid=ticket]', { hasText: '瑞幸咖啡 9 元代金券' });
  await ticket.waitFor();
  const text = await ticket.textContent();
  assert.match(text, /适用门店：瑞幸咖啡/);
  assert.match(text, /有效期至 \d{4}-\d\d-\d\d/);
  const code = CODE.exec(await ticket.locator('[data-testid=ticket-code]').textContent())[0];
  await ticket.locator('svg, canvas, img').first().waitFor();
  await shot(page, 'zh-100-voucher-wallet');

  const merchant = await context.newPage();
  await staffSignIn(merchant, base, 'luckin');
  const codes = merchant.locator('[data-testid=merchant-codes]');
  // Unused, the code is the member's bearer secret: the merchant sees only its last group.
  const masked = `••••-••••-${code.slice(-4)}`;
  await codes.locator('[data-testid=merchant-code-row]', { hasText: masked }).waitFor();
  assert.equal(await codes.locator('[data-testid=merchant-code-row]', { hasText: masked }).getAttribute('data-status'), 'issued');
  assert.equal(await codes.locator('[data-testid=merchant-code-row]', { hasText: code }).count(), 0, 'never in full before it is verified');
  await merchant.locator('[data-testid=merchant-code]').fill(code);
  await merchant.locator('[data-testid=merchant-verify]').click();
  await merchant.locator('[data-testid=verify-result].ok').waitFor();
  await codes.locator(`[data-testid=merchant-code-row][data-status=used]`, { hasText: code }).waitFor();
  await codes.getByRole('button', { name: '已核销' }).click();
  await codes.locator('[data-testid=merchant-code-row]', { hasText: code }).waitFor();
  assert.equal(await codes.locator('[data-testid=merchant-code-row][data-status=issued]').count(), 0, 'the filter shows only verified codes');

  const settlement = merchant.locator('[data-testid=merchant-settlement]');
  await settlement.locator('[data-testid=settlement-table]').waitFor();
  // Reload the statement now that one code was verified today.
  await settlement.getByRole('button', { name: '查看' }).click();
  await settlement.locator('[data-testid=settlement-verified]', { hasText: /^1$/ }).waitFor();
  assert.equal(await settlement.locator('[data-testid=settlement-amount]').textContent(), '¥6.00');
  assert.match(await settlement.locator('[data-testid=settlement-csv]').getAttribute('href'), /^\/api\/merchant\/settlement\.csv\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/);
  assert.deepEqual(await axeViolations(merchant), []);
  await shot(merchant, 'zh-101-merchant-books');

  // A free offer: checked on the phone first, then sent and listed as waiting.
  const offers = merchant.locator('[data-testid=merchant-offers]');
  await offers.locator('[data-testid=offer-zh]').fill('免费美式一杯');
  await offers.locator('[data-testid=offer-en]').fill('A free americano');
  await offers.locator('[data-testid=offer-quantity]').fill('0');
  await offers.locator('[data-testid=offer-send]').click();
  await offers.locator('[data-testid=offer-result]', { hasText: '数量需在 1 到 10,000 之间' }).waitFor();
  await offers.locator('[data-testid=offer-quantity]').fill('20');
  await offers.locator('[data-testid=offer-send]').click();
  await offers.locator('[data-testid=offer-result]', { hasText: '提案已提交' }).waitFor();
  const row = offers.locator('[data-testid=offer-row]', { hasText: '免费美式一杯' });
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'proposed');
  await row.scrollIntoViewIfNeeded();
  await shot(merchant, 'zh-102-merchant-offer');
  await merchant.close();

  const ops = await context.newPage();
  await staffSignIn(ops, base, 'ops');
  await ops.goto(base + '/ops?s=offers');
  const waiting = ops.locator('[data-testid=offer-row]', { hasText: '免费美式一杯' });
  await waiting.waitFor();
  await waiting.locator('[data-testid=offer-approve]').click();
  await ops.locator('[data-testid=ops-offer-result]', { hasText: '请填写每个兑换码所需积分' }).waitFor();
  await waiting.locator('[data-testid=offer-points]').fill('10');
  await shot(ops, 'zh-103-ops-offer-waiting');
  await waiting.locator('[data-testid=offer-approve]').click();
  await ops.locator('[data-testid=ops-offer-result]', { hasText: '已通过，秒杀已排期' }).waitFor();
  await ops.locator('[data-testid=offer-row][data-status=approved]', { hasText: '免费美式一杯' }).waitFor();
  assert.deepEqual(await axeViolations(ops), []);
  await shot(ops, 'zh-103-ops-offer-approved');
  await ops.close();
  assert.deepEqual(ctx.phone.errors, []);
});

test('Home shows this week\'s leaderboard and picks a moment after the first screen', async () => {
  const { page } = ctx.phone;
  await page.goto(ctx.server.base + '/');
  await page.locator('[data-testid=home-balance]').waitFor();
  assert.equal(await page.locator('[data-testid=home-leaderboard]').count(), 0, 'not part of the first screen');
  const board = page.locator('[data-testid=home-leaderboard]');
  await board.locator('[data-testid=board-row]').first().waitFor({ timeout: 15_000 });
  assert.match(await board.locator('[data-testid=board-row]').first().textContent(), /瑞幸咖啡 9 元代金券.*本周 1 件/);
  const picks = page.locator('[data-testid=home-picks]');
  await picks.locator('[data-testid=item-card]').first().waitFor();
  const cards = await picks.locator('[data-testid=item-card]').count();
  assert.ok(cards >= 1 && cards <= 6, `${cards} picks`);
  assert.equal(await picks.getAttribute('data-basis'), 'history', 'the member redeemed a voucher');
  assert.equal(await picks.locator('.item-card.sold-out').count(), 0, 'never sold out');
  assert.deepEqual(await axeViolations(page), []);
  await board.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, -70)); // under the sticky header
  await shot(page, 'zh-104-home-extras');
});
