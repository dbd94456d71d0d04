// Route chunks: a page's code arrives only when it opens, and a chunk that fails to
// download (offline, a deploy in between) shows a retry state, never a blank page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test('a blocked chunk shows a retry state; retrying loads the page', async () => {
  const { page } = ctx.phone;
  await demoLogin(page, ctx.server.base);
  const points = /\/split_points-[0-9a-f]{10}\.wasm$/;
  let blocked = 0;
  await page.route(points, (route) => { blocked += 1; return route.abort('internetdisconnected'); });

  await page.locator('.tab-bar a[href="/history"]').click();
  const retry = page.locator('[data-testid=chunk-retry]');
  await retry.waitFor();
  assert.ok(blocked > 0, 'the history chunk was requested');
  assert.match(await retry.innerText(), /页面没有加载出来/);
  assert.equal(await page.locator('[data-testid=chunk-reload]').count(), 0, 'no reload offer before a retry failed');
  // A retry that fails again also offers to reload the app (a deploy may have replaced it).
  await retry.locator('button').first().click();
  await page.locator('[data-testid=chunk-reload]').waitFor();
  // The shell stays usable: header balance and tab bar are still there.
  await page.locator('[data-testid=header-balance]').waitFor();
  await shot(page, 'zh-30-chunk-retry');

  await page.unroute(points);
  await retry.locator('button').first().click();
  await page.locator('[data-testid=history-entry]').first().waitFor();
  assert.equal(await retry.count(), 0);

  // The same chunk serves the group's other pages without another failure.
  await page.locator('.tab-bar a[href="/me"]').click();
  await page.locator('[data-testid=page-skeleton]').waitFor({ state: 'detached' });
  assert.equal(await retry.count(), 0);
});

test('a deep link to a lazy page whose chunk is blocked offers a retry too', async () => {
  const { page } = ctx.phone;
  const shop = /\/split_shop-[0-9a-f]{10}\.wasm$/;
  await page.route(shop, (route) => route.abort('failed'));
  await page.goto(ctx.server.base + '/catalog');
  const retry = page.locator('[data-testid=chunk-retry]');
  await retry.waitFor();
  await page.unroute(shop);
  await retry.locator('button').first().click();
  await page.locator('[data-testid=item-card]').first().waitFor();
});
