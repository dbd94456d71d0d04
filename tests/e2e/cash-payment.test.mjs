// The cash part of a price (积分+现金) through the host's own payment: a member redeems a
// voucher priced in points + cash, is sent to the host's pay page (the simulated host,
// scripts/host-pay-page.mjs, on a free port), pays, comes back to the order page and sees
// its code; a second order is cancelled while it awaits payment (the points back); a third
// lapses when the dev clock passes the payment window. In Chinese and in English, with
// axe and overflow checks and screenshots of each state.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { checkPage, freePort, launchPhone, staffSignIn, startServer } from './harness.mjs';

/** A voucher (a partner's cinema ticket): 2,990 points + ¥9.90. */
const VOUCHER = 21;
const SECRET = 'e2e-cash-payment-hook-secret';
/** Past the default payment window (15 minutes). */
const PAST_WINDOW = 16 * 60;

/** The simulated host pay page on `port`, confirming to the mall at `mall`. */
async function startHost(port, mall) {
  const proc = spawn('node', ['scripts/host-pay-page.mjs', String(port)], {
    env: { ...process.env, MALL_URL: mall, HOOK_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('host-sim pay page')) resolve(); });
    proc.once('exit', (code) => reject(new Error(`host page exited: ${code}`)));
  });
  proc.stdout.resume();
  return { stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

const ctx = { server: null, host: null, hostPort: 0, paidCodes: [] };
before(async () => {
  ctx.hostPort = await freePort();
  ctx.server = await startServer({ HOST_PAY_URL: `http://127.0.0.1:${ctx.hostPort}/pay`, HOOK_SECRET: SECRET });
  ctx.host = await startHost(ctx.hostPort, ctx.server.base);
  // The demo voucher is sold out: the operator restocks it.
  const login = await fetch(`${ctx.server.base}/api/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ops', password: 'ops-demo-2026' }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const restock = await fetch(`${ctx.server.base}/api/admin/items/${VOUCHER}/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'idempotency-key': 'e2e-cash-restock' },
    body: JSON.stringify({ delta: 20, reason: 'e2e: cash payment' }),
  });
  assert.equal(restock.status, 200, await restock.text());
});
after(async () => {
  await ctx.host?.stop();
  await ctx.server?.stop();
});

const WORDS = {
  zh: { awaiting: '待付款', paid: '已发放', cancelled: '已取消', lapsed: '已过期', back: /积分已退回/, left: /请在 \d{2}:\d{2} 内付款/ },
  en: { awaiting: 'Awaiting payment', paid: 'Issued', cancelled: 'Cancelled', lapsed: 'Lapsed', back: /pts returned/, left: /Pay within \d{2}:\d{2}/ },
};

async function balance(page) {
  return (await (await page.request.get(ctx.server.base + '/api/me')).json()).balance;
}

/** Opens the voucher, redeems one and follows the app to the host's pay page. */
async function redeemToHost(page, report, shots) {
  await page.goto(`${ctx.server.base}/items/${VOUCHER}`);
  await page.locator('[data-testid=redeem]').click();
  await page.locator('[data-testid=redeem-sheet]').waitFor();
  await page.locator('[data-testid=cash-note]').waitFor();
  if (shots) await checkPage(page, `${shots} sheet`, `${shots}-01-sheet`, report);
  await Promise.all([
    page.waitForURL((u) => u.port === String(ctx.hostPort) && u.pathname === '/pay'),
    page.locator('[data-testid=confirm-redeem]').click(),
  ]);
  await page.locator('[data-testid=host-amount]').waitFor();
  assert.match(await page.locator('[data-testid=host-amount]').textContent(), /¥9\.90 CNY/);
  const url = new URL(page.url());
  assert.match(url.searchParams.get('return_url'), new RegExp(`/orders/${url.searchParams.get('order_id')}$`));
  if (shots) {
    // Not the mall's page: its findings are the host's, kept out of the report.
    await checkPage(page, `${shots} host`, `${shots}-02-host-pay-page`, []);
  }
  return Number(url.searchParams.get('order_id'));
}

