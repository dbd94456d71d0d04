// From an empty database to the first sale, as a shop goes live: the real server in
// production configuration (no demo login, no demo data, the shop's own secrets) on an
// empty SQLite file; the first operator made with the command line; then, through the
// back office only, a category, a partner merchant with an account, an item with an
// uploaded image and a flash sale opening within the minute; a member logged in by the
// host's signed ticket redeems the item and grabs a code; the merchant verifies the code
// and finds it in its settlement.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DESK, PHONE, SERVER, checkPage, useBrowserAndServer } from './harness.mjs';

// The shop's own secrets, made for this run (a secret written in the repository would be
// refused by a production start).
const TICKET_SECRET = randomBytes(24).toString('hex');
const PRODUCTION = {
  DEMO_LOGIN: 'false',
  DEV_CLOCK: 'false',
  TICKET_SECRET,
  HOOK_SECRET: randomBytes(24).toString('hex'),
  RUST_LOG: 'error',
};
const ctx = useBrowserAndServer(PRODUCTION);

// A 1×1 PNG: the item's image, uploaded through the form.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** `mall-api staff …` against the server's database, the password on standard input. */
function staffCommand(args, password) {
  return execFileSync(SERVER, ['staff', ...args], {
    env: { ...process.env, DATABASE_URL: ctx.server.databaseUrl, RUST_LOG: 'error' },
    input: password ? `${password}\n` : undefined,
    encoding: 'utf8',
  });
}

/** Signs a staff account in at /staff with its username and password. */
async function signIn(page, username, password) {
  await page.goto(ctx.server.base + '/staff');
  await page.locator('[data-testid=staff-username]').fill(username);
  await page.locator('[data-testid=staff-password]').fill(password);
  await page.locator('[data-testid=staff-submit]').click();
  await page.locator('[data-testid=staff-bar]').waitFor();
}

/** The host's login link for a member: `?member_id=&expires_at=&signature=` (HMAC-SHA256). */
function hostLink(memberId) {
  const expiresAt = Math.floor(Date.now() / 1000) + 300;
  const signature = createHmac('sha256', TICKET_SECRET).update(`${memberId}.${expiresAt}`).digest('hex');
  return `${ctx.server.base}/?member_id=${memberId}&expires_at=${expiresAt}&signature=${signature}`;
}

