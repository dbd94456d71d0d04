// Invites in the app: Me shows the member's own code with a copy button and a field for a
// friend's code; the member's own code is refused in words, a friend's is accepted once
// and the field gives way to what happens next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, memberCookie, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test("a member enters a friend's invite code on Me; its own code is refused", async () => {
  const { page } = ctx.phone;
  // The friend: the first demo member, through the API.
  const cookie = await memberCookie(ctx.server.base);
  const friend = await (await fetch(ctx.server.base + '/api/invite', { headers: { cookie: `${cookie.name}=${cookie.value}` } })).json();

  await demoLogin(page, ctx.server.base, 2);
  await page.getByRole('link', { name: '我的', exact: true }).click();
  const card = page.locator('[data-testid=invite-card]');
  await card.waitFor();
  const own = (await page.locator('[data-testid=invite-code]').textContent()).trim();
  assert.equal(own.length, 8);

  await page.locator('[data-testid=invite-input]').fill(own.toLowerCase());
  await page.locator('[data-testid=invite-accept]').click();
  await page.locator('[data-testid=invite-refusal]', { hasText: '不能使用自己的邀请码' }).waitFor();
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'zh-70-invite-own-code');

  await page.locator('[data-testid=invite-input]').fill(friend.code);
  await page.locator('[data-testid=invite-accept]').click();
  await page.locator('[data-testid=toast]', { hasText: '已使用好友的邀请码' }).waitFor();
  await page.locator('[data-testid=invite-used]').waitFor();
  assert.equal(await page.locator('[data-testid=invite-input]').count(), 0, 'the field is gone once a code was used');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'zh-71-invite-used');

  await page.locator('[data-testid=invite-copy]').click();
  await page.locator('[data-testid=toast]', { hasText: '已复制' }).waitFor();
});
