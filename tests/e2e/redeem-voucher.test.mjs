// Redeeming a voucher on a phone, in Chinese: open → log in → balance → catalogue →
// filter → item → redeem → balance lower → history → deep-link reload → back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, num, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test('a member redeems a voucher and finds it in the history', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;

  // Open: the static shell paints before the wasm, then the login picker.
  await page.goto(base + '/');
  await page.locator('[data-testid=demo-member]').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await shot(page, 'zh-01-login');

  // Log in as the first seeded member (Gold, with points expiring soon).
  await demoLogin(page, base, 0);
  const balance = num(await page.locator('[data-testid=home-balance]').textContent());
  assert.ok(balance > 0, 'balance shown');
  assert.equal(num(await page.locator('[data-testid=balance]').textContent()), balance, 'header agrees');
  await page.locator('[data-testid=expiring-chip]').waitFor();
  assert.match(await page.title(), /首页/);
  await shot(page, 'zh-02-home');

  // Catalogue, then the ≤500 band filter.
  await page.getByRole('link', { name: '兑换', exact: true }).click();
  await page.locator('[data-testid=item-card]').first().waitFor();
  await shot(page, 'zh-03-catalog');
  await page.locator('[data-testid=band-up_to_500]').click();
  await page.waitForURL(/band=up_to_500/);
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('[data-testid=item-card] .price-points')];
    return cards.length > 0 && cards.every((c) => Number(c.textContent.replace(/,/g, '')) <= 500);
  });
  await shot(page, 'zh-04-catalog-filtered');

  // The item page.
  const card = page.locator('[data-testid=item-card]', { hasText: '便利店 3 元无门槛券' });
  await card.click();
  await page.waitForURL(/\/items\/1$/);
  await page.locator('[data-testid=item-name]').waitFor();
  assert.match(await page.title(), /便利店/);
  await shot(page, 'zh-05-item');

  // Redeem through the confirmation sheet.
  await page.locator('[data-testid=redeem]').click();
  await page.locator('[data-testid=redeem-sheet]').waitFor();
  const after1 = num(await page.locator('[data-testid=balance-after]').textContent());
  assert.equal(after1, balance - 290, 'the sheet shows the balance after');
  await shot(page, 'zh-06-redeem-sheet');
  await page.locator('[data-testid=confirm-redeem]').click();
  await page.locator('[data-testid=redeem-success]').waitFor();
  assert.match(await page.locator('[data-testid=order-code]').textContent(), /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await page.waitForFunction((expected) => {
    const el = document.querySelector('[data-testid=balance]');
    return el && Number(el.textContent.replace(/,/g, '')) === expected;
  }, balance - 290);
  await shot(page, 'zh-07-redeem-success');

  // The history has the entry on top.
  await page.getByRole('link', { name: '查看积分明细', exact: true }).click();
  await page.waitForURL(/\/history$/);
  const top = page.locator('[data-testid=history-entry]').first();
  await top.waitFor();
  assert.equal(await top.getAttribute('data-kind'), 'redeem');
  assert.equal(num(await top.locator('[data-testid=entry-amount]').textContent()), -290);
  assert.match(await top.textContent(), /便利店 3 元无门槛券/);
  await shot(page, 'zh-08-history');

  // A reload on a deep link still works, and back returns to the previous page.
  await page.goto(base + '/items/1');
  await page.reload();
  await page.locator('[data-testid=item-name]').waitFor();
  assert.match(await page.locator('[data-testid=item-name]').textContent(), /便利店/);
  await page.getByRole('link', { name: '明细', exact: true }).click();
  await page.waitForURL(/\/history$/);
  await page.goBack();
  await page.waitForURL(/\/items\/1$/);
  await page.locator('[data-testid=item-name]').waitFor();
  await page.locator('[data-testid=back]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/items/'));

  // Me: the order is listed.
  await page.goto(base + '/me');
  await page.locator('[data-testid=order]').first().waitFor();
  await shot(page, 'zh-09-me');
  assert.deepEqual(ctx.phone.errors, [], 'no uncaught page errors');
});
