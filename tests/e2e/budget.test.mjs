// The first visit's byte budget: bytes are deterministic, so this is a test, not a bench.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './harness.mjs';
import { BUDGET_BYTES, measure, total } from './first-visit.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('the first visit to Home fits the byte budget and other pages add nothing to it', async () => {
  const { home, routes } = await measure(server.base, ['/history', '/catalog']);
  const bytes = total(home);
  const list = home.map((f) => `${f.path} ${f.bytes}`).join('\n');
  assert.ok(bytes <= BUDGET_BYTES, `first visit ${bytes} B > budget ${BUDGET_BYTES} B:\n${list}`);
  // Lazy pages really are lazy: their chunks arrive only when they open.
  assert.ok(!home.some((f) => /split_(points|shop|sales|wallet|staff|login)-/.test(f.path)), `a page chunk in the first visit:\n${list}`);
  for (const [route, files] of Object.entries(routes)) {
    assert.ok(files.some((f) => f.path.endsWith('.wasm')), `${route} loaded no chunk of its own`);
  }
});
