// Home's extras, the lucky draw, a donation and the merchant page in English (browser
// language en-US): Home's leaderboard and picks, the lucky draw with its prize kinds, a
// donation, and the merchant's codes, settlement and free offers; each page passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, demoLogin, shot, staffSignIn, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('en-US');

test('Home extras, the lucky draw and a donation read in English', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;
  await demoLogin(page, base, 1);
  const board = page.locator('[data-testid=home-leaderboard]');
  await board.getByRole('heading', { name: "This week's top redeems" }).waitFor({ timeout: 15_000 });
  // Nothing redeemed this week yet on a fresh demo: the leaderboard says so.
  assert.match(await board.textContent(), /Nothing redeemed yet this week: be the first/);
  const picks = page.locator('[data-testid=home-picks]');
  await picks.getByRole('heading', { name: 'Picked for you' }).waitFor();
  assert.equal(await picks.getAttribute('data-basis'), 'popular', 'a member with no orders gets the popular items');
  assert.deepEqual(await axeViolations(page), []);
  await board.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, -70)); // under the sticky header
  await shot(page, 'en-20-home-extras');

  await page.goto(base + '/lottery');
  await page.locator('[data-testid=prize]').first().waitFor();
  const prizes = await page.locator('[data-testid=prizes]').textContent();
  assert.match(prizes, /PointsAll gone|All gone/);
  assert.match(prizes, /ItemXiaomi power bank/);
  assert.match(prizes, /CouponLuckin ¥9 voucher/);
  assert.match(await page.locator('[data-testid=lottery-meta]').textContent(), /50 pts a draw · 5 of 5 draws left today/);
  // An item prize ships: the draw asks for an address first, in English, and takes nothing.
  await page.locator('[data-testid=draw]').click();
  await page.locator('[data-testid=draw-refused]', { hasText: 'add an address first (no points were taken)' }).waitFor();
  await page.locator('[data-testid=draw-add-address]').waitFor();
  const added = await page.request.post(base + '/api/addresses', {
    data: { name: 'Lin Xiaoyu', phone: '13800138000', region: 'Shanghai Jing\'an', detail: '1266 West Nanjing Road', is_default: true },
  });
  assert.equal(added.status(), 201, await added.text());
  await page.locator('[data-testid=draw]').click();
  const result = await page.locator('[data-testid=draw-result]').textContent();
  assert.match(result, /You won|No prize this time|That prize is all gone/);
  await page.waitForFunction(() => document.querySelector('.draw-result')?.getAnimations().every((a) => a.playState === 'finished'));
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'en-21-lottery');

  await page.goto(base + '/causes');
  const cause = page.locator('[data-testid=cause]').first();
  await cause.locator('[data-testid=cause-donate]').click();
  await page.locator('[data-testid=donate-amount]').fill('20');
  await page.locator('[data-testid=donate-sure]').check();
  await page.locator('[data-testid=donate-confirm]').click();
  await cause.locator('[data-testid=cause-given]').waitFor();
  assert.match(await cause.locator('[data-testid=cause-given]').textContent(), /20/);
  await shot(page, 'en-22-donated');
  assert.deepEqual(ctx.phone.errors, []);
});

test('the merchant page reads in English', async () => {
  const { context } = ctx.phone;
  const merchant = await context.newPage();
  await staffSignIn(merchant, ctx.server.base, 'starbucks');
  await merchant.getByRole('heading', { name: 'Our codes' }).waitFor();
  await merchant.getByRole('heading', { name: 'Settlement' }).waitFor();
  await merchant.locator('[data-testid=settlement-table]').waitFor();
  assert.match(await merchant.locator('[data-testid=merchant-settlement]').textContent(), /¥12\.00 per verified code/);
  const offers = merchant.locator('[data-testid=merchant-offers]');
  await offers.locator('[data-testid=offer-zh]').fill('免费蛋糕');
  await offers.locator('[data-testid=offer-en]').fill('A free cake');
  await offers.locator('[data-testid=offer-quantity]').fill('5');
  await offers.locator('[data-testid=offer-send]').click();
  await offers.locator('[data-testid=offer-row][data-status=proposed]', { hasText: 'A free cake' }).waitFor();
  assert.match(await offers.textContent(), /Waiting/);
  assert.deepEqual(await axeViolations(merchant), []);
  await shot(merchant, 'en-23-merchant');
  await merchant.close();
});
