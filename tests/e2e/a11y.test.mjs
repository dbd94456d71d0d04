// axe-core over every page, in both languages, with a member signed in (and the sign-in
// and staff pages signed out): no serious or critical violation anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, demoLogin, launchPhone, shot, startServer, settled } from './harness.mjs';

const MEMBER_PAGES = ['/', '/catalog', '/items/1', '/checkin', '/history', '/me', '/sales', '/wallet', '/causes', '/lottery'];
const SIGNED_OUT_PAGES = ['/', '/merchant', '/ops'];

for (const locale of ['zh-CN', 'en-US']) {
  test(`axe: no serious or critical violation on any page (${locale})`, async () => {
    const server = await startServer();
    const phone = await launchPhone(locale);
    const { page } = phone;
    const report = [];
    try {
      for (const path of SIGNED_OUT_PAGES) {
        await page.goto(server.base + path);
        await settled(page);
        for (const v of await axeViolations(page)) report.push(`signed out ${path}: ${v}`);
      }
      await demoLogin(page, server.base);
      for (const path of MEMBER_PAGES) {
        await page.goto(server.base + path);
        await settled(page);
        for (const v of await axeViolations(page)) report.push(`${path}: ${v}`);
      }
      // A bottom sheet open over a page: the redeem sheet on an item.
      await page.goto(server.base + '/items/1');
      await settled(page);
      await page.locator('[data-testid=redeem]').click();
      await page.locator('[data-testid=redeem-sheet]').waitFor();
      for (const v of await axeViolations(page)) report.push(`/items/1 redeem sheet: ${v}`);
      await shot(page, `a11y-${locale}-last`);
    } finally {
      await phone.close();
      await server.stop();
    }
    assert.deepEqual(report, [], `axe found:\n${report.join('\n')}`);
  });
}
