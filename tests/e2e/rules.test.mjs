// Rules an operator changes at run time (issue 25), at a desk in /ops: the check-in
// ladder and the early birds changed, the changes reviewed before they are saved, a new
// version in force at once; a member's check-in page shows the new ladder and a check-in
// pays it. A change scheduled for later is listed as scheduled, and is in force once the
// (dev) clock passes its moment. Screenshots, axe and overflow checks of each state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, checkPage, num, staffSignIn, deskTimeAfter, useBrowserAndServer } from './harness.mjs';

const ctx = useBrowserAndServer();

test('an operator changes the check-in reward in /ops; a member sees it and is paid it', async () => {
  const base = ctx.server.base;
  const report = [];
  const ops = await ctx.open(DESK, 'zh-CN');
  const member = await ctx.open(PHONE, 'zh-CN');
  try {
    await staffSignIn(ops.page, base, 'ops');
    await ops.page.goto(base + '/ops?s=rules');
    const page = ops.page;
    const ladder = page.locator('[data-testid=rule-checkin_ladder]');
    await ladder.waitFor();
    assert.equal(await ladder.inputValue(), '5, 5, 10, 10, 15, 15, 30');
    assert.equal(await page.locator('[data-testid=rules-version][data-state=in_force]').getAttribute('data-version'), '1');
    await checkPage(page, 'rules form', 'rules-01-form-desk', report);

    await ladder.fill('8, 8, 8, 8, 8, 8, 8');
    await page.locator('[data-testid=rule-early_bird_count]').fill('0');
    // Without a reason, refused before anything is sent.
    await page.locator('[data-testid=rules-ask]').click();
    await page.locator('[data-testid=rules-result].fail').waitFor();
    // A number out of its bounds is named by its label.
    await page.locator('[data-testid=rule-makeup_cost]').fill('-1');
    await page.locator('[data-testid=rules-reason]').fill('双十二签到加码');
    await page.locator('[data-testid=rules-ask]').click();
    await page.locator('[data-testid=rules-result].fail', { hasText: '补签消耗积分' }).waitFor();
    await page.locator('[data-testid=rule-makeup_cost]').fill('20');

    // The review lists exactly what changes.
    await page.locator('[data-testid=rules-ask]').click();
    await page.locator('[data-testid=rules-review]').waitFor();
    const diff = page.locator('[data-testid=rules-diff]');
    assert.equal(await diff.count(), 2);
    assert.match(await diff.nth(0).textContent(), /5, 5, 10, 10, 15, 15, 30 → 8, 8, 8, 8, 8, 8, 8/);
    assert.match(await diff.nth(1).textContent(), /100 → 0/);
    await checkPage(page, 'rules review', 'rules-02-review-desk', report);
    await page.locator('[data-testid=rules-confirm]').click();
    await page.locator('[data-testid=rules-saved].ok', { hasText: '第 2 版' }).waitFor();
    await page.locator('[data-testid=rules-version][data-state=in_force][data-version="2"]').waitFor();
    await page.locator('[data-testid=rules-version][data-state=before][data-version="1"]').waitFor();
    assert.equal(await page.locator('[data-testid=rule-checkin_ladder]').inputValue(), '8, 8, 8, 8, 8, 8, 8');
    await checkPage(page, 'rules saved', 'rules-03-saved-desk', report);

    // The member (Silver, not checked in today): the new ladder, and a check-in pays +8.
    await member.page.goto(base + '/');
    await member.page.locator('[data-testid=demo-member]').nth(3).click();
    await member.page.locator('[data-testid=home-balance]').waitFor();
    await member.page.goto(base + '/checkin');
    await member.page.locator('[data-testid=checkin-button]').waitFor();
    const steps = await member.page.locator('.ladder-step .ladder-pts').allTextContents();
    assert.deepEqual(steps, Array(7).fill('+8'));
    assert.equal(await member.page.locator('.ladder-x2').count(), 0, 'no day is worth double any more');
    await checkPage(member.page, 'check-in with the new ladder', 'rules-04-checkin-phone', report);
    const before = num(await member.page.locator('[data-testid=balance]').textContent());
    await member.page.locator('[data-testid=checkin-button]').click();
    const toast = member.page.locator('[data-testid=toast]');
    await toast.waitFor();
    assert.match(await toast.textContent(), /\+8\b/);
    await member.page.waitForFunction(
      (b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b,
      before + 8,
    );

    // A change from a later moment: scheduled until the clock passes it.
    await page.locator('[data-testid=rule-checkin_ladder]').fill('9, 9, 9, 9, 9, 9, 9');
    await page.locator('[data-testid=rules-effective]').fill(await deskTimeAfter(page, ctx.server.base, 3600));
    await page.locator('[data-testid=rules-reason]').fill('明天起再加码');
    await page.locator('[data-testid=rules-ask]').click();
    await page.locator('[data-testid=rules-confirm]').click();
    await page.locator('[data-testid=rules-version][data-state=scheduled][data-version="3"]').waitFor();
    assert.equal(await page.locator('[data-testid=rules-version][data-state=in_force]').getAttribute('data-version'), '2');
    assert.equal(await page.locator('[data-testid=rule-checkin_ladder]').inputValue(), '8, 8, 8, 8, 8, 8, 8', 'the form shows what is in force');
    await checkPage(page, 'rules scheduled', 'rules-05-scheduled-desk', report);
    const moved = await page.request.post(base + '/api/dev/clock', { data: { seconds: 2 * 3600 } });
    assert.ok(moved.ok(), `dev clock: ${moved.status()}`);
    await page.reload();
    await page.locator('[data-testid=rules-version][data-state=in_force][data-version="3"]').waitFor();
    const rules = await (await member.page.request.get(base + '/api/rules')).json();
    assert.deepEqual(rules.checkin_ladder, [9, 9, 9, 9, 9, 9, 9]);

    assert.deepEqual(report, []);
    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
  }
});
