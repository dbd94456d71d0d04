// Invite links on phones: Me's invite card shows the member's share link
// (`{origin}/?invite=CODE`) and copies it. A friend who opens it signed out signs in and
// lands on Me with the invite accepted; the address loses `?invite=`, so a reload sends
// nothing again. Opening one's own link, or a second friend's link after using one, is
// refused in words on the card.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, axeViolations, shot, useBrowserAndServer } from './harness.mjs';

const ctx = useBrowserAndServer();

/** A demo member's session cookie header, signed in through the API. */
async function cookieOf(base, memberId) {
  const res = await fetch(`${base}/api/session/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ member_id: memberId }),
  });
  assert.ok(res.ok, `demo login ${memberId}: HTTP ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

/** `GET /api/invite` as that member. */
async function inviteOf(base, cookie) {
  const res = await fetch(`${base}/api/invite`, { headers: { cookie } });
  assert.ok(res.ok, `invite: HTTP ${res.status}`);
  return res.json();
}

/** Signs in by tapping the demo member `id` in the picker (whatever page the app is on). */
async function pickMember(page, base, id) {
  const members = await (await fetch(`${base}/api/demo/members`)).json();
  const nth = members.findIndex((m) => m.id === id);
  assert.ok(nth >= 0, `demo member ${id}`);
  await page.locator('[data-testid=demo-member]').nth(nth).click();
}

/** Whether the element is fully on screen. */
const onScreen = (locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });

/** Waits for the element to come fully on screen (the card scrolls into view a frame
 * after the answer), then for the page to settle: it must still be there. */
async function cameIntoView(page, locator) {
  await page.waitForFunction((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  }, await locator.elementHandle(), { timeout: 5_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  return onScreen(locator);
}

test('a friend opens the share link signed out, signs in and the invite is accepted', async () => {
  const base = ctx.server.base;
  const inviter = await ctx.open(PHONE, 'zh-CN');
  await inviter.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const { page } = inviter;

  // The inviter (demo member 1) finds the link on Me and copies it.
  await page.goto(base + '/');
  await pickMember(page, base, 1);
  await page.locator('[data-testid=home-balance]').waitFor();
  await page.getByRole('link', { name: '我的', exact: true }).click();
  const card = page.locator('[data-testid=invite-card]');
  await card.waitFor();
  const code = (await page.locator('[data-testid=invite-code]').textContent()).trim();
  assert.match(code, /^[0-9A-Z]{8}$/);
  const link = (await page.locator('[data-testid=invite-link]').textContent()).trim();
  assert.equal(link, `${base}/?invite=${code}`);
  await page.locator('[data-testid=invite-copy-link]').click();
  await page.locator('[data-testid=toast]', { hasText: '已复制' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  // The share text (the code's copy button) carries the link too.
  await page.locator('[data-testid=invite-copy]').click();
  await page.waitForFunction((l) => navigator.clipboard.readText().then((t) => t.includes(l)), link);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'zh-72-invite-link');
  assert.deepEqual(await axeViolations(page), []);

  // A friend (demo member 6: no invite used yet) opens it in a browser without a session.
  const friend = await ctx.open(PHONE, 'zh-CN');
  const before = await inviteOf(base, await cookieOf(base, 1));
  await friend.page.goto(link);
  await friend.page.locator('[data-testid=demo-member]').first().waitFor();
  // The code waits in the address through the sign-in.
  assert.equal(new URL(friend.page.url()).search, `?invite=${code}`);
  await pickMember(friend.page, base, 6);
  await friend.page.locator('[data-testid=toast]', { hasText: '已使用好友的邀请码，首次购物后你们都得积分' }).waitFor();
  const friendCard = friend.page.locator('[data-testid=invite-card]');
  await friendCard.locator('[data-testid=invite-used]').waitFor();
  assert.ok(await cameIntoView(friend.page, friendCard), 'the card comes into view with the outcome');
  assert.equal(friend.page.url(), `${base}/me`, 'no ?invite= left in the address');
  assert.equal(await friend.page.locator('[data-testid=invite-refusal]').count(), 0);
  await shot(friend.page, 'zh-73-invite-link-accepted');
  assert.deepEqual(await axeViolations(friend.page), []);

  // The API agrees: the friend used a code, and the inviter has one more invite.
  const friendCookie = (await friend.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  assert.equal((await inviteOf(base, friendCookie)).invited, true);
  const after = await inviteOf(base, await cookieOf(base, 1));
  assert.equal(after.accepted, before.accepted + 1);

  // A reload sends nothing again (a second attempt would be refused in words).
  await friend.page.reload();
  await friend.page.locator('[data-testid=invite-used]').waitFor();
  await friend.page.waitForLoadState('networkidle');
  assert.equal(await friend.page.locator('[data-testid=invite-refusal]').count(), 0);
  assert.equal(friend.page.url(), `${base}/me`);

  // A second friend's link, now that the friend used one: refused in words.
  const other = await inviteOf(base, await cookieOf(base, 7));
  await friend.page.goto(`${base}/?invite=${other.code}`);
  await friendCard.locator('[data-testid=invite-refusal]', { hasText: '你已经使用过好友的邀请码' }).waitFor();
  assert.equal(friend.page.url(), `${base}/me`);
  assert.equal((await inviteOf(base, await cookieOf(base, 7))).accepted, other.accepted, 'the second code counted nothing');
  await friend.page.waitForTimeout(300);
  await shot(friend.page, 'zh-75-invite-link-second');

  // The inviter opens its own link while signed in: refused in words, the code in the field.
  await page.goto(link);
  const refusal = card.locator('[data-testid=invite-refusal]', { hasText: '邀请码无效（不能使用自己的邀请码）' });
  await refusal.waitFor();
  assert.equal(await page.locator('[data-testid=invite-input]').inputValue(), code);
  assert.equal(page.url(), `${base}/me`);
  assert.ok(await cameIntoView(page, card), 'the card comes into view with the refusal');
  await shot(page, 'zh-74-invite-link-own');
  assert.deepEqual(await axeViolations(page), []);
  assert.equal((await inviteOf(base, await cookieOf(base, 1))).accepted, after.accepted);

  assert.deepEqual([...inviter.errors, ...friend.errors], []);
  await inviter.context.close();
  await friend.context.close();
});
