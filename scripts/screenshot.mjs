// Development aid: logs in as a demo member and screenshots pages at phone size.
//   node scripts/screenshot.mjs [base-url] [out-dir] [lang] [member-id] [path...]
// e.g. node scripts/screenshot.mjs http://127.0.0.1:8080 /tmp/shots zh-CN 1 / /catalog /items/1
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base = 'http://127.0.0.1:8080', out = 'test-results/shots', lang = 'zh-CN', member = '1', ...paths] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'shot-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  headless: true,
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: lang,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36 MicroMessenger/8.0.50',
});
const page = browser.pages()[0] ?? await browser.newPage();
await page.request.post(`${base}/api/session/demo`, { data: { member_id: Number(member) } });
for (const p of paths.length ? paths : ['/']) {
  await page.goto(base + p);
  await page.waitForTimeout(1200);
  const file = join(out, `${lang}${p.replace(/[^a-z0-9]+/gi, '_')}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(file);
}
await browser.close();
