// Notices that reach members outside the app (issue 26): the mall posts signed webhooks
// to the host (the simulated receiver, scripts/host-webhooks.mjs). A member's reminder
// says the host will tell them; while the host answers 503, an operator's credit is a
// "points arrived" notice pending in /ops with the host's answer shown (behind any earlier
// notice of the same member, e.g. points expiring: a member's notices keep their order);
// once the host is back and the (dev) clock passes the backoff it is delivered, and it is
// sent again on request (the host dedupes it by id).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { DESK, PHONE, checkPage, freePort, staffSignIn, useBrowserAndServer } from './harness.mjs';

const SECRET = 'e2e-host-notices-hook-secret';
const receiver = { host: null, port: 0, received: [] };

/** The simulated receiver on `port`, answering 503 to its first `failFirst` deliveries. */
async function startHost(port, failFirst) {
  const proc = spawn('node', ['scripts/host-webhooks.mjs', String(port), String(failFirst)], {
    env: { ...process.env, HOOK_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      receiver.received.push(String(d));
      if (String(d).includes('host-sim webhooks')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`host receiver exited: ${code}`)));
  });
  return { stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

/** Clicks the `state` tab until `locator` shows (the list is read when the tab is chosen). */
async function until(page, state, locator) {
  for (let i = 0; i < 60 && !(await locator.count()); i++) {
    await page.waitForTimeout(300);
    await page.locator(`[data-testid=deliveries-tab-${state}]`).click();
  }
  await locator.first().waitFor();
}

// The host is down for now: every delivery answered 503.
const ctx = useBrowserAndServer(async () => {
  receiver.port = await freePort();
  receiver.host = await startHost(receiver.port, 1_000_000);
  return { HOST_WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/webhooks`, HOOK_SECRET: SECRET };
});
after(async () => {
  await receiver.host?.stop();
});

const open = (profile) => ctx.open(profile, 'zh-CN');

test('a reminder told by the host; a points notice retried, shown in /ops, delivered and sent again', async () => {
  const base = ctx.server.base;
  const report = [];
  const ops = await open(DESK);
  const member = await open(PHONE);
  try {
    await staffSignIn(ops.page, base, 'ops');
    // A sale later today (an hour from now, or sooner when the shop's day ends first: the
    // sales page lists today's slots), for the member to be reminded of.
    const time = await (await ops.page.request.get(base + '/api/time')).json();
    const merchants = await (await ops.page.request.get(base + '/api/admin/merchants')).json();
    const [h, m, sec] = time.now.slice(11, 19).split(':').map(Number);
    const leftToday = 86400 - (h * 3600 + m * 60 + sec);
    const startsAt = Math.floor(time.epoch_ms / 1000) + Math.max(60, Math.min(3600, leftToday - 120));
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

    // An operator's credit while the host is down: a "points arrived" notice.
    const me = await (await member.page.request.get(base + '/api/me')).json();
    const credit = await ops.page.request.post(base + '/api/admin/adjustments', {
      headers: { 'idempotency-key': 'e2e-host-notices-credit' },
      data: { member_id: me.id, amount: 88, reason: '客服补偿' },
    });
    assert.equal(credit.status(), 201, await credit.text());
    await ops.page.goto(base + '/ops?s=deliveries');
    const page = ops.page;
    const arrived = page.locator('[data-testid=delivery-row][data-type=points_arrived]');
    // A pending notice was tried and answered 503 (the credit itself, or one before it).
    await until(page, 'pending', page.locator('[data-testid=delivery-answer]', { hasText: 'HTTP 503' }));
    await until(page, 'pending', arrived);
    assert.equal(await arrived.getAttribute('data-state'), 'pending');
    await checkPage(page, 'deliveries pending', 'host-notices-01-pending-desk', report);

    // The host is back; the clock passes the backoff: delivered.
    await receiver.host.stop();
    receiver.host = await startHost(receiver.port, 0);
    const moved = await page.request.post(base + '/api/dev/clock', { data: { seconds: 600 } });
    assert.ok(moved.ok(), `dev clock: ${moved.status()}`);
    const delivered = page.locator('[data-testid=delivery-row][data-type=points_arrived][data-state=delivered]');
    await until(page, 'delivered', delivered);
    await checkPage(page, 'deliveries delivered', 'host-notices-02-delivered-desk', report);
    assert.ok(receiver.received.join('').includes('✓') && receiver.received.join('').includes('points_arrived'), 'the host printed the notice');

    // Sent again on request: it leaves the delivered tab, pending again, and arrives again.
    await delivered.locator('[data-testid=delivery-resend]').click();
    await delivered.waitFor({ state: 'detached' });
    await until(page, 'delivered', delivered);
    assert.ok(receiver.received.join('').includes('= duplicate'), 'the host saw the same id again and deduped it');

    assert.deepEqual(report, []);
    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
  }
});
