// Staff sign in as people: an operator freezes a member (who then cannot redeem, and is
// told why) and unfreezes them; a merchant verifies its own code and is told when a code
// is another merchant's; every staff page at a phone's and a desk's width in both
// languages, with screenshots and axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, useBrowserAndServer, demoLogin, shot, staffSignIn, checkPage } from './harness.mjs';

const ctx = useBrowserAndServer();
const open = (profile, locale) => ctx.open(profile, locale);

/** The demo staff accounts. */
async function demoStaff() {
  const res = await fetch(`${ctx.server.base}/api/demo/staff`);
  assert.equal(res.status, 200);
  return res.json();
}

/** Signs in at /staff by tapping a demo account (which fills the form) and submitting. */
const signIn = (page, username) => staffSignIn(page, ctx.server.base, username);

/** A staff session cookie header for API calls, by the same sign-in. */
async function staffCookie(account) {
  const res = await fetch(`${ctx.server.base}/api/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  assert.equal(res.status, 200);
  return res.headers.get('set-cookie').split(';')[0];
}

test('an operator freezes a member, who cannot redeem and is told why, then unfreezes them', async () => {
  const staff = await demoStaff();
  const operator = staff.find((a) => a.role === 'operator');
  const ops = await open(PHONE, 'zh-CN');
  const member = await open(PHONE, 'zh-CN');
  try {
    // Wrong password: said in the page's language.
    await ops.page.goto(ctx.server.base + '/staff');
    await ops.page.locator('[data-testid=staff-username]').fill(operator.username);
    await ops.page.locator('[data-testid=staff-password]').fill('not-the-password');
    await ops.page.locator('[data-testid=staff-submit]').click();
    assert.equal(await ops.page.locator('[data-testid=staff-error]').textContent(), '用户名或密码不正确');
    // No member tab bar on staff pages.
    assert.equal(await ops.page.locator('.tab-bar').count(), 0);

    await signIn(ops.page, operator.username);
    await ops.page.waitForURL(/\/ops/);
    assert.match(await ops.page.locator('[data-testid=staff-bar]').textContent(), /运营/);
    assert.equal(await ops.page.locator('.tab-bar').count(), 0);

    // The member (another browser) signs in; the operator finds them.
    await demoLogin(member.page, ctx.server.base, 1);
    const me = await (await member.page.request.get(ctx.server.base + '/api/me')).json();
    await ops.page.locator('[data-testid=member-search]').fill(me.name.zh);
    await ops.page.locator('[data-testid=member-search-go]').click();
    await ops.page.locator('[data-testid=member-row]', { hasText: `#${me.id}` }).click();
    const detail = ops.page.locator('[data-testid=member-detail]');
    await detail.locator('[data-testid=member-balance]').waitFor();

    // A freeze needs a reason.
    await detail.locator('[data-testid=freeze]').click();
    assert.equal(await detail.locator('[data-testid=freeze-result]').textContent(), '请填写原因');
    const reason = '异常兑换核查中';
    await detail.locator('[data-testid=freeze-reason]').fill(reason);
    await detail.locator('[data-testid=freeze]').click();
    await detail.locator('[data-testid=member-frozen]', { hasText: reason }).waitFor();
    await ops.page.locator('[data-testid=member-row]', { hasText: `#${me.id}` }).locator('.frozen-pill').waitFor();
    await shot(ops.page, 'staff-zh-390-ops-frozen');

    // The member's redeem is refused, with the reason.
    await member.page.goto(ctx.server.base + '/items/1');
    await member.page.locator('[data-testid=redeem]').click();
    await member.page.locator('[data-testid=confirm-redeem]').click();
    const failure = member.page.locator('[data-testid=redeem-failure]');
    await failure.waitFor();
    assert.match(await failure.textContent(), new RegExp(`账户已冻结：${reason}`));
    await shot(member.page, 'staff-zh-390-member-frozen');

    // Unfrozen: the same redeem works.
    await detail.locator('[data-testid=unfreeze]').click();
    await detail.locator('[data-testid=freeze]').waitFor();
    assert.equal(await detail.locator('[data-testid=member-frozen]').count(), 0);
    await member.page.goto(ctx.server.base + '/items/1');
    await member.page.locator('[data-testid=redeem]').click();
    await member.page.locator('[data-testid=confirm-redeem]').click();
    await member.page.locator('[data-testid=redeem-success]').waitFor();

    // A point adjustment with a reason, and both changes in the audit log.
    await detail.locator('[data-testid=ops-amount]').fill('+120');
    await detail.locator('[data-testid=ops-reason]').fill('客服补偿');
    await detail.locator('[data-testid=ops-adjust]').click();
    await detail.locator('[data-testid=ops-result].ok').waitFor();
    await ops.page.locator('[data-testid=ops-nav-audit]').click();
    await ops.page.locator('[data-testid=audit-entry]').first().waitFor();
    const log = await ops.page.locator('[data-testid=audit-log]').textContent();
    assert.match(log, /member\.freeze/);
    assert.match(log, /member\.unfreeze/);

    // Signed out: back to the sign-in page, and /ops sends there too.
    await ops.page.locator('[data-testid=staff-sign-out]').click();
    await ops.page.locator('[data-testid=staff-form]').waitFor();
    await ops.page.goto(ctx.server.base + '/ops');
    await ops.page.waitForURL(/\/staff$/);
    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
  }
});

