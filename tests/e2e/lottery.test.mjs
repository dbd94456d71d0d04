// The lottery on a phone: Me links to it; the page shows the cost, draws left, every prize
// with its odds and stock (the sold-out jackpot says so before drawing); a draw reveals
// its result, and the balance and draws left follow the server's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, num, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test('a member draws once and sees the result, the balance and the draws left', async () => {
  const { page } = ctx.phone;
  await demoLogin(page, ctx.server.base, 1);
  await page.getByRole('link', { name: '我的', exact: true }).click();
  await page.locator('[data-testid=me-lottery]').click();
  await page.locator('[data-testid=prize]').first().waitFor();
  assert.equal(await page.locator('[data-testid=prize]').count(), 4);
  assert.match(await page.locator('[data-testid=prize]').first().textContent(), /已抽完/);
  await page.locator('[data-testid=prize-out-note]').waitFor();
  assert.match(await page.locator('[data-testid=lottery-meta]').textContent(), /每次 50 积分 · 今日还可抽 5 次/);
  await shot(page, 'zh-90-lottery');

  const before = num(await page.locator('[data-testid=balance]').textContent());
  await page.locator('[data-testid=draw]').click();
  const result = page.locator('[data-testid=draw-result]');
  await result.waitFor();
  const text = await result.textContent();
  const won = /抽中 ([\d,]+) 积分/.exec(text);
  const prize = won ? num(won[1]) : 0;
  assert.ok(won || /未中奖/.test(text), text);
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, before - 50 + prize);
  await page.locator('[data-testid=lottery-meta]', { hasText: '今日还可抽 4 次' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.draw-result')?.getAnimations().every((a) => a.playState === 'finished'));
  await shot(page, 'zh-91-lottery-result');
});
