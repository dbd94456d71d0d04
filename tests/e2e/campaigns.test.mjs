// Campaigns (issue 27) in the app. At a desk, the operator opens /ops?s=campaigns, is
// refused before anything is sent when a name is missing (the field named by its label),
// then schedules a double-points check-in from now to tomorrow with a budget of 1,000,
// listed as running. A member on a phone sees it on Home (the extras chunk's banner),
// checks in on Home and is told the campaign's share, the balance rising by twice the
// normal reward (read from the page, not assumed), and the history lists a campaign entry.
// The operator's list shows the budget spent, and the operator ends it after a question;
// Home then shows no banner. The section at a phone's and a desk's width in both
// languages and the Home banner: screenshots, no overflow, axe-clean.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, checkPage, num, shot, staffSignIn, deskTimeAfter, useBrowserAndServer } from './harness.mjs';

const ctx = useBrowserAndServer();

test('an operator schedules a double check-in; a member sees it and is paid double; the operator ends it', async () => {
  const base = ctx.server.base;
  const report = [];
  const ops = await ctx.open(DESK, 'zh-CN');
  const member = await ctx.open(PHONE, 'zh-CN');
  try {
    const page = ops.page;
    await staffSignIn(page, base, 'ops');
    await page.goto(base + '/ops?s=campaigns');
    const section = page.locator('[data-testid=ops-campaigns]');
    await section.waitFor();
    assert.equal(await page.locator('[data-testid=ops-nav-campaigns]').getAttribute('aria-current'), 'page');
    const form = page.locator('[data-testid=campaign-form]');
    const result = form.locator('[data-testid=campaign-result]');

    // No Chinese name: refused before anything is sent, the field named by its label.
    await form.locator('[data-testid=campaign-name-en]').fill('Double check-in day');
    await form.locator('[data-testid=campaign-amount]').fill('200');
    await form.locator('[data-testid=campaign-budget]').fill('1000');
    await form.locator('[data-testid=campaign-starts]').fill(await deskTimeAfter(page, ctx.server.base, -60));
    await form.locator('[data-testid=campaign-ends]').fill(await deskTimeAfter(page, ctx.server.base, 86_400));
    await form.locator('[data-testid=campaign-create]').click();
    await form.locator('[data-testid=campaign-result].fail').waitFor();
    assert.equal(await result.textContent(), '请检查：名称（中文）');
    assert.equal(await page.locator('[data-testid=admin-campaign]').count(), 0);
    await checkPage(page, 'campaign refused', 'campaigns-01-refused-zh-1280', report);

    // ×2 on the check-in, everyone, 1,000 points, now → tomorrow.
    await form.locator('[data-testid=campaign-name-zh]').fill('双倍签到日');
    await form.locator('[data-testid=campaign-create]').click();
    await form.locator('[data-testid=campaign-result].ok', { hasText: '活动已创建' }).waitFor();
    const row = page.locator('[data-testid=admin-campaign]').first();
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'running');
    assert.match(await row.locator('.campaign-title').textContent(), /双倍签到日/);
    assert.equal(await row.locator('[data-testid=campaign-target]').textContent(), '签到奖励');
    assert.equal(await row.locator('[data-testid=campaign-boost]').textContent(), '×2');
    assert.equal(await row.locator('[data-testid=campaign-audience]').textContent(), '所有会员');
    assert.equal(await row.locator('[data-testid=campaign-state]').textContent(), '进行中');
    assert.equal(await row.locator('[data-testid=campaign-spent]').textContent(), '已用 0 / 1,000 积分');
    assert.equal(await form.locator('[data-testid=campaign-name-zh]').inputValue(), '', 'the form is empty again');
    await checkPage(page, 'campaign running', 'campaigns-02-running-zh-1280', report);

    // The member (Silver, not checked in today): the banner on Home, below everything else.
    const m = member.page;
    await m.goto(base + '/');
    await m.locator('[data-testid=demo-member]').nth(3).click();
    await m.locator('[data-testid=home-balance]').waitFor();
    const banner = m.locator('[data-testid=home-campaigns]');
    await banner.waitFor();
    const offer = banner.locator('[data-testid=home-campaign]');
    assert.equal(await offer.count(), 1);
    assert.match(await offer.textContent(), /签到双倍积分 · 至 \d+月\d+日 \d\d:\d\d/);
    assert.match(await offer.textContent(), /双倍签到日/);
    const order = await m.evaluate(() => {
      const b = document.querySelector('[data-testid=home-campaigns]').getBoundingClientRect().top;
      const grid = document.querySelector('.home .grid').getBoundingClientRect().bottom;
      return b >= grid;
    });
    assert.ok(order, 'the banner comes after the popular row');
    await banner.scrollIntoViewIfNeeded();
    await checkPage(m, 'home banner', 'campaigns-03-home-banner-zh-390', report);

    // Home's card promises the doubled reward (the rules' first step, ×2), then a check-in on Home.
    const card = m.locator('[data-testid=home-checkin]');
    const line = await card.locator('.row-sub').textContent();
    const normal = (await (await m.request.get(base + '/api/rules')).json()).checkin_ladder[0];
    assert.ok(normal > 0);
    assert.equal(Number(/今日签到可得 (\d+) 积分/.exec(line)?.[1]), normal * 2, line);
    const before = num(await m.locator('[data-testid=home-balance]').textContent());
    await card.locator('[data-testid=home-checkin-button]').click();
    const toast = m.locator('[data-testid=toast]');
    await toast.waitFor();
    const said = await toast.textContent();
    // An early bird's reward is already doubled by the rules; the campaign doubles that.
    const reward = /早鸟双倍/.test(said) ? normal * 2 : normal;
    assert.match(said, new RegExp(`^签到成功 \\+${reward * 2} 积分(（早鸟双倍）)?（含活动 \\+${reward}）$`), said);
    await m.waitForFunction(
      (b) => Number(document.querySelector('[data-testid=home-balance]').textContent.replace(/,/g, '')) === b,
      before + reward * 2,
    );
    await shot(m, 'campaigns-04-checked-in-zh-390');

    // The history lists the bonus as its own entry.
    await m.goto(base + '/history');
    const entry = m.locator('[data-testid=history-entry][data-kind=campaign]').first();
    await entry.waitFor();
    assert.match(await entry.textContent(), /活动奖励/);
    assert.equal(num(await entry.locator('[data-testid=entry-amount]').textContent()), reward);
    await checkPage(m, 'history with a campaign entry', 'campaigns-05-history-zh-390', report);

    // The operator sees what it spent.
    await page.locator('[data-testid=campaigns-refresh]').click();
    await row.locator('[data-testid=campaign-grants]', { hasText: '发放 1 次' }).waitFor();
    assert.equal(Number(await row.locator('[data-testid=campaign-spent]').getAttribute('data-spent')), reward);
    assert.ok(reward > 0);
    assert.equal(await row.locator('[data-testid=campaign-spent]').textContent(), `已用 ${reward} / 1,000 积分`);

    // The same section in English and at a phone's width, for the screenshots and checks.
    for (const [profile, locale, name] of [[PHONE, 'zh-CN', 'zh-390'], [PHONE, 'en-US', 'en-390'], [DESK, 'en-US', 'en-1280']]) {
      const other = await ctx.open(profile, locale);
      try {
        await staffSignIn(other.page, base, 'ops');
        await other.page.goto(base + '/ops?s=campaigns');
        await other.page.locator('[data-testid=admin-campaign]').first().waitFor();
        if (locale === 'en-US') {
          const r = other.page.locator('[data-testid=admin-campaign]').first();
          assert.equal(await r.locator('[data-testid=campaign-target]').textContent(), 'Check-in reward');
          assert.equal(await r.locator('[data-testid=campaign-state]').textContent(), 'Running');
          assert.equal(await r.locator('[data-testid=campaign-spent]').textContent(), `${reward} / 1,000 pts used`);
          // A refusal in English names the English label.
          const f = other.page.locator('[data-testid=campaign-form]');
          await f.locator('[data-testid=campaign-create]').click();
          await f.locator('[data-testid=campaign-result].fail', { hasText: 'Check: Name (Chinese), Name (English)' }).waitFor();
        }
        await checkPage(other.page, `section ${name}`, `campaigns-06-section-${name}`, report);
        assert.deepEqual(other.errors, []);
      } finally {
        await other.context.close();
      }
    }

    // Ending asks first, and can be called off.
    await row.locator('[data-testid=campaign-end]').click();
    assert.match(await row.locator('.confirm-box').textContent(), /结束「双倍签到日」？/);
    await row.getByRole('button', { name: '不结束' }).click();
    await row.locator('[data-testid=campaign-end]').click();
    await shot(page, 'campaigns-07-end-question-zh-1280');
    await row.locator('[data-testid=campaign-end-confirm]').click();
    await page.locator('[data-testid=campaign-list-result].ok', { hasText: '活动已结束' }).waitFor();
    await page.locator('[data-testid=admin-campaign][data-state=ended]').waitFor();
    assert.equal(await page.locator('[data-testid=campaign-end]').count(), 0);
    await checkPage(page, 'campaign ended', 'campaigns-08-ended-zh-1280', report);

    // Home shows no banner once none runs.
    await m.goto(base + '/');
    await m.locator('[data-testid=home-leaderboard]').waitFor();
    await m.waitForLoadState('networkidle');
    assert.equal(await m.locator('[data-testid=home-campaigns]').count(), 0);

    assert.deepEqual(report, []);
    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
  }
});