/** Waits for the order page of `id` to show `status`. */
async function orderShows(page, id, status) {
  await page.waitForURL((u) => u.pathname === `/orders/${id}`);
  await page.locator(`[data-testid=order-status][data-status=${status}]`).waitFor();
}

for (const [lang, locale, member] of [['zh', 'zh-CN', 1], ['en', 'en-US', 2]]) {
  test(`a cash part paid, cancelled and lapsed (${lang})`, async () => {
    const w = WORDS[lang];
    const phone = await launchPhone(locale);
    const { page } = phone;
    const report = [];
    try {
      await page.goto(ctx.server.base + '/');
      await page.locator('[data-testid=demo-member]').nth(member).click();
      await page.locator('[data-testid=home-balance]').waitFor();
      const start = await balance(page);

      // 1. Redeem, pay at the host, back to the order page: paid, the code shown.
      const paid = await redeemToHost(page, report, `${lang}-cash`);
      await Promise.all([orderShows(page, paid, 'fulfilled'), page.locator('[data-testid=host-pay]').click()]);
      await page.locator('[data-testid=order-code]').waitFor();
      const code = (await page.locator('[data-testid=order-code]').textContent()).trim();
      assert.match(code, /\S{6,}/);
      ctx.paidCodes.push(code);
      assert.equal((await page.locator('[data-testid=order-status] .status-pill').textContent()).trim(), w.paid);
      await page.locator('[data-testid=order-paid-at]').waitFor();
      await checkPage(page, `${lang} paid`, `${lang}-cash-03-order-paid`, report);
      assert.equal(await balance(page), start - 2_990);

      // 2. Another, back from the host without paying: it awaits payment, with the time left.
      const second = await redeemToHost(page, report, null);
      await Promise.all([orderShows(page, second, 'awaiting_payment'), page.locator('[data-testid=host-cancel]').click()]);
      assert.match(await page.locator('[data-testid=pay-left]').textContent(), w.left);
      assert.equal((await page.locator('[data-testid=order-status] .status-pill').textContent()).trim(), w.awaiting);
      await checkPage(page, `${lang} awaiting`, `${lang}-cash-04-order-awaiting`, report);
      assert.equal(await balance(page), start - 2 * 2_990, 'the points are held while it awaits');
      // Me lists it with "pay", which opens the order page.
      await page.goto(ctx.server.base + '/me');
      const row = page.locator('[data-testid=order]').filter({ has: page.locator('[data-testid=order-pay]') });
      await row.first().waitFor();
      assert.equal((await row.first().locator('.status-pill').textContent()).trim(), w.awaiting);
      await checkPage(page, `${lang} me awaiting`, `${lang}-cash-05-me-awaiting`, report);
      await row.first().locator('[data-testid=order-pay]').click();
      await orderShows(page, second, 'awaiting_payment');
      // Cancel, with a confirmation: the points come back.
      await page.locator('[data-testid=order-cancel]').click();
      await page.locator('[data-testid=order-cancel-ask]').waitFor();
      await checkPage(page, `${lang} cancel ask`, `${lang}-cash-06-cancel-ask`, report);
      await page.locator('[data-testid=order-cancel-confirm]').click();
      await page.locator('[data-testid=order-status][data-status=cancelled]').waitFor();
      assert.match(await page.locator('[data-testid=order-points-back]').textContent(), w.back);
      assert.equal((await page.locator('[data-testid=order-status] .status-pill').textContent()).trim(), w.cancelled);
      await checkPage(page, `${lang} cancelled`, `${lang}-cash-07-order-cancelled`, report);
      assert.equal(await balance(page), start - 2_990);

      // 3. A third lapses: the dev clock passes the payment window; the points come back.
      const third = await redeemToHost(page, report, null);
      await Promise.all([orderShows(page, third, 'awaiting_payment'), page.locator('[data-testid=host-cancel]').click()]);
      const moved = await page.request.post(ctx.server.base + '/api/dev/clock', { data: { seconds: PAST_WINDOW } });
      assert.ok(moved.ok(), `dev clock: ${moved.status()}`);
      await page.reload();
      await orderShows(page, third, 'lapsed');
      await page.locator('[data-testid=order-lapsed]').waitFor();
      assert.equal((await page.locator('[data-testid=order-status] .status-pill').textContent()).trim(), w.lapsed);
      assert.equal(await page.locator('[data-testid=order-pay]').count(), 0, 'nothing to pay any more');
      await checkPage(page, `${lang} lapsed`, `${lang}-cash-08-order-lapsed`, report);
      assert.equal(await balance(page), start - 2_990);
      await page.goto(ctx.server.base + '/me');
      await page.locator('[data-testid=order-lapsed]').first().waitFor();
      await checkPage(page, `${lang} me lapsed`, `${lang}-cash-09-me-lapsed`, report);

      // Another member's order is not found.
      await page.goto(`${ctx.server.base}/orders/999999`);
      await page.locator('[data-testid=error-state]').waitFor();

      assert.deepEqual(report, []);
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.close();
    }
  });
}

