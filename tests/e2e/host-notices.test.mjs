// Notices that reach members outside the app (issue 26): the mall posts signed webhooks
// to the host (the simulated receiver, scripts/host-webhooks.mjs, failing its first
// delivery). A member's reminder says the host will tell them; an operator's credit is
// a "points arrived" notice, pending after the host's 503 with its answer shown in
// /ops, delivered once the (dev) clock passes the backoff, and sent again on request.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, DESK, PHONE, checkPage, freePort, staffSignIn, startServer } from './harness.mjs';

const SECRET = 'e2e-host-notices-hook-secret';
const ctx = { server: null, host: null, browser: null, received: [] };

/** The simulated receiver on `port`, answering 503 to its first delivery. */
async function startHost(port) {
  const proc = spawn('node', ['scripts/host-webhooks.mjs', String(port), '1'], {
    env: { ...process.env, HOOK_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      ctx.received.push(String(d));
      if (String(d).includes('host-sim webhooks')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`host receiver exited: ${code}`)));
  });
  return { stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

before(async () => {
  const port = await freePort();
  ctx.host = await startHost(port);
  ctx.server = await startServer({ HOST_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks`, HOOK_SECRET: SECRET });
  ctx.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
after(async () => {
  await ctx.browser?.close();
  await ctx.server?.stop();
  await ctx.host?.stop();
});

async function open(profile) {
  const context = await ctx.browser.newContext({ ...profile, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

test('a reminder told by the host; a points notice retried, shown in /ops, delivered and sent again', async () => {
  const base = ctx.server.base;
  const report = [];
  const ops = await open(DESK);
  const member = await open(PHONE);
  try {
    await staffSignIn(ops.page, base, 'ops');
    // A sale an hour from now, for the member to be reminded of.
    const time = await (await ops.page.request.get(base + '/api/time')).json();
    const merchants = await (await ops.page.request.get(base + '/api/admin/merchants')).json();
    const startsAt = Math.floor(time.epoch_ms / 1000) + 3600;
    const sale = await ops.page.request.post(base + '/api/admin/sales', {
      headers: { 'idempotency-key': 'e2e-host-notices-sale' },
      data: {
        offer_key: 'e2e-notice', offer: { zh: '提醒测试券', en: 'Reminder voucher' }, merchant_id: merchants.find((m) => m.slug === 'luckin').id,
        image: '/img/items/luckin-voucher.svg', points: 50, quantity: 3, starts_at: startsAt, ends_at: startsAt + 600,
      },
    });
    assert.equal(sale.status(), 201, await sale.text());

    // The member asks to be reminded: the host will tell them, and the toast says so.
    await member.page.goto(base + '/');
    await member.page.locator('[data-testid=demo-member]').nth(5).click();
    await member.page.locator('[data-testid=home-balance]').waitFor();
    await member.page.goto(base + '/sales');
    const card = member.page.locator('[data-testid=sale-card]', { hasText: '提醒测试券' });
    const slots = member.page.locator('.slot-tab');
    await slots.first().waitFor();
    for (let i = 0; i < await slots.count() && !(await card.count()); i++) await slots.nth(i).click();
    await card.locator('[data-testid=sale-button]').click();
    await member.page.locator('[data-testid=toast]', { hasText: '已设置开抢提醒，开抢时会通知你' }).waitFor();

    // An operator's credit: a "points arrived" notice; the host answers its first one 503.
    const me = await (await member.page.request.get(base + '/api/me')).json();
    const credit = await ops.page.request.post(base + '/api/admin/adjustments', {
      headers: { 'idempotency-key': 'e2e-host-notices-credit' },
      data: { member_id: me.id, amount: 88, reason: '客服补偿' },
    });
    assert.equal(credit.status(), 201, await credit.text());
    await ops.page.goto(base + '/ops?s=deliveries');
    const row = ops.page.locator('[data-testid=delivery-row][data-type=points_arrived]');
    for (let i = 0; i < 50 && !(await row.count()); i++) {
      await ops.page.waitForTimeout(300);
      await ops.page.locator('[data-testid=deliveries-tab-pending]').click();
    }
    await row.locator('[data-testid=delivery-answer]', { hasText: 'HTTP 503' }).waitFor();
    await checkPage(ops.page, 'deliveries pending', 'host-notices-01-pending-desk', report);

    // The clock passes the 30 s backoff: delivered.
    const moved = await ops.page.request.post(base + '/api/dev/clock', { data: { seconds: 60 } });
    assert.ok(moved.ok(), `dev clock: ${moved.status()}`);
    const delivered = ops.page.locator('[data-testid=delivery-row][data-type=points_arrived][data-state=delivered]');
    for (let i = 0; i < 50 && !(await delivered.count()); i++) {
      await ops.page.waitForTimeout(300);
      await ops.page.locator('[data-testid=deliveries-tab-delivered]').click();
    }
    await delivered.waitFor();
    await checkPage(ops.page, 'deliveries delivered', 'host-notices-02-delivered-desk', report);
    assert.ok(ctx.received.join('').includes('points_arrived'), 'the host printed the notice');

    // Sent again on request: it leaves the delivered tab, pending again, and arrives again.
    await delivered.locator('[data-testid=delivery-resend]').click();
    await delivered.waitFor({ state: 'detached' });
    for (let i = 0; i < 50 && !(await delivered.count()); i++) {
      await ops.page.waitForTimeout(300);
      await ops.page.locator('[data-testid=deliveries-tab-delivered]').click();
    }
    await delivered.waitFor();
    assert.ok(ctx.received.join('').includes('= duplicate'), 'the host saw the same id again and deduped it');

    assert.deepEqual(report, []);
    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
  }
});
