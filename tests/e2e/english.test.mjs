// The same pages in English (browser language en-US), the language switch on Me,
// and the states a member meets: empty results, offline with retry, not enough points;
// then a flash sale, the code wallet and the merchant page in English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, num, shot, staffSignIn, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('en-US');

test('every member page reads in English', async () => {
  const { page } = ctx.phone;
  await page.goto(ctx.server.base + '/');
  await page.locator('[data-testid=demo-member]').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await shot(page, 'en-01-login');
  await demoLogin(page, ctx.server.base, 1); // the Diamond member
  await shot(page, 'en-02-home');
  await page.getByRole('link', { name: 'Rewards', exact: true }).click();
  await page.locator('[data-testid=item-card]').first().waitFor();
  await shot(page, 'en-03-catalog');
  await page.locator('[data-testid=item-card]').first().click();
  await page.locator('[data-testid=item-name]').waitFor();
  await shot(page, 'en-04-item');
  await page.locator('[data-testid=redeem]').click();
  await page.locator('[data-testid=redeem-sheet]').waitFor();
  await shot(page, 'en-05-redeem-sheet');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('[data-testid=redeem-success]').waitFor();
  await shot(page, 'en-06-redeem-success');
  await page.goto(ctx.server.base + '/history');
  await page.locator('[data-testid=history-entry]').first().waitFor();
  assert.match(await page.title(), /Point history/);
  await shot(page, 'en-07-history');
  await page.goto(ctx.server.base + '/checkin');
  await page.locator('[data-testid=checkin-button]').waitFor();
  assert.match(await page.locator('.checkin-hero').textContent(), /Check in today/);
  await shot(page, 'en-08-checkin');
  await page.goto(ctx.server.base + '/me');
  await page.locator('[data-testid=order]').first().waitFor();
  await shot(page, 'en-09-me');

  // Switch to Chinese on Me; the choice survives a reload.
  await page.locator('[data-testid=lang-zh-CN]').click();
  await page.getByRole('heading', { name: '我的订单' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '我的订单' }).waitFor();
  await page.locator('[data-testid=lang-en]').click();
  await page.getByRole('heading', { name: 'My orders' }).waitFor();
});

test('empty search, offline retry and a member who cannot afford an item', async () => {
  const { page, context } = ctx.phone;
  await page.goto(ctx.server.base + '/catalog?q=nothing-matches-this');
  await page.locator('[data-testid=empty]').waitFor();
  await shot(page, 'en-10-empty');

  // Offline: the catalogue says so in words and recovers on retry.
  await page.goto(ctx.server.base + '/catalog');
  await page.locator('[data-testid=item-card]').first().waitFor();
  await context.setOffline(true);
  await page.locator('[data-testid=band-up_to_2000]').click();
  await page.locator('[data-testid=error-state]').waitFor();
  assert.match(await page.locator('[data-testid=error-state]').textContent(), /offline/i);
  await shot(page, 'en-11-offline');
  await context.setOffline(false);
  await page.locator('[data-testid=error-state] button').click();
  await page.locator('[data-testid=item-card]').first().waitFor();

  // Log in as the member with 35 points: the redeem button says why it is disabled.
  await page.request.post(ctx.server.base + '/api/logout');
  await page.goto(ctx.server.base + '/');
  await page.locator('[data-testid=demo-member]').nth(6).click();
  await page.locator('[data-testid=home-balance]').waitFor();
  assert.equal(num(await page.locator('[data-testid=home-balance]').textContent()), 35);
  await page.goto(ctx.server.base + '/items/1');
  await page.locator('[data-testid=blocker]').waitFor();
  assert.match(await page.locator('[data-testid=blocker]').textContent(), /short/);
  assert.equal(await page.locator('[data-testid=redeem]').isDisabled(), true);
  await shot(page, 'en-12-cannot-afford');
});

test('flash sales, the code wallet and the merchant page read in English', async () => {
  const { page, context } = ctx.phone;
  const base = ctx.server.base;
  await context.clearCookies(); // signed out: start as the Diamond member again
  await demoLogin(page, base, 1);
  await page.goto(base + '/sales');
  // The demo day always has Luckin's sale, opened ten minutes before the server started; a
  // scheduled slot (10:00, 14:00, 20:00 local) may be live too and be the tab shown first.
  const live = page.locator('[data-testid=sale-card][data-state=live]', { hasText: 'Luckin' });
  const slots = page.locator('.slot-tab');
  await slots.first().waitFor();
  for (let i = 0; i < await slots.count() && !(await live.count()); i++) await slots.nth(i).click();
  await live.waitFor();
  assert.equal((await live.locator('[data-testid=sale-button]').textContent()).trim(), 'Grab now');
  assert.match(await live.textContent(), /Ends in/);
  await shot(page, 'en-13-sales');
  await live.locator('[data-testid=sale-button]').click();
  await page.locator('[data-testid=toast]', { hasText: 'Got it!' }).waitFor();
  const code = (await page.locator('[data-testid=toast]').textContent()).match(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/)[0];
  await page.goto(base + '/wallet');
  const ticket = page.locator('[data-testid=ticket]', { hasText: code });
  await ticket.waitFor();
  assert.match(await ticket.textContent(), /Valid until \d{4}-\d\d-\d\d/);
  await shot(page, 'en-14-wallet');

  const merchant = await context.newPage();
  await staffSignIn(merchant, base, 'luckin'); // the live demo sale is Luckin's
  await merchant.locator('[data-testid=merchant-code]').fill(code);
  await merchant.locator('[data-testid=merchant-verify]').click();
  await merchant.locator('[data-testid=verify-result].ok').waitFor();
  await merchant.locator('[data-testid=merchant-code]').fill(code);
  await merchant.locator('[data-testid=merchant-verify]').click();
  await merchant.locator('[data-testid=verify-result].fail').waitFor();
  assert.match(await merchant.locator('[data-testid=verify-result]').textContent(), /Already redeemed at .+ on \d\d-\d\d \d\d:\d\d/);
  await shot(merchant, 'en-15-merchant-second-try');
  await merchant.close();
  assert.deepEqual(ctx.phone.errors, []);
});
