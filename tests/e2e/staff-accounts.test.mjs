// Staff accounts in the back office: the operator creates a merchant account (refusals in
// words: a short password, a taken username), the new account signs in in another
// browser and changes its own password (a wrong current password is said); the
// operator disables it, and the merchant's next request is refused (401) and its
// sign-in fails; enabled again with a password the operator sets, it signs in. The staff
// section and the password form at a phone's and a desk's width in both languages:
// screenshots, no overflow, axe-clean.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, useBrowserAndServer, shot, staffSignIn, checkPage } from './harness.mjs';

const ctx = useBrowserAndServer();
const open = (profile, locale) => ctx.open(profile, locale);

/** `POST /api/staff/session` with a username and password: the status. */
async function signInStatus(username, password) {
  const res = await fetch(`${ctx.server.base}/api/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return res.status;
}

/** Signs in through the form at /staff with a typed username and password. */
async function typeSignIn(page, username, password) {
  await page.goto(ctx.server.base + '/staff');
  await page.locator('[data-testid=staff-username]').fill(username);
  await page.locator('[data-testid=staff-password]').fill(password);
  await page.locator('[data-testid=staff-submit]').click();
}

/** The operator's staff section, signed in as the demo operator. */
async function openStaffSection(page) {
  await staffSignIn(page, ctx.server.base, 'ops');
  await page.locator('[data-testid=ops-nav-staff]').click();
  await page.waitForURL(/s=staff/);
  await page.locator('[data-testid=staff-rows]').waitFor();
}

/** The first partner merchant in the picker, once the merchants arrived. */
async function pickFirstMerchant(select) {
  await select.locator('option').nth(1).waitFor({ state: 'attached' });
  await select.selectOption({ index: 1 });
  return (await select.locator('option').nth(1).textContent()).trim();
}

test('an operator creates a merchant account, which signs in and changes its password; disabled, it is refused', async () => {
  const ops = await open(PHONE, 'zh-CN');
  const merchant = await open(PHONE, 'zh-CN');
  const username = 'cafe-e2e';
  const first = 'first-pass-2026';
  const second = 'second-pass-2026';
  try {
    await openStaffSection(ops.page);
    // The operator's own row is marked, and its own account cannot be disabled here.
    const own = ops.page.locator('[data-testid=staff-row][data-username=ops]');
    assert.match(await own.textContent(), /（你）/);
    await own.click();
    await ops.page.locator('[data-testid=staff-own-note]').waitFor();
    assert.equal(await ops.page.locator('[data-testid=staff-disable]').count(), 0);

    // A new merchant account: refusals first, in words.
    await ops.page.locator('[data-testid=staff-new]').click();
    const form = ops.page.locator('[data-testid=staff-create-form]');
    const result = form.locator('[data-testid=staff-create-result]');
    await form.locator('[data-testid=staff-new-username]').fill(username);
    await form.locator('[data-testid=staff-new-name]').fill('咖啡店店员');
    await form.locator('[data-testid=staff-new-password]').fill('short');
    await form.locator('[data-testid=staff-create]').click();
    assert.equal(await result.textContent(), '密码至少需要 10 个字符');
    await form.locator('[data-testid=staff-new-password]').fill(first);
    await form.locator('[data-testid=staff-create]').click();
    assert.equal(await result.textContent(), '请选择商户');
    const merchantName = await pickFirstMerchant(form.locator('[data-testid=staff-new-merchant]'));
    // A username already in use (a demo merchant's): 409, said in words.
    await form.locator('[data-testid=staff-new-username]').fill('luckin');
    await form.locator('[data-testid=staff-create]').click();
    await form.locator('[data-testid=staff-create-result].fail', { hasText: '这个用户名已被使用' }).waitFor();
    await form.locator('[data-testid=staff-new-username]').fill(username);
    await form.locator('[data-testid=staff-create]').click();
    await form.locator('[data-testid=staff-create-result].ok').waitFor();
    assert.equal(await result.textContent(), `已创建账号 ${username}`);
    const row = ops.page.locator(`[data-testid=staff-row][data-username="${username}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(merchantName));
    await shot(ops.page, 'staff-accounts-zh-390-created');

    // The new account signs in in another browser, as its merchant.
    await typeSignIn(merchant.page, username, first);
    await merchant.page.waitForURL(/\/merchant$/);
    assert.equal(await merchant.page.locator('[data-testid=staff-merchant]').textContent(), merchantName);
    assert.equal(await merchant.page.locator('[data-testid=staff-name]').textContent(), '咖啡店店员');

    // It changes its own password: a wrong current one is said, then the change works.
    await merchant.page.locator('[data-testid=staff-my-password]').click();
    const ownForm = merchant.page.locator('[data-testid=own-password-form]');
    const ownResult = ownForm.locator('[data-testid=own-password-result]');
    await ownForm.locator('[data-testid=own-current-password]').fill('not-my-password');
    await ownForm.locator('[data-testid=own-new-password]').fill(second);
    await ownForm.locator('[data-testid=own-repeat-password]').fill(second + 'x');
    await ownForm.locator('[data-testid=own-password-save]').click();
    assert.equal(await ownResult.textContent(), '两次输入的新密码不一致');
    await ownForm.locator('[data-testid=own-repeat-password]').fill(second);
    await ownForm.locator('[data-testid=own-password-save]').click();
    await ownForm.locator('[data-testid=own-password-result].fail', { hasText: '当前密码不正确' }).waitFor();
    await ownForm.locator('[data-testid=own-current-password]').fill(first);
    await ownForm.locator('[data-testid=own-password-save]').click();
    await ownForm.locator('[data-testid=own-password-result].ok').waitFor();
    assert.match(await ownResult.textContent(), /密码已修改/);
    await shot(merchant.page, 'staff-accounts-zh-390-own-password');
    // This browser keeps its (fresh) session; the old password no longer signs in.
    await merchant.page.reload();
    await merchant.page.locator('[data-testid=staff-bar]').waitFor();
    assert.equal((await merchant.page.request.get(ctx.server.base + '/api/staff/me')).status(), 200);
    assert.equal(await signInStatus(username, first), 401);

    // The operator disables it: its next request is refused, and it cannot sign in.
    await row.click();
    const detail = ops.page.locator('[data-testid=staff-detail]');
    await detail.waitFor();
    assert.match(await detail.textContent(), new RegExp(username));
    await ops.page.locator('[data-testid=staff-disable]').click();
    await ops.page.locator('[data-testid=staff-state-result].ok').waitFor();
    await row.locator('[data-testid=staff-disabled]').waitFor();
    await ops.page.locator('[data-testid=staff-enable]').waitFor();
    await shot(ops.page, 'staff-accounts-zh-390-disabled');

    assert.equal((await merchant.page.request.get(ctx.server.base + '/api/staff/me')).status(), 401);
    // The merchant routes refuse a request without a live merchant session (403 there).
    assert.ok([401, 403].includes((await merchant.page.request.get(ctx.server.base + '/api/merchant/codes')).status()));
    await merchant.page.goto(ctx.server.base + '/merchant');
    await merchant.page.waitForURL(/\/staff$/);
    await typeSignIn(merchant.page, username, second);
    await merchant.page.locator('[data-testid=staff-error]').waitFor();
    assert.match(merchant.page.url(), /\/staff$/);
    assert.notEqual(await signInStatus(username, second), 200);

    // Enabled again with a password the operator sets (a forgotten one): it signs in with that.
    await ops.page.locator('[data-testid=staff-enable]').click();
    await ops.page.locator('[data-testid=staff-state-result].ok').waitFor();
    await ops.page.locator('[data-testid=staff-disable]').waitFor();
    const reset = ops.page.locator('[data-testid=staff-password-form]');
    await reset.locator('[data-testid=staff-set-password]').fill('third-pass-2026');
    await reset.locator('[data-testid=staff-password-save]').click();
    await reset.locator('[data-testid=staff-password-result].ok').waitFor();
    assert.equal(await signInStatus(username, second), 401);
    assert.equal(await signInStatus(username, 'third-pass-2026'), 200);

    // Every change is in the audit log (written by the server).
    await ops.page.locator('[data-testid=ops-nav-audit]').click();
    await ops.page.locator('[data-testid=audit-entry]').first().waitFor();
    assert.match(await ops.page.locator('[data-testid=audit-log]').textContent(), /staff/);
    assert.deepEqual(ops.errors, []);
    assert.deepEqual(merchant.errors, []);
  } finally {
    await ops.context.close();
    await merchant.context.close();
  }
});

