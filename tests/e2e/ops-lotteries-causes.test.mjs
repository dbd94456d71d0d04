// Lotteries and causes in the back office. At a desk: the operator fills a new lottery with
// two prizes (a points prize and a voucher picked from the catalogue), is told the odds
// are over 100 % before anything is sent, fixes them and creates it (the form said the
// running lottery would close, and it did); a member draws twice through the API; the
// operator refreshes and sees the draws, the points spent and the wins, then closes it
// after a question, and members can no longer draw. Then a cause with an uploaded image:
// a refusal in words first, created, a member gives twice, the operator sees raised,
// donations and donors, closes it, and a further gift is refused. Both sections at a
// phone's and a desk's width in both languages: screenshots, no overflow, axe-clean.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, checkPage, memberCookie, shot, staffSignIn, useBrowserAndServer } from './harness.mjs';

const ctx = useBrowserAndServer();
const open = (profile, locale) => ctx.open(profile, locale);

/** A 2×2 PNG in the brand colour (valid, 73 bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP45KENRAwQCgAqNgWV1wSLnQAAAABJRU5ErkJggg==', 'base64');

/** A member's write through the API (its own session, a fresh idempotency key): status and body. */
async function asMember(path, body) {
  const cookie = await memberCookie(ctx.server.base);
  const res = await fetch(ctx.server.base + path, {
    method: path.endsWith('/current') ? 'GET' : 'POST',
    headers: {
      cookie: `${cookie.name}=${cookie.value}`,
      'content-type': 'application/json',
      'idempotency-key': `e2e-${Math.random().toString(36).slice(2)}`,
    },
    body: path.endsWith('/current') ? undefined : JSON.stringify(body ?? {}),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** The operator's section `s` (`lotteries`, `causes`), signed in as the demo operator. */
async function openSection(page, s) {
  await staffSignIn(page, ctx.server.base, 'ops');
  await page.locator(`[data-testid=ops-nav-${s}]`).click();
  await page.waitForURL(new RegExp(`s=${s}`));
}

test('an operator creates a lottery (odds over 100 % refused first), watches the draws and closes it', async () => {
  const { context, page, errors } = await open(DESK, 'zh-CN');
  try {
    await openSection(page, 'lotteries');
    const rows = page.locator('[data-testid=admin-lottery]');
    await rows.first().waitFor();
    // The demo's running lottery, which the new one closes: the form says so.
    const seeded = rows.first();
    assert.equal(await seeded.getAttribute('data-open'), 'true');
    const seededId = await seeded.getAttribute('data-id');
    const seededName = (await seeded.locator('.campaign-title').textContent()).replace(/ #\d+$/, '');
    const form = page.locator('[data-testid=lottery-form]');
    assert.equal(await form.locator('[data-testid=lottery-replaces]').textContent(), `创建后，正在进行的「${seededName}」将立即结束。`);

    await form.locator('[data-testid=lottery-name-zh]').fill('周末抽奖');
    await form.locator('[data-testid=lottery-name-en]').fill('Weekend draw');
    await form.locator('[data-testid=lottery-cost]').fill('10');
    await form.locator('[data-testid=lottery-per-day]').fill('3');
    const prizes = form.locator('[data-testid=prize-row]');
    const first = prizes.nth(0);
    await first.locator('[data-testid=prize-name-zh]').fill('100 积分');
    await first.locator('[data-testid=prize-name-en]').fill('100 points');
    await first.locator('[data-testid=prize-points]').fill('100');
    await first.locator('[data-testid=prize-odds]').fill('60');
    await first.locator('[data-testid=prize-stock]').fill('5');
    assert.equal(await form.locator('[data-testid=no-prize-odds]').textContent(), '未中奖概率 40%');
    // The second prize: a voucher from the catalogue, which names it.
    await form.locator('[data-testid=prize-add]').click();
    const second = prizes.nth(1);
    await second.locator('[data-testid=prize-kind]').selectOption('coupon');
    const picker = second.locator('[data-testid=prize-item]');
    await picker.locator('option').nth(1).waitFor({ state: 'attached' });
    const voucher = (await picker.locator('option').nth(1).textContent()).trim();
    await picker.selectOption({ index: 1 });
    assert.equal(await second.locator('[data-testid=prize-name-zh]').inputValue(), voucher);
    await second.locator('[data-testid=prize-odds]').fill('50.5');
    await second.locator('[data-testid=prize-stock]').fill('3');
    assert.equal(await form.locator('[data-testid=no-prize-odds]').textContent(), '中奖概率合计 110.5%，超过 100%');

    // Refused before anything is sent, in words.
    await form.locator('[data-testid=lottery-create]').click();
    const result = form.locator('[data-testid=lottery-result]');
    assert.equal(await result.textContent(), '各奖品中奖概率合计不能超过 100%');
    assert.equal(await rows.count(), 1);
    await shot(page, 'ops-lotteries-causes-zh-1280-lottery-refused');

    // 60 % + 40 %: every draw wins something while stock lasts.
    await second.locator('[data-testid=prize-odds]').fill('40');
    assert.equal(await form.locator('[data-testid=no-prize-odds]').textContent(), '未中奖概率 0%');
    await form.locator('[data-testid=lottery-create]').click();
    await form.locator('[data-testid=lottery-result].ok').waitFor();
    assert.equal(await result.textContent(), '抽奖已创建，会员现在就能抽奖');
    // The new one is first and running; the demo's is closed.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=admin-lottery]').length === 2);
    const created = rows.first();
    assert.match(await created.locator('.campaign-title').textContent(), /周末抽奖/);
    assert.equal(await created.getAttribute('data-open'), 'true');
    assert.equal(await page.locator(`[data-testid=admin-lottery][data-id="${seededId}"]`).getAttribute('data-open'), 'false');
    assert.match(await created.textContent(), /每次 10 积分 · 每人每天 3 次/);
    assert.equal(await created.locator('[data-testid=admin-prize]').count(), 2);
    assert.match(await created.locator('[data-testid=admin-prize]').nth(1).textContent(), /优惠券40%30$/);
    // The form is empty again, and now warns about the new lottery.
    assert.equal(await form.locator('[data-testid=lottery-name-zh]').inputValue(), '');
    await form.locator('[data-testid=lottery-replaces]', { hasText: '周末抽奖' }).waitFor();

    // A member draws twice.
    const id = await created.getAttribute('data-id');
    for (let i = 0; i < 2; i++) {
      const draw = await asMember(`/api/lotteries/${id}/draws`);
      assert.equal(draw.status, 201, JSON.stringify(draw.body));
      assert.ok(draw.body.prize, 'odds of 100 % always win');
    }
    await page.locator('[data-testid=lotteries-refresh]').click();
    await created.locator('[data-testid=lottery-draws]', { hasText: /^2$/ }).waitFor();
    assert.equal(await created.locator('[data-testid=lottery-spent]').textContent(), '20 积分');
    const won = (await created.locator('[data-testid=prize-won]').allTextContents()).map(Number);
    const left = (await created.locator('[data-testid=prize-left]').allTextContents()).map(Number);
    assert.equal(won[0] + won[1], 2);
    assert.deepEqual(left, [5 - won[0], 3 - won[1]]);
    await shot(page, 'ops-lotteries-causes-zh-1280-lottery-drawn');

    // Closing asks first, and can be called off.
    await created.locator('[data-testid=lottery-close]').click();
    assert.match(await created.locator('.confirm-box').textContent(), /结束「周末抽奖」？会员将不能再抽奖/);
    await created.getByRole('button', { name: '不结束' }).click();
    await created.locator('[data-testid=lottery-close]').click();
    await shot(page, 'ops-lotteries-causes-zh-1280-lottery-close');
    await created.locator('[data-testid=lottery-close-confirm]').click();
    await page.locator('[data-testid=lottery-list-result].ok', { hasText: '抽奖已结束' }).waitFor();
    await page.locator(`[data-testid=admin-lottery][data-id="${id}"][data-open=false]`).waitFor();
    assert.equal(await page.locator('[data-testid=lottery-close]').count(), 0);
    assert.equal(await form.locator('[data-testid=lottery-replaces]').count(), 0);
    // No lottery runs now.
    assert.equal((await asMember('/api/lotteries/current')).status, 404);
    assert.equal((await asMember(`/api/lotteries/${id}/draws`)).status, 404);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an operator creates a cause with an uploaded image, sees the gifts and closes it', async () => {
  const { context, page, errors } = await open(DESK, 'zh-CN');
  try {
    await openSection(page, 'causes');
    const rows = page.locator('[data-testid=admin-cause]');
    await rows.first().waitFor();
    const before = await rows.count();
    const form = page.locator('[data-testid=cause-form]');
    const result = form.locator('[data-testid=cause-result]');

    await form.locator('[data-testid=cause-name-zh]').fill('社区助老');
    await form.locator('[data-testid=cause-name-en]').fill('Help for the elderly');
    await form.locator('[data-testid=cause-desc-zh]').fill('每 500 积分为社区老人送一次午餐');
    await form.locator('[data-testid=cause-target]').fill('1000');
    // The image field is the item form's: a wrong file is said, a PNG uploads.
    await form.locator('[data-testid=cause-upload]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    assert.match(await form.locator('[data-testid=cause-upload-result]').textContent(), /PNG/);
    await form.locator('[data-testid=cause-upload]').setInputFiles({ name: 'lunch.png', mimeType: 'image/png', buffer: PNG });
    await form.locator('[data-testid=cause-upload-result].ok').waitFor();
    const image = await form.locator('[data-testid=cause-image]').getAttribute('src');
    assert.match(image, /^\/media\//);
    // Checked before it is sent: the English description is missing.
    await form.locator('[data-testid=cause-create]').click();
    assert.equal(await result.textContent(), '描述中英文都要填（1–400 字）');
    await shot(page, 'ops-lotteries-causes-zh-1280-cause-refused');

    await form.locator('[data-testid=cause-desc-en]').fill('Every 500 points bring a lunch to an elderly neighbour');
    await form.locator('[data-testid=cause-create]').click();
    await form.locator('[data-testid=cause-result].ok').waitFor();
    assert.equal(await result.textContent(), '项目已创建，会员现在就能捐赠');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=admin-cause]').length === n, before + 1);
    const created = rows.first();
    assert.match(await created.locator('.campaign-title').textContent(), /社区助老/);
    assert.equal(await created.locator('img').getAttribute('src'), image);
    assert.match(await created.locator('[data-testid=cause-raised]').textContent(), /已筹 0 \/ 1,000 积分（0%）/);

    // A member gives twice; the operator refreshes.
    const id = await created.getAttribute('data-id');
    for (const points of [100, 150]) {
      const gift = await asMember(`/api/causes/${id}/donations`, { points });
      assert.equal(gift.status, 201, JSON.stringify(gift.body));
    }
    await page.locator('[data-testid=causes-refresh]').click();
    await created.locator('[data-testid=cause-raised]', { hasText: '已筹 250 / 1,000 积分（25%）' }).waitFor();
    assert.equal(await created.locator('[data-testid=cause-donations]').textContent(), '2');
    assert.equal(await created.locator('[data-testid=cause-donors]').textContent(), '1');
    assert.equal(await created.locator('[role=progressbar]').getAttribute('aria-valuenow'), '25');
    await shot(page, 'ops-lotteries-causes-zh-1280-cause-given');

    await created.locator('[data-testid=cause-close]').click();
    assert.match(await created.locator('.confirm-box').textContent(), /结束「社区助老」？会员将不能再捐赠/);
    await created.locator('[data-testid=cause-close-confirm]').click();
    await page.locator('[data-testid=cause-list-result].ok', { hasText: '项目已结束' }).waitFor();
    await page.locator(`[data-testid=admin-cause][data-id="${id}"][data-open=false]`).waitFor();
    const late = await asMember(`/api/causes/${id}/donations`, { points: 100 });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'cause_closed');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const locale of ['zh-CN', 'en-US']) {
  test(`the lotteries and causes sections at 390 and 1280 px in ${locale}: screenshots, no overflow, axe-clean`, async () => {
    const lang = locale.slice(0, 2);
    const report = [];
    for (const [profile, width] of [[PHONE, 390], [DESK, 1280]]) {
      const { context, page, errors } = await open(profile, locale);
      const check = (name) => checkPage(page, `${width} ${name}`, `ops-lotteries-causes-${lang}-${width}-${name}`, report);
      try {
        await openSection(page, 'lotteries');
        // A running lottery (the first test closed its own), opened through the API.
        const status = await page.evaluate(async () => {
          const prize = { name: { zh: '10 积分', en: '10 points' }, kind: 'points', points: 10, probability_bp: 2500, stock: 100 };
          const body = { name: { zh: '每日好运', en: 'Daily luck' }, cost_points: 5, draws_per_day: 2, prizes: [prize] };
          const res = await fetch('/api/admin/lotteries', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          // Read to the end: an unread answer counts as a request in flight (no network idle).
          await res.text();
          return res.status;
        });
        assert.equal(status, 201);
        await page.locator('[data-testid=lotteries-refresh]').click();
        await page.locator('[data-testid=admin-lottery][data-open=true]').first().waitFor();
        await check('lotteries');
        // The form with two prizes, the second an item, and a refusal.
        const form = page.locator('[data-testid=lottery-form]');
        await form.locator('[data-testid=prize-add]').click();
        await form.locator('[data-testid=prize-row]').nth(1).locator('[data-testid=prize-kind]').selectOption('item');
        await form.locator('[data-testid=lottery-create]').click();
        await form.locator('[data-testid=lottery-result].fail').waitFor();
        if (lang === 'en') assert.equal(await form.locator('[data-testid=lottery-result]').textContent(), 'Enter a valid number');
        await form.scrollIntoViewIfNeeded();
        await check('lottery-form');
        // The running lottery's close question.
        await page.locator('[data-testid=lottery-close]').click();
        await page.locator('[data-testid=lottery-close-confirm]').scrollIntoViewIfNeeded();
        await check('lottery-close');

        await page.locator('[data-testid=ops-nav-causes]').click();
        await page.locator('[data-testid=admin-cause]').first().waitFor();
        await check('causes');
        await page.locator('[data-testid=cause-close]').first().click();
        await page.locator('.confirm-box').first().waitFor();
        await check('cause-close');
        await page.locator('[data-testid=cause-create]').click();
        await page.locator('[data-testid=cause-result].fail').waitFor();
        await page.locator('[data-testid=cause-form]').scrollIntoViewIfNeeded();
        await check('cause-form');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(report, [], report.join('\n'));
  });
}
