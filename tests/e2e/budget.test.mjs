// The first visit's byte budget: bytes are deterministic, so this is a test, not a bench.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchPhone, memberCookie, startServer } from './harness.mjs';
import { BUDGET_BYTES, measure, total } from './first-visit.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('the first visit to Home fits the byte budget and other pages add nothing to it', async () => {
  const { home, routes } = await measure(server.base, ['/history', '/catalog']);
  const bytes = total(home);
  const list = home.map((f) => `${f.path} ${f.bytes}`).join('\n');
  assert.ok(bytes <= BUDGET_BYTES, `first visit ${bytes} B > budget ${BUDGET_BYTES} B:\n${list}`);
  // Lazy pages really are lazy: no split group and no shared chunk the build wrote (read
  // from dist/, so a new group is covered without editing this test) arrives with Home.
  const lazy = readdirSync(join(ROOT, 'dist')).filter((f) => /^(split_[a-z_]+|chunk_\d+)-[0-9a-f]+\.wasm$/.test(f));
  assert.ok(lazy.some((f) => f.startsWith('split_')), `the build wrote no split group:\n${lazy.join('\n')}`);
  const eager = home.filter((f) => lazy.includes(f.path.slice(1)));
  assert.deepEqual(eager.map((f) => f.path), [], `a lazy chunk in the first visit:\n${list}`);
  for (const [route, files] of Object.entries(routes)) {
    assert.ok(files.some((f) => f.path.endsWith('.wasm')), `${route} loaded no chunk of its own`);
  }
});

test("Home's first data and images come from the preloads of its HTML", async () => {
  const phone = await launchPhone('zh-CN');
  try {
    const { page, context } = phone;
    await context.addCookies([await memberCookie(server.base)]);
    const asked = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
    const res = await page.goto(server.base + '/');
    const link = await res.headerValue('link');
    assert.match(link, /<\/api\/me>; rel=preload; as=fetch/);
    assert.match(link, /<\/api\/items\?sort=popular&limit=2>; rel=preload; as=fetch/);
    assert.equal((link.match(/as=image/g) || []).length, 2, link);
    await page.locator('[data-testid=item-card]').nth(1).waitFor();
    await page.waitForLoadState('networkidle');
    // One request each: the app's own requests were answered by the preloads.
    for (const api of ['/api/me', '/api/sales', '/api/checkins']) {
      assert.equal(asked.filter((u) => u === api).length, 1, `${api}:\n${asked.join('\n')}`);
    }
    assert.equal(asked.filter((u) => u.startsWith('/api/items')).length, 1, asked.join('\n'));
    const images = asked.filter((u) => u.startsWith('/img/items/'));
    assert.equal(new Set(images).size, images.length, 'no image fetched twice');
  } finally {
    await phone.close();
  }
});

test('a visitor without a session gets no preloads (no 401 in the console)', async () => {
  const res = await fetch(server.base + '/');
  assert.equal(res.headers.get('link'), null);
});