for (const locale of ['zh-CN', 'en-US']) {
  test(`the staff section at 390 and 1280 px in ${locale}: screenshots, no overflow, axe-clean`, async () => {
    const lang = locale.slice(0, 2);
    const report = [];
    for (const [profile, width] of [[PHONE, 390], [DESK, 1280]]) {
      const { context, page, errors } = await open(profile, locale);
      const check = (name) => checkPage(page, `${width} ${name}`, `staff-accounts-${lang}-${width}-${name}`, report);
      try {
        await openStaffSection(page);
        await check('list');
        // A refusal on the form, as it looks.
        await page.locator('[data-testid=staff-create]').click();
        await page.locator('[data-testid=staff-create-result].fail').waitFor();
        await check('create-error');
        // A demo merchant account: its panel.
        await page.locator('[data-testid=staff-row][data-username=luckin]').click();
        await page.locator('[data-testid=staff-detail]').waitFor();
        await check('account');
        // The operator's own password form, open.
        await page.locator('[data-testid=staff-my-password]').click();
        await page.locator('[data-testid=own-password-form]').waitFor();
        await page.locator('[data-testid=own-password-save]').click();
        await page.locator('[data-testid=own-password-result].fail').waitFor();
        await check('own-password');
        if (lang === 'en') {
          assert.equal(await page.locator('[data-testid=own-password-result]').textContent(), 'Enter your password');
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(report, [], report.join('\n'));
  });
}
