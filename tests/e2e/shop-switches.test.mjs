// What a member sees of what the shop has not switched on (the production defaults): an
// item with a cash part while no host payment is configured (`HOST_PAY_URL` unset) is
// shown with the reason and a disabled redeem button, in both languages; with
// self-claimed tasks off (`SELF_CLAIMED_TASKS=false`) Me offers no task to tap, only the
// profile task, which a complete profile pays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, axeViolations, memberCookie, shot, useBrowserAndServer } from './harness.mjs';

const ctx = useBrowserAndServer({ SELF_CLAIMED_TASKS: 'false' });

/** A phone in `locale` with a demo member's session. */
async function memberPhone(locale) {
  const phone = await ctx.open(PHONE, locale);
  await phone.context.addCookies([await memberCookie(ctx.server.base)]);
  return phone;
}

const REASON = {
  'zh-CN': '本店暂未开通现金支付，此商品暂不可兑换',
  'en-US': 'This shop cannot take the cash part yet, so this item cannot be redeemed',
};

for (const locale of ['zh-CN', 'en-US']) {
  test(`an item with a cash part the shop cannot take says why and cannot be redeemed (${locale})`, async () => {
    const { context, page, errors } = await memberPhone(locale);
    try {
      const items = await (await page.request.get(ctx.server.base + '/api/items?limit=50')).json();
      const cashItem = items.items.find((i) => i.cash && !i.min_tier && i.stock > 0);
      assert.ok(cashItem, 'the demo has an item with a cash part');
      const detail = await (await page.request.get(`${ctx.server.base}/api/items/${cashItem.id}`)).json();
      assert.equal(detail.cash_unavailable, true, 'no host payment is configured');

      await page.goto(`${ctx.server.base}/items/${cashItem.id}`);
      const blocker = page.locator('[data-testid=blocker]');
      await blocker.waitFor();
      assert.equal(await blocker.textContent(), REASON[locale]);
      assert.equal(await page.locator('[data-testid=redeem]').isDisabled(), true);
      await shot(page, `shop-${locale.slice(0, 2)}-390-cash-unavailable`);
      assert.deepEqual(await axeViolations(page), []);

      // An item without a cash part is still redeemable.
      const plain = items.items.find((i) => !i.cash && !i.min_tier && i.stock > 0 && i.points <= 100000);
      await page.goto(`${ctx.server.base}/items/${plain.id}`);
      await page.locator('[data-testid=item-name]').waitFor();
      const other = page.locator('[data-testid=blocker]');
      if (await other.count()) assert.notEqual(await other.textContent(), REASON[locale]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('with self-claimed tasks off, Me offers no task to tap: only the profile, which the mall sees', async () => {
  const { context, page, errors } = await memberPhone('zh-CN');
  try {
    const tasks = await (await page.request.get(ctx.server.base + '/api/tasks')).json();
    assert.deepEqual(tasks.tasks.map((t) => t.task), ['profile']);
    await page.goto(ctx.server.base + '/me');
    await page.locator('[data-testid=invite-card]').waitFor();
    await page.waitForLoadState('networkidle');
    // No share or review to tap; the profile task points at the profile card.
    assert.equal(await page.locator('[data-testid=task-share], [data-testid=task-review], .tasks button').count(), 0);
    await page.locator('[data-testid=task-profile] [data-testid=task-profile-fill][href="#profile"]').waitFor();
    await page.locator('[data-testid=profile-card]').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'shop-zh-390-me-profile-task-only');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