test('a merchant verifies its own code and is told when a code is another merchant\'s', async () => {
  const staff = await demoStaff();
  const operator = staff.find((a) => a.role === 'operator');
  const merchants = staff.filter((a) => a.role === 'merchant');
  const mine = merchants[0];
  const theirs = merchants.find((m) => m.merchant.id !== mine.merchant.id);
  assert.ok(theirs, 'the demo has merchant accounts of two merchants');

  // The operator opens a sale for each merchant; a member grabs one code of each.
  const cookie = await staffCookie(operator);
  const time = await (await fetch(`${ctx.server.base}/api/time`)).json();
  const startsAt = Math.floor(time.epoch_ms / 1000) + 2;
  const sale = async (merchant, key) => {
    const res = await fetch(`${ctx.server.base}/api/admin/sales`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        offer_key: key, offer: { zh: `测试券 ${key}`, en: `Test ${key}` }, merchant_id: merchant.id,
        image: '/img/items/luckin-voucher.svg', points: 10, quantity: 5, starts_at: startsAt, ends_at: startsAt + 600,
      }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    return JSON.parse(text);
  };
  const ownSale = await sale(mine.merchant, 'e2e-own');
  const otherSale = await sale(theirs.merchant, 'e2e-other');
  await new Promise((r) => setTimeout(r, 2500));
  const login = await fetch(`${ctx.server.base}/api/session/demo`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member_id: 1 }),
  });
  const memberCookie = login.headers.get('set-cookie').split(';')[0];
  const grab = async (id) => {
    const res = await fetch(`${ctx.server.base}/api/sales/${id}/grab`, {
      method: 'POST', headers: { cookie: memberCookie, 'idempotency-key': `e2e-grab-${id}` },
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    return JSON.parse(text).code.code;
  };
  const ownCode = await grab(ownSale);
  const otherCode = await grab(otherSale);

  for (const locale of ['zh-CN', 'en-US']) {
    const { context, page, errors } = await open(PHONE, locale);
    try {
      await signIn(page, mine.username);
      await page.waitForURL(/\/merchant$/);
      const name = locale === 'zh-CN' ? mine.merchant.name.zh : mine.merchant.name.en;
      assert.equal(await page.locator('[data-testid=staff-merchant]').textContent(), name);
      const result = page.locator('[data-testid=verify-result]');
      if (locale === 'zh-CN') {
        await page.locator('[data-testid=merchant-code]').fill(ownCode);
        await page.locator('[data-testid=merchant-verify]').click();
        await page.locator('[data-testid=verify-result].ok').waitFor();
        assert.match(await result.textContent(), /核销成功/);
      }
      await page.locator('[data-testid=merchant-code]').fill(otherCode);
      await page.locator('[data-testid=merchant-verify]').click();
      await page.locator('[data-testid=verify-result].fail').waitFor();
      const expected = locale === 'zh-CN' ? '这是其他商户的兑换码' : 'This code belongs to another merchant';
      assert.match(await result.textContent(), new RegExp(expected));
      await shot(page, `staff-${locale.slice(0, 2)}-390-merchant-other-code`);
      // An operator page is not for a merchant: it goes back to its own.
      await page.goto(ctx.server.base + '/ops');
      await page.waitForURL(/\/merchant$/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

for (const locale of ['zh-CN', 'en-US']) {
  test(`staff pages at 390 and 1280 px in ${locale}: screenshots, no overflow, axe-clean`, async () => {
    const staff = await demoStaff();
    const operator = staff.find((a) => a.role === 'operator');
    const merchant = staff.find((a) => a.role === 'merchant');
    const lang = locale.slice(0, 2);
    const report = [];
    for (const [profile, width] of [[PHONE, 390], [DESK, 1280]]) {
      const { context, page, errors } = await open(profile, locale);
      const check = (name) => checkPage(page, `${width} ${name}`, `staff-${lang}-${width}-${name}`, report);
      try {
        await page.goto(ctx.server.base + '/staff');
        await page.locator('[data-testid=demo-staff]').first().waitFor();
        await check('sign-in');
        // A refusal on the form, as it looks.
        await page.locator('[data-testid=staff-submit]').click();
        await page.locator('[data-testid=staff-error]').waitFor();
        await check('sign-in-error');

        await signIn(page, operator.username);
        await page.locator('[data-testid=member-search]').fill(lang === 'zh' ? '王' : 'a');
        await page.locator('[data-testid=member-search-go]').click();
        await page.locator('[data-testid=member-results], .ops-empty').first().waitFor();
        const rows = page.locator('[data-testid=member-row]');
        if (await rows.count()) {
          await rows.first().click();
          await page.locator('[data-testid=member-balance]').waitFor();
        }
        await check('ops-members');
        for (const section of ['sales', 'orders', 'audit']) {
          await page.locator(`[data-testid=ops-nav-${section}]`).click();
          await page.waitForURL(new RegExp(`s=${section}`));
          await check(`ops-${section}`);
        }
        if (width === 1280) {
          // The back office uses the width: navigation beside two columns.
          await page.locator('[data-testid=ops-nav-members]').click();
          const nav = await page.locator('.ops-nav').boundingBox();
          const main = await page.locator('.ops-main').boundingBox();
          assert.ok(main.x > nav.x + nav.width, 'navigation beside the content');
          assert.ok(main.width > 900, `content ${main.width} px wide`);
        }
        await page.locator('[data-testid=staff-sign-out]').click();
        await page.locator('[data-testid=staff-form]').waitFor();

        await signIn(page, merchant.username);
        await page.locator('[data-testid=merchant-code]').waitFor();
        await check('merchant');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(report, [], report.join('\n'));
  });
}
