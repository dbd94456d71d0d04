// The points engine on a phone: check in (calendar, streak and balance update, a second
// tap does nothing, the history shows it), make up a missed day, the expiring-soon
// banner opens the lots, tasks pay until capped, and cancelling a pending order
// returns the points.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, num, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

const headerBalance = async (page) => num(await page.locator('[data-testid=balance]').textContent());

test('check in once, see the streak and the history entry, make up a missed day', async () => {
  const { page } = ctx.phone;
  // On the 1st of a month there is no missed day yet: move the demo server's clock on.
  const time = await (await page.request.get(ctx.server.base + '/api/time')).json();
  const dayOfMonth = Number(time.now.slice(8, 10));
  if (dayOfMonth === 1) {
    await page.request.post(ctx.server.base + '/api/dev/clock', { data: { seconds: 2 * 86400 } });
  }
  await demoLogin(page, ctx.server.base, 3); // Silver member, with points expiring soon
  await page.locator('[data-testid=home-checkin-button]').waitFor();
  await shot(page, 'zh-10-home-checkin');
  const before = await headerBalance(page);

  await page.getByRole('link', { name: '签到', exact: true }).click();
  await page.locator('[data-testid=checkin-button]').waitFor();
  assert.equal(num(await page.locator('[data-testid=streak]').textContent()), 0);
  await shot(page, 'zh-11-checkin');
  await page.locator('[data-testid=checkin-button]').click();
  await page.locator('[data-testid=toast]').waitFor();
  const toast = await page.locator('[data-testid=toast]').textContent();
  const earned = num(toast.match(/\+(\d+)/)[1]);
  assert.ok(earned > 0, toast);
  await page.waitForFunction((n) => document.querySelector('[data-testid=streak]')?.textContent.startsWith(String(n)), 1);
  assert.equal(await page.locator('[data-testid=checkin-button]').isDisabled(), true);
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, before + earned);
  const today = page.locator('.cal-day[data-state=checked]');
  assert.equal(await today.count(), 1);
  await shot(page, 'zh-12-checkin-done');

  // A second check-in (another tab, a retry) credits nothing.
  const again = await (await page.request.post(ctx.server.base + '/api/checkins')).json();
  assert.equal(again.checked_in, false);
  assert.equal(again.balance, before + earned);

  // The history has it on top.
  await page.getByRole('link', { name: '明细', exact: true }).click();
  const top = page.locator('[data-testid=history-entry]').first();
  await top.waitFor();
  assert.equal(await top.getAttribute('data-kind'), 'checkin');
  assert.equal(num(await top.locator('[data-testid=entry-amount]').textContent()), earned);

  // Make up a missed day of this month: the Silver tier's first one is free.
  await page.getByRole('link', { name: '签到', exact: true }).click();
  const missed = page.locator('.cal-day[data-state=missed]').first();
  await missed.waitFor();
  await missed.click();
  await page.locator('[data-testid=makeup-sheet]').waitFor();
  await shot(page, 'zh-13-makeup-sheet');
  await page.locator('[data-testid=confirm-makeup]').click();
  await page.locator('[data-testid=makeup-sheet]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('.cal-day[data-state=made-up]').count(), 1);
  assert.equal(await headerBalance(page), before + earned, 'the free make-up cost nothing');
});

test('the expiring-soon banner opens the lots; tasks pay until capped', async () => {
  const { page } = ctx.phone;
  await page.goto(ctx.server.base + '/history');
  await page.locator('[data-testid=expiring-banner]').click();
  await page.locator('[data-testid=lots-sheet] .lot').first().waitFor();
  assert.match(await page.locator('[data-testid=lots-sheet]').textContent(), /过期/);
  await shot(page, 'zh-14-lots');

  await page.goto(ctx.server.base + '/me');
  const share = page.locator('[data-testid=task-share] button');
  await share.waitFor();
  await shot(page, 'zh-15-me-tasks');
  const start = await headerBalance(page);
  for (let i = 1; i <= 3; i++) {
    await share.click();
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, start + 5 * i);
  }
  await page.waitForFunction(() => document.querySelector('[data-testid=task-share] button')?.disabled === true);
});

test('cancelling a pending order returns the points', async () => {
  const { page } = ctx.phone;
  // A physical (shipped) item under the member's balance.
  const items = await (await page.request.get(ctx.server.base + '/api/items?sort=points_asc&limit=50')).json();
  const me = await (await page.request.get(ctx.server.base + '/api/me')).json();
  const item = items.items.find((i) => i.kind === 'physical' && i.stock > 0 && !i.min_tier && i.points <= me.balance);
  await page.goto(ctx.server.base + `/items/${item.id}`);
  await page.locator('[data-testid=redeem]').click();
  // Goods ship: the sheet asks for the member's first address.
  const sheet = page.locator('[data-testid=redeem-sheet]');
  await sheet.locator('[data-testid=address-first]').waitFor();
  await sheet.locator('[data-testid=addr-name]').fill('林晓雨');
  await sheet.locator('[data-testid=addr-phone]').fill('138 0013 8000');
  await sheet.locator('[data-testid=addr-region]').fill('上海市 静安区');
  await sheet.locator('[data-testid=addr-detail]').fill('南京西路 1266 号');
  await sheet.locator('[data-testid=addr-save]').click();
  await sheet.locator('[data-testid=address-option] input:checked').waitFor();
  await page.locator('[data-testid=confirm-redeem]').click();
  await page.locator('[data-testid=redeem-success]').waitFor();
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, me.balance - item.points);

  await page.goto(ctx.server.base + '/me');
  const cancel = page.locator('[data-testid=cancel-order]').first();
  await cancel.waitFor();
  await shot(page, 'zh-16-me-pending-order');
  await cancel.click();
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, me.balance);
  await page.locator('[data-testid=order] .status-pill[data-status=cancelled]').first().waitFor();
  const history = await (await page.request.get(ctx.server.base + '/api/history?limit=1')).json();
  assert.equal(history.entries[0].kind, 'refund');
  assert.equal(history.entries[0].amount, item.points);
  assert.deepEqual(ctx.phone.errors, []);
});
