// The lottery on a phone: Me links to it; the page shows the cost, draws left, every prize
// with its odds and stock (the sold-out jackpot says so before drawing); a draw reveals
// its result, and the balance and draws left follow the server's answer; a draw with an
// item prize waits for an address. A coupon prize puts its code in the wallet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, num, shot, staffSignIn, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test('a member adds an address when the page asks, draws once and sees the result, the balance and the draws left', async () => {
  const { page } = ctx.phone;
  await demoLogin(page, ctx.server.base, 1);
  await page.getByRole('link', { name: '我的', exact: true }).click();
  await page.locator('[data-testid=me-lottery]').click();
  await page.locator('[data-testid=prize]').first().waitFor();
  assert.equal(await page.locator('[data-testid=prize]').count(), 6);
  assert.match(await page.locator('[data-testid=prizes]').textContent(), /实物小米充电宝.*优惠券瑞幸咖啡 9 元券/);
  assert.match(await page.locator('[data-testid=prize]').first().textContent(), /已抽完/);
  await page.locator('[data-testid=prize-out-note]').waitFor();
  assert.match(await page.locator('[data-testid=lottery-meta]').textContent(), /每次 50 积分 · 今日还可抽 5 次/);
  await shot(page, 'zh-90-lottery');

  // The demo draw has an item prize: without an address it is refused, nothing taken,
  // and the page offers the address book.
  const before = num(await page.locator('[data-testid=balance]').textContent());
  await page.locator('[data-testid=prize-item-note]').waitFor();
  await page.locator('[data-testid=draw]').click();
  await page.locator('[data-testid=draw-refused]', { hasText: '请先添加收货地址' }).waitFor();
  await page.locator('[data-testid=draw-add-address]').waitFor();
  assert.equal(num(await page.locator('[data-testid=balance]').textContent()), before);
  await page.locator('[data-testid=lottery-meta]', { hasText: '今日还可抽 5 次' }).waitFor();
  await shot(page, 'zh-90b-lottery-needs-address');
  const added = await page.request.post(ctx.server.base + '/api/addresses', {
    data: { name: '林晓雨', phone: '13800138000', region: '上海市 静安区', detail: '南京西路 1266 号', is_default: true },
  });
  assert.equal(added.status(), 201, await added.text());

  await page.locator('[data-testid=draw]').click();
  const result = page.locator('[data-testid=draw-result]');
  await result.waitFor();
  const text = await result.textContent();
  // Points prizes add to the balance; an item or a coupon does not.
  const won = /抽中 ([\d,]+) 积分/.exec(text);
  const prize = won ? num(won[1]) : 0;
  assert.ok(won || /未中奖|抽中 小米充电宝|抽中 瑞幸咖啡 9 元券/.test(text), text);
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, before - 50 + prize);
  await page.locator('[data-testid=lottery-meta]', { hasText: '今日还可抽 4 次' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.draw-result')?.getAnimations().every((a) => a.playState === 'finished'));
  await shot(page, 'zh-91-lottery-result');
});

test('a coupon prize puts its code in the wallet', async () => {
  const { page, context } = ctx.phone;
  const base = ctx.server.base;
  // An operator opens a lottery whose one prize (certain, one in stock) is the Luckin voucher.
  const ops = await context.newPage();
  await staffSignIn(ops, base, 'ops');
  const status = await ops.evaluate(async () => {
    const prize = { name: { zh: '瑞幸咖啡 9 元券', en: 'Luckin ¥9 voucher' }, kind: 'coupon', item_id: 2, probability_bp: 10000, stock: 1 };
    const body = { name: { zh: '幸运券', en: 'Lucky voucher' }, cost_points: 10, draws_per_day: 3, prizes: [prize] };
    const res = await fetch('/api/admin/lotteries', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.status;
  });
  assert.equal(status, 201);
  await ops.close();

  await page.goto(base + '/lottery');
  await page.locator('[data-testid=prize]', { hasText: '优惠券' }).waitFor();
  await page.locator('[data-testid=draw]').click();
  const code = page.locator('[data-testid=prize-code]');
  await code.waitFor();
  const text = await code.textContent();
  assert.match(text, /券码已放入卡包/);
  const value = /[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(text)[0];
  await page.waitForFunction(() => document.querySelector('.draw-result')?.getAnimations().every((a) => a.playState === 'finished'));
  await shot(page, 'zh-92-lottery-coupon');
  await code.getByRole('link', { name: '去卡包' }).click();
  await page.locator('[data-testid=ticket]', { hasText: value }).waitFor();
  // The prize is gone: the next draw says so before drawing.
  await page.goto(base + '/lottery');
  await page.locator('[data-testid=prize-out-note]').waitFor();
});
