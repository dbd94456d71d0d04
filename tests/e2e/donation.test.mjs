// Donation on a phone: Me links to the causes; a member gives points through the sheet
// (amount, balance after, the confirmation that a gift is final), sees "我已捐" on the
// cause, the lower balance and the donation in its history; the sheet passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, demoLogin, num, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test('a member gives 100 points to a cause and sees it everywhere', async () => {
  const { page } = ctx.phone;
  await demoLogin(page, ctx.server.base, 1);
  const before = num(await page.locator('[data-testid=balance]').textContent());
  await page.getByRole('link', { name: '我的', exact: true }).click();
  await page.locator('[data-testid=me-causes]').click();
  const cause = page.locator('[data-testid=cause]').first();
  await cause.waitFor();
  assert.equal(await page.locator('[data-testid=cause]').count(), 2);
  await shot(page, 'zh-80-causes');

  await cause.locator('[data-testid=cause-donate]').click();
  const sheet = page.locator('[data-testid=donate-sheet]');
  await sheet.waitFor();
  await page.locator('[data-testid=donate-amount]').fill('5');
  assert.match(await sheet.textContent(), /每次至少捐赠 10 积分/);
  await page.locator('[data-testid=donate-amount]').fill('100');
  assert.match(await page.locator('[data-testid=donate-after]').textContent(), new RegExp(`捐赠后余额 ${(before - 100).toLocaleString('en-US')} 积分`));
  assert.equal(await page.locator('[data-testid=donate-confirm]').isDisabled(), true, 'not before the member confirms a gift is final');
  await page.locator('[data-testid=donate-sure]').check();
  assert.equal(await page.locator('[data-testid=donate-confirm]').isDisabled(), false);
  await page.waitForFunction(() => document.querySelector('.sheet')?.getAnimations().every((a) => a.playState === 'finished'));
  assert.deepEqual(await axeViolations(page), []);
  await shot(page, 'zh-81-donate-sheet');

  await page.locator('[data-testid=donate-confirm]').click();
  await page.locator('[data-testid=toast]', { hasText: '感谢！已捐赠 100 积分' }).waitFor();
  await cause.locator('[data-testid=cause-given]', { hasText: '我已捐 100 积分' }).waitFor();
  assert.match(await cause.locator('[data-testid=cause-raised]').textContent(), /已筹 100 \//);
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, before - 100);
  await shot(page, 'zh-82-donated');

  await page.getByRole('link', { name: '明细', exact: true }).click();
  const top = page.locator('[data-testid=history-entry]').first();
  await top.waitFor();
  assert.equal(await top.getAttribute('data-kind'), 'donation');
  assert.match(await top.textContent(), /积分捐赠/);
});
