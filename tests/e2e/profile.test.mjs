// The member profile on Me: filling in a name and a birthday completes the profile task
// (+20, once; the task row then says done and offers no tap), the birthday is kept once,
// and on the birthday the gift is taken with one tap. Each state passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, demoLogin, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

const DAY = 86_400;

async function balance(page, base) {
  return (await (await page.request.get(base + '/api/me')).json()).balance;
}

test('a member completes the profile for the task, then takes the birthday gift on the day', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;
  await demoLogin(page, base, 2);
  const before = await balance(page, base);
  await page.goto(base + '/me');
  const card = page.locator('[data-testid=profile-card]');
  await card.waitFor();
  // The profile task is not a tap: it points at the form.
  await page.locator('[data-testid=task-profile] [data-testid=task-profile-fill]').waitFor();
  assert.match(await card.locator('[data-testid=birthday-gift]').textContent(), /填写生日，每年生日可领 100 积分/);

  // A birthday 35 days ahead (in 1990), so that after 35 days it is the day and was
  // recorded long enough before.
  const now = new Date((await (await page.request.get(base + '/api/time')).json()).now);
  const day = new Date(now.getTime() + 35 * DAY * 1000);
  const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit' }).format(day);
  const birthday = `1990-${shanghai}`;

  // An empty name is refused on the form, before any request.
  await card.locator('[data-testid=profile-name]').fill('   ');
  await card.locator('[data-testid=profile-birthday]').fill(birthday);
  await card.locator('[data-testid=profile-save]').click();
  await card.locator('.field-error', { hasText: '昵称需为 1–20 个字符' }).waitFor();

  await card.locator('[data-testid=profile-name]').fill('晓雨');
  await card.locator('[data-testid=profile-consent]').check();
  await card.locator('[data-testid=profile-save]').click();
  await page.locator('[data-testid=toast]', { hasText: '资料已完善：+20 积分' }).waitFor();
  assert.equal(await balance(page, base), before + 20);
  // Done: the task row has no tap left, the birthday is locked, the gift is dated.
  await page.locator('[data-testid=task-profile]', { hasText: '已完成' }).waitFor();
  assert.equal(await page.locator('[data-testid=task-profile-fill]').count(), 0);
  assert.equal(await card.locator('[data-testid=profile-birthday]').isDisabled(), true);
  assert.match(await card.locator('[data-testid=birthday-gift]').textContent(), /生日礼 100 积分，\d{4}-\d{2}-\d{2} 可领/);
  assert.deepEqual(await axeViolations(page), []);
  await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'zh-95-profile-complete');

  // Saved again (a new name): nothing more is credited.
  await card.locator('[data-testid=profile-name]').fill('Xiaoyu');
  await card.locator('[data-testid=profile-save]').click();
  await page.locator('[data-testid=toast]', { hasText: '资料已保存' }).waitFor();
  assert.equal(await balance(page, base), before + 20);
  // What was saved is what a reload shows.
  await page.reload();
  await card.waitFor();
  assert.equal(await card.locator('[data-testid=profile-name]').inputValue(), 'Xiaoyu');
  assert.equal(await card.locator('[data-testid=profile-birthday]').inputValue(), birthday);
  assert.equal(await card.locator('[data-testid=profile-consent]').isChecked(), true);

  // 35 days on it is the birthday (the session has lapsed: log in again).
  const moved = await page.request.post(base + '/api/dev/clock', { data: { seconds: 35 * DAY } });
  assert.ok(moved.ok(), `clock: HTTP ${moved.status()}`);
  await page.context().clearCookies();
  await demoLogin(page, base, 2);
  const ready = await balance(page, base);
  await page.goto(base + '/me');
  const gift = page.locator('[data-testid=birthday-gift][data-state=ready]');
  await gift.waitFor();
  assert.match(await gift.textContent(), /生日快乐！生日礼 100 积分等你领取/);
  assert.deepEqual(await axeViolations(page), []);
  await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'zh-96-birthday-gift');
  await gift.locator('[data-testid=birthday-take]').click();
  await page.locator('[data-testid=toast]', { hasText: '+100 积分' }).waitFor();
  await page.locator('[data-testid=birthday-gift][data-state=taken]').waitFor();
  assert.equal(await balance(page, base), ready + 100);
  const history = await (await page.request.get(base + '/api/history')).json();
  assert.equal(history.entries[0].kind, 'birthday');
  assert.deepEqual(ctx.phone.errors, []);
});
