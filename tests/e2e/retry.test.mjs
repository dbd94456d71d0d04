// A retry is safe: a member donates, the server commits the gift, but the answer is lost
// on the way back (the app sees the network fail). The sheet says it is offline; the
// member taps again with the network back, the app sends the same Idempotency-Key, and
// the server answers the first outcome: one donation, the balance down once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoLogin, shot, usePhoneAndServer } from './harness.mjs';

const ctx = usePhoneAndServer('zh-CN');

test('a donation whose answer was lost is not given twice on retry', async () => {
  const { page } = ctx.phone;
  const base = ctx.server.base;
  await demoLogin(page, base, 1);
  const before = (await (await page.request.get(base + '/api/me')).json()).balance;
  const causesBefore = await (await page.request.get(base + '/api/causes')).json();

  // Every donate request's key, in order.
  const keys = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && /\/api\/causes\/\d+\/donations$/.test(req.url())) keys.push(req.headers()['idempotency-key']);
  });
  // The first donate reaches the server (which commits it); the app never sees the answer.
  let committed = null;
  await page.route(/\/api\/causes\/\d+\/donations$/, async (route) => {
    const res = await route.fetch();
    committed = res.status();
    await route.abort('internetdisconnected');
  }, { times: 1 });

  await page.goto(base + '/causes');
  const cause = page.locator('[data-testid=cause][data-open=true]').first();
  await cause.waitFor();
  await cause.locator('[data-testid=cause-donate]').click();
  await page.locator('[data-testid=donate-sheet]').waitFor();
  await page.locator('[data-testid=donate-amount]').fill('100');
  await page.locator('[data-testid=donate-sure]').check();
  await page.locator('[data-testid=donate-confirm]').click();

  // The app saw the network fail: the sheet says so, in words, and the button is back.
  const error = page.locator('[data-testid=donate-error]');
  await error.waitFor();
  assert.match(await error.textContent(), /网络连接已断开/);
  assert.equal(committed, 201, 'the server committed the first attempt');
  await page.waitForFunction(() => document.querySelector('[data-testid=donate-confirm]')?.disabled === false);
  await shot(page, 'zh-retry-01-offline');

  // The network is back (the route was for one request): tap again.
  await page.locator('[data-testid=donate-confirm]').click();
  await page.locator('[data-testid=toast]', { hasText: '感谢！已捐赠 100 积分' }).waitFor();
  await page.locator('[data-testid=donate-sheet]').waitFor({ state: 'detached' });
  await shot(page, 'zh-retry-02-done');

  // Two attempts, one key: the server answered the first outcome.
  assert.ok(keys.length >= 2, `two attempts: ${keys.length}`);
  assert.ok(keys[0] && /^[0-9a-f]{32}$/.test(keys[0]), `a real key: ${keys[0]}`);
  assert.deepEqual([...new Set(keys)], [keys[0]]);

  // Exactly one donation: the cause raised 100 more, the balance went down once, one history entry.
  const causesAfter = await (await page.request.get(base + '/api/causes')).json();
  const raised = (list) => list.reduce((sum, c) => sum + c.raised, 0);
  assert.equal(raised(causesAfter) - raised(causesBefore), 100);
  const me = await (await page.request.get(base + '/api/me')).json();
  assert.equal(me.balance, before - 100);
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid=balance]').textContent.replace(/,/g, '')) === b, before - 100);
  const history = await (await page.request.get(base + '/api/history')).json();
  assert.equal(history.entries.filter((e) => e.kind === 'donation').length, 1);

  // A new gift after the answer is a new request with a new key.
  await cause.locator('[data-testid=cause-donate]').click();
  await page.locator('[data-testid=donate-amount]').fill('100');
  await page.locator('[data-testid=donate-sure]').check();
  await page.locator('[data-testid=donate-confirm]').click();
  await page.locator('[data-testid=donate-sheet]').waitFor({ state: 'detached' });
  const distinct = [...new Set(keys)];
  assert.equal(distinct.length, 2, 'the new gift has its own key');
  assert.equal((await (await page.request.get(base + '/api/me')).json()).balance, before - 200);
  assert.deepEqual(ctx.phone.errors, []);
});