// The operator's side: the statistics show the cash the host collected, and a paid
// voucher's code voided by the shop shows its cash as a refund due (the points came back).
test('an operator sees the cash collected and the refund a void owes', async () => {
  assert.equal(ctx.paidCodes.length, 2, 'the two members paid');
  const phone = await launchPhone('zh-CN');
  const { page } = phone;
  const report = [];
  try {
    await staffSignIn(page, ctx.server.base, 'ops');
    await page.goto(ctx.server.base + '/ops?s=stats');
    await page.locator('[data-testid=stats-cash]').waitFor();
    assert.equal((await page.locator('[data-testid=stats-cash]').textContent()).trim(), '¥19.80');
    assert.equal((await page.locator('[data-testid=stats-cash-refund-due]').textContent()).trim(), '¥0.00');
    await checkPage(page, 'stats with cash', 'zh-cash-10-ops-stats', report);

    await page.goto(ctx.server.base + '/ops?s=codes');
    await page.locator('[data-testid=code-lookup]').fill(ctx.paidCodes[0]);
    await page.locator('[data-testid=code-lookup-submit]').click();
    await page.locator('[data-testid=code-card][data-status=issued]').waitFor();
    await page.locator('[data-testid=code-void-reason-input]').fill('会员要求退款');
    await page.locator('[data-testid=code-void]').click();
    await page.locator('[data-testid=code-card][data-status=void]').waitFor();

    await page.goto(ctx.server.base + '/ops?s=stats');
    await page.locator('[data-testid=stats-cash-refund-due]', { hasText: '¥9.90' }).waitFor();
    await page.goto(ctx.server.base + '/ops?s=orders');
    const due = page.locator('[data-testid=queued-order]').filter({ has: page.locator('[data-testid=queued-cash-refund-due]') });
    await due.first().waitFor();
    assert.equal((await due.first().locator('[data-testid=queued-cash-refund-due]').textContent()).trim(), '¥9.90');
    assert.match(await due.first().locator('[data-testid=queued-cash-paid]').textContent(), /¥9\.90 · \S+/);
    await checkPage(page, 'orders with a refund due', 'zh-cash-11-ops-refund-due', report);
    // The lapsed orders (one per member) under their own tab.
    await page.locator('[data-testid=orders-tab-lapsed]').click();
    await page.locator('[data-testid=queued-order][data-state=lapsed]').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=queued-order]')].every((o) => o.dataset.state === 'lapsed'));
    assert.equal(await page.locator('[data-testid=queued-order]').count(), 2);
    assert.deepEqual(report, []);
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.close();
  }
});
