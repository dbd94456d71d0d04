// The words said after a write are in the member's language: in the English app
// (browser language en-US), claiming a task, cancelling a pending order and making up a
// missed check-in each toast in English (they once came out in Chinese: the language was
// looked up after the request, where the app's context is gone).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('en-US');

const HAN = /[\u3400-\u9fff\uff00-\uffef]/;

/** Waits for a toast matching `pattern` and checks it has no Chinese in it. */
async function englishToast(page, pattern) {
  const toast = page.locator('[data-testid=toast]', { hasText: pattern });
  await toast.waitFor();
  const text = (await toast.textContent()).trim();
  assert.doesNotMatch(text, HAN, `toast in English: ${text}`);
  return text;
}

test('task, cancel and make-up toasts are in English', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;
  // On the 1st of a month there is no missed day yet: move the demo server's clock on.
  const time = await (await page.request.get(base + '/api/time')).json();
  if (Number(time.now.slice(8, 10)) === 1) {
    await page.request.post(base + '/api/dev/clock', { data: { seconds: 2 * 86400 } });
  }
  await demoLogin(page, base, 3); // the Silver member: the first make-up is free

  // A pending order (goods wait to be shipped), made through the API.
  const me = await (await page.request.get(base + '/api/me')).json();
  const items = await (await page.request.get(base + '/api/items?sort=points_asc&limit=50')).json();
  const item = items.items.find((i) => i.kind === 'physical' && i.stock > 0 && !i.min_tier && !i.cash && i.points <= me.balance);
  assert.ok(item, 'a physical item the member can afford');
  const address = await page.request.post(base + '/api/addresses', {
    data: { name: 'Lin Xiaoyu', phone: '138 0013 8000', region: 'Shanghai Jing an', detail: '1266 West Nanjing Road' },
  });
  assert.ok(address.ok(), `address: HTTP ${address.status()}`);
  const order = await page.request.post(base + '/api/orders', {
    headers: { 'Idempotency-Key': `english-toasts-${Date.now()}` },
    data: { item_id: item.id, quantity: 1, address_id: (await address.json()).id },
  });
  assert.ok(order.ok(), `order: HTTP ${order.status()}`);

  // Claim a task on Me.
  await page.goto(base + '/me');
  const share = page.locator('[data-testid=task-share] button');
  await share.waitFor();
  await share.click();
  assert.equal(await englishToast(page, /pts/), '+5 pts');

  // Cancel the pending order.
  const cancel = page.locator('[data-testid=cancel-order]').first();
  await cancel.waitFor();
  await cancel.click();
  assert.match(await englishToast(page, /Cancelled/), /^Cancelled: [\d,]+ pts returned$/);
  await page.locator('[data-testid=order] .status-pill[data-status=cancelled]').first().waitFor();
  await shot(page, 'en-20-me-cancelled');

  // Make up a missed day.
  await page.goto(base + '/checkin');
  const missed = page.locator('.cal-day[data-state=missed]').first();
  await missed.waitFor();
  await missed.click();
  await page.locator('[data-testid=makeup-sheet]').waitFor();
  await page.locator('[data-testid=confirm-makeup]').click();
  assert.equal(await englishToast(page, /made up/i), 'Day made up');
  await page.locator('[data-testid=makeup-sheet]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('.cal-day[data-state=made-up]').count(), 1);
  await shot(page, 'en-21-checkin-made-up');

  // And the check-in itself.
  await page.locator('[data-testid=checkin-button]').click();
  assert.match(await englishToast(page, /pts|checked in/i), /pts|Already checked in today/);
  assert.deepEqual(ctx.phone.errors, []);
});