/** `HH:MM` in the shop's zone, `seconds` from now, and the shop's date then. */
function shopTime(seconds) {
  const at = new Date(Date.now() + seconds * 1000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

test('from an empty production database to the first sale, through the back office only', { timeout: 240_000 }, async () => {
  // Empty: nothing to buy, nobody to sign in.
  const items = await (await fetch(ctx.server.base + '/api/items')).json();
  assert.deepEqual(items.items, [], 'a production database starts without the demo catalogue');
  assert.equal((await fetch(ctx.server.base + '/api/demo/staff')).status, 404);

  // 1. The first operator, made with the command line.
  const bossPassword = randomBytes(12).toString('hex');
  staffCommand(['add', '--username', 'boss', '--role', 'operator', '--name', '店长'], bossPassword);
  assert.match(staffCommand(['list']), /boss/);

  const ops = await ctx.open(DESK, 'zh-CN');
  const member = await ctx.open(PHONE, 'zh-CN');
  const merchant = await ctx.open(DESK, 'zh-CN');
  try {
    await signIn(ops.page, 'boss', bossPassword);
    const page = ops.page;

    // 2. Items need a category first: the item form says so and links to it.
    await page.goto(ctx.server.base + '/ops?s=items');
    await page.locator('[data-testid=item-need-category-first]').waitFor();
    await page.locator('[data-testid=item-need-category-first] a').click();
    await page.locator('[data-testid=category-create-form]').waitFor();
    await checkPage(page, 'categories, empty', 'from-empty-categories-desk');
    // Checked before sending: a slug with capitals and spaces.
    await page.locator('[data-testid=category-slug]').fill('Gift Cards');
    await page.locator('[data-testid=category-zh]').fill('礼品卡');
    await page.locator('[data-testid=category-en]').fill('Gift cards');
    await page.locator('[data-testid=category-create]').click();
    await page.locator('[data-testid=category-create-result].fail').waitFor();
    await page.locator('[data-testid=category-slug]').fill('gift-cards');
    await page.locator('[data-testid=category-create]').click();
    await page.locator('[data-testid=category-create-result].ok').waitFor();
    await page.locator('[data-testid=category-row][data-slug=gift-cards]').waitFor();

    // 3. A partner merchant, and its account made from its page.
    await page.locator('[data-testid=ops-nav-merchants]').click();
    await page.locator('[data-testid=merchant-form]').waitFor();
    await page.locator('[data-testid=merchant-slug]').fill('heytea');
    await page.locator('[data-testid=merchant-name-zh]').fill('喜茶');
    await page.locator('[data-testid=merchant-name-en]').fill('Heytea');
    await page.locator('[data-testid=merchant-address-zh]').fill('人民路 1 号');
    await page.locator('[data-testid=merchant-address-en]').fill('1 Renmin Road');
    await page.locator('[data-testid=merchant-settlement]').fill('3.50');
    // Its logo is needed (its sales show it): said before anything is sent.
    await page.locator('[data-testid=merchant-save]').click();
    assert.match(await page.locator('[data-testid=merchant-result].fail').textContent(), /标志/);
    await page.locator('[data-testid=merchant-logo-upload]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-testid=merchant-logo-upload-result].ok').waitFor();
    await page.locator('[data-testid=merchant-save]').click();
    await page.locator('[data-testid=merchant-result].ok').waitFor();
    await page.locator('[data-testid=merchant-row][data-slug=heytea]').waitFor();
    const cafePassword = randomBytes(12).toString('hex');
    const accounts = page.locator('[data-testid=staff-create-form]');
    await accounts.locator('[data-testid=staff-new-username]').fill('heytea-01');
    await accounts.locator('[data-testid=staff-new-name]').fill('喜茶前台');
    await accounts.locator('[data-testid=staff-new-password]').fill(cafePassword);
    await accounts.locator('[data-testid=staff-create]').click();
    await page.locator('[data-testid=merchant-account]', { hasText: 'heytea-01' }).waitFor();
    await checkPage(page, 'merchants', 'from-empty-merchant-desk');

    // 4. An item with an uploaded image: a voucher the merchant honours.
    await page.locator('[data-testid=ops-nav-items]').click();
    const form = page.locator('[data-testid=item-form]');
    await form.waitFor();
    await form.locator('[data-testid=item-category]').selectOption('gift-cards');
    await form.locator('[data-testid=item-kind]').selectOption('virtual');
    await form.locator('[data-testid=item-name-zh]').fill('喜茶 10 元券');
    await form.locator('[data-testid=item-name-en]').fill('Heytea ¥10 voucher');
    await form.locator('[data-testid=item-desc-zh]').fill('到店出示券码');
    await form.locator('[data-testid=item-desc-en]').fill('Show the code in store');
    await form.locator('[data-testid=item-points]').fill('200');
    await form.locator('[data-testid=item-stock]').fill('20');
    await form.locator('[data-testid=item-merchant]').selectOption({ label: '喜茶' });
    await form.locator('[data-testid=item-upload]').setInputFiles({ name: 'voucher.png', mimeType: 'image/png', buffer: PNG });
    await form.locator('[data-testid=item-upload-result].ok').waitFor();
    await form.locator('[data-testid=item-save]').click();
    await page.locator('[data-testid=item-result].ok').waitFor();

    // 5. A flash sale of the merchant's codes, opening at the next minute (the form's
    // slots are minutes of shop time; at least 20 s away so the schedule is in the future).
    const opening = shopTime(Date.now() % 60_000 > 40_000 ? 80 : 60);
    await page.locator('[data-testid=ops-nav-sales]').click();
    const sale = page.locator('[data-testid=ops-sales]');
    await sale.locator('[data-testid=sale-offer-zh]').fill('喜茶买一送一');
    await sale.locator('[data-testid=sale-offer-en]').fill('Heytea two for one');
    await sale.locator('[data-testid=sale-merchant]').selectOption({ label: '喜茶' });
    await sale.locator('[data-testid=sale-points]').fill('100');
    await sale.locator('[data-testid=sale-quantity]').fill('5');
    await sale.locator('[data-testid=sale-day]').fill(opening.day);
    await sale.locator('[data-testid=sale-other-slot]').fill(opening.time);
    await sale.locator('[data-testid=sale-minutes]').fill('30');
    await sale.locator('[data-testid=sale-schedule]').click();
    await sale.locator('[data-testid=sale-result].ok').waitFor();

    // 6. A member, logged in by the host's ticket (the register bonus is 500 points).
    await member.page.goto(hostLink(880001));
    await member.page.locator('.balance-card').waitFor();
    await member.page.goto(ctx.server.base + '/catalog');
    await member.page.locator('[data-testid=item-card]', { hasText: '喜茶 10 元券' }).click();
    await member.page.locator('[data-testid=redeem]').click();
    await member.page.locator('[data-testid=confirm-redeem]').click();
    await member.page.locator('[data-testid=redeem-success]').waitFor();
    const voucher = (await member.page.locator('[data-testid=order-code]').textContent()).trim();
    assert.match(voucher, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // 7. The sale opens; the member grabs a code.
    await member.page.goto(ctx.server.base + '/sales');
    const card = member.page.locator('[data-testid=sale-card]', { hasText: '喜茶买一送一' });
    await card.waitFor();
    await member.page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid=sale-card]')].some((c) => c.textContent.includes('喜茶买一送一') && c.querySelector('[data-testid=sale-button]:not([disabled])')?.textContent.includes('抢')),
      null,
      { timeout: 120_000 },
    );
    await card.locator('[data-testid=sale-button]').click();
    await member.page.waitForFunction(() => document.querySelector('[data-testid=sale-card] [data-testid=sale-button]')?.textContent.includes('已抢到'));
    await member.page.goto(ctx.server.base + '/wallet');
    const ticket = member.page.locator('[data-testid=ticket]', { hasText: '喜茶买一送一' });
    await ticket.waitFor();
    const grabbed = (await ticket.locator('[data-testid=ticket-code]').textContent()).trim();

    // 8. The merchant signs in, verifies the grabbed code and finds it in its settlement.
    await signIn(merchant.page, 'heytea-01', cafePassword);
    await merchant.page.locator('[data-testid=merchant-code]').fill(grabbed);
    await merchant.page.locator('[data-testid=merchant-verify]').click();
    await merchant.page.locator('[data-testid=verify-result]').waitFor();
    assert.match(await merchant.page.locator('[data-testid=verify-result]').textContent(), /喜茶买一送一/);
    await merchant.page.reload();
    await merchant.page.locator('[data-testid=settlement-table]').waitFor();
    assert.equal((await merchant.page.locator('[data-testid=settlement-verified]').textContent()).trim(), '1');
    assert.match(await merchant.page.locator('[data-testid=settlement-amount]').textContent(), /3\.50/);
    await checkPage(merchant.page, 'settlement', 'from-empty-settlement-desk');

    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
    assert.deepEqual(merchant.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
    await merchant.context.close();
  }
});
