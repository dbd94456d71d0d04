// The operator's catalogue and fulfilment, end to end: an operator creates an item with
// an uploaded PNG; a member (another browser, a phone) finds it, redeems it and adds an
// address in the redeem sheet; the operator ships it with a tracking number; the member
// sees carrier and tracking on the order; a retired item leaves the member catalogue.
// The items, orders and statistics sections and the address book at a phone's and a desk's width in
// both languages, with screenshots and axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESK, PHONE, axeViolations, demoLogin, shot, staffSignIn, settled, overflowing, useBrowserAndServer } from './harness.mjs';

/** A 2×2 PNG in the brand colour (valid, 73 bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP45KENRAwQCgAqNgWV1wSLnQAAAABJRU5ErkJggg==', 'base64');

const ctx = useBrowserAndServer();
const open = (...args) => ctx.open(...args);

// Shared by the tests below (they run in order).
let opsCookies;
let memberCookies;
const NAME = { zh: '测试保温杯', en: 'Test thermos' };

test('an operator creates an item with an uploaded image; a member redeems it to a new address; the operator ships it; the member sees the tracking', async () => {
  const ops = await open(DESK, 'zh-CN');
  const member = await open(PHONE, 'zh-CN');
  try {
    await staffSignIn(ops.page, ctx.server.base, 'ops');
    opsCookies = await ops.context.cookies();
    await ops.page.goto(ctx.server.base + '/ops?s=items');
    const form = ops.page.locator('[data-testid=item-form]');
    await form.waitFor();
    // The form is checked before it is sent.
    await form.locator('[data-testid=item-save]').click();
    assert.match(await form.locator('[data-testid=item-result]').textContent(), /请/);

    await form.locator('[data-testid=item-name-zh]').fill(NAME.zh);
    await form.locator('[data-testid=item-name-en]').fill(NAME.en);
    const category = await form.locator('[data-testid=item-category] option').nth(1).getAttribute('value');
    await form.locator('[data-testid=item-category]').selectOption(category);
    await form.locator('[data-testid=item-kind]').selectOption('physical');
    await form.locator('[data-testid=item-points]').fill('100');
    await form.locator('[data-testid=item-limit]').fill('2');
    await form.locator('[data-testid=item-stock]').fill('5');
    await form.locator('[data-testid=item-desc-zh]').fill('双层不锈钢，保温 12 小时');
    await form.locator('[data-testid=item-desc-en]').fill('Double-walled steel, keeps warm 12 hours');
    await form.locator('[data-testid=spec-add]').click();
    await form.locator('[data-testid=spec-label-zh]').fill('容量');
    await form.locator('[data-testid=spec-label-en]').fill('Capacity');
    await form.locator('[data-testid=spec-value-zh]').fill('500 毫升');
    await form.locator('[data-testid=spec-value-en]').fill('500 ml');
    // Not an image: refused in the page, before any upload.
    await form.locator('[data-testid=item-upload]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    assert.match(await form.locator('[data-testid=item-upload-result]').textContent(), /PNG/);
    await form.locator('[data-testid=item-upload]').setInputFiles({ name: 'thermos.png', mimeType: 'image/png', buffer: PNG });
    await form.locator('[data-testid=item-upload-result].ok').waitFor();
    const src = await form.locator('[data-testid=item-image]').getAttribute('src');
    assert.match(src, /^\/media\/[0-9a-f]{32}\.png$/);
    await form.locator('[data-testid=item-save]').click();
    await ops.page.locator('[data-testid=item-result].ok').waitFor();
    const row = ops.page.locator('[data-testid=item-row][aria-pressed=true]');
    assert.match(await row.textContent(), new RegExp(NAME.zh));
    const itemId = Number(await row.getAttribute('data-id'));
    // The uploaded image is served.
    const image = await fetch(ctx.server.base + src);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');

    // A stock change with a reason.
    await ops.page.locator('[data-testid=stock-delta]').fill('+3');
    await ops.page.locator('[data-testid=stock-reason]').fill('补货');
    await ops.page.locator('[data-testid=stock-apply]').click();
    await ops.page.locator('[data-testid=item-stock-now]', { hasText: '库存 8' }).waitFor();
    await ops.page.locator('[data-testid=stock-delta]').fill('-100');
    await ops.page.locator('[data-testid=stock-reason]').fill('盘点');
    await ops.page.locator('[data-testid=stock-apply]').click();
    assert.equal(await ops.page.locator('[data-testid=stock-result]').textContent(), '库存不能低于 0');

    // The member finds it at once and redeems it; the sheet asks for a first address.
    await demoLogin(member.page, ctx.server.base, 0);
    memberCookies = await member.context.cookies();
    await member.page.goto(ctx.server.base + '/catalog?q=' + encodeURIComponent(NAME.zh));
    await member.page.locator('[data-testid=item-card]', { hasText: NAME.zh }).click();
    await member.page.locator('[data-testid=item-name]', { hasText: NAME.zh }).waitFor();
    await member.page.locator('[data-testid=redeem]').click();
    const sheet = member.page.locator('[data-testid=redeem-sheet]');
    await sheet.locator('[data-testid=address-first]').waitFor();
    assert.ok(await sheet.locator('[data-testid=confirm-redeem]').isDisabled(), 'no address, no redeem');
    await sheet.locator('[data-testid=addr-name]').fill('林晓雨');
    await sheet.locator('[data-testid=addr-phone]').fill('12');
    await sheet.locator('[data-testid=addr-save]').click();
    assert.equal(await sheet.locator('[data-testid=addr-error]').textContent(), '请填写正确的手机号（5–20 位数字）');
    await sheet.locator('[data-testid=addr-phone]').fill('138 0013 8000');
    await sheet.locator('[data-testid=addr-region]').fill('上海市 静安区');
    await sheet.locator('[data-testid=addr-detail]').fill('南京西路 1266 号');
    await sheet.locator('[data-testid=addr-save]').click();
    await sheet.locator('[data-testid=address-option] input:checked').waitFor();
    await shot(member.page, 'catalogue-zh-390-redeem-address');
    await sheet.locator('[data-testid=confirm-redeem]').click();
    await member.page.locator('[data-testid=redeem-success]').waitFor();

    // The operator finds it in the queue (pending), with the address, and ships it.
    await ops.page.goto(ctx.server.base + '/ops?s=orders');
    await ops.page.locator('[data-testid=orders-tab-pending]').click();
    await ops.page.locator('[data-testid=orders-search]').fill(NAME.zh);
    await ops.page.locator('[data-testid=orders-search-go]').click();
    const order = ops.page.locator('[data-testid=queued-order]', { hasText: NAME.zh });
    await order.waitFor();
    assert.match(await order.locator('[data-testid=queued-address]').textContent(), /林晓雨 138 0013 8000 · 上海市 静安区 南京西路 1266 号/);
    const csv = await ops.page.locator('[data-testid=orders-csv]').getAttribute('href');
    assert.equal(csv, `/api/admin/orders.csv?status=pending&q=${encodeURIComponent(NAME.zh)}`);
    const export_ = await ops.page.request.get(ctx.server.base + csv);
    assert.equal(export_.status(), 200);
    assert.match(await export_.text(), new RegExp(NAME.zh));
    await order.locator('[data-testid=order-ship]').click();
    await order.locator('[data-testid=ship-confirm]').click();
    assert.match(await order.locator('[data-testid=queued-result]').textContent(), /运单号/);
    await order.locator('[data-testid=ship-carrier]').fill('顺丰速运');
    await order.locator('[data-testid=ship-tracking]').fill('SF1234567890');
    await order.locator('[data-testid=ship-confirm]').click();
    const shipped = ops.page.locator('[data-testid=queued-order][data-state=shipped]', { hasText: NAME.zh });
    await shipped.waitFor();
    assert.match(await shipped.locator('[data-testid=queued-tracking]').textContent(), /顺丰速运 · SF1234567890/);

    // The member sees carrier and tracking on the order.
    await member.page.goto(ctx.server.base + '/me');
    const mine = member.page.locator('[data-testid=order]', { hasText: NAME.zh });
    await mine.locator('[data-testid=order-tracking]').waitFor();
    assert.match(await mine.locator('[data-testid=order-tracking]').textContent(), /顺丰速运 · 运单号 SF1234567890/);
    assert.match(await mine.locator('[data-testid=order-address]').textContent(), /南京西路 1266 号/);
    assert.match(await mine.locator('.status-pill').textContent(), /已发货|发货/);
    await mine.scrollIntoViewIfNeeded();
    await shot(member.page, 'catalogue-zh-390-me-order-tracking');

    // Retired: gone from the member catalogue at once; brought back: there again.
    await ops.page.goto(ctx.server.base + '/ops?s=items');
    await ops.page.locator(`[data-testid=item-row][data-id="${itemId}"]`).click();
    await ops.page.locator('[data-testid=item-retire]').click();
    await ops.page.locator('[data-testid=item-unretire]').waitFor();
    await ops.page.locator('[data-testid=items-filter-retired]').click();
    await ops.page.locator(`[data-testid=item-row][data-id="${itemId}"]`).waitFor();
    await member.page.goto(ctx.server.base + '/catalog?q=' + encodeURIComponent(NAME.zh));
    await settled(member.page);
    assert.equal(await member.page.locator('[data-testid=item-card]', { hasText: NAME.zh }).count(), 0);
    await ops.page.locator('[data-testid=item-unretire]').click();
    await ops.page.locator('[data-testid=item-retire]').waitFor();
    await member.page.reload();
    await member.page.locator('[data-testid=item-card]', { hasText: NAME.zh }).waitFor();

    assert.deepEqual(ops.errors, []);
    assert.deepEqual(member.errors, []);
  } finally {
    await ops.context.close();
    await member.context.close();
  }
});

test('the member keeps an address book: add, make default, edit, delete', async () => {
  const member = await open(PHONE, 'zh-CN', memberCookies);
  try {
    await member.page.goto(ctx.server.base + '/me');
    await member.page.locator('[data-testid=me-addresses]').click();
    await member.page.waitForURL(/\/addresses$/);
    const list = member.page.locator('[data-testid=address-list]');
    await list.waitFor();
    assert.equal(await list.locator('[data-testid=address]').count(), 1);
    await member.page.locator('[data-testid=addr-add]').click();
    const form = member.page.locator('[data-testid=address-form]');
    await form.locator('[data-testid=addr-save]').click();
    assert.equal(await form.locator('[data-testid=addr-error]').textContent(), '请填写收货人（1–30 字）');
    await form.locator('[data-testid=addr-name]').fill('王明');
    await form.locator('[data-testid=addr-phone]').fill('139-1000-2000');
    await form.locator('[data-testid=addr-region]').fill('北京市 朝阳区');
    await form.locator('[data-testid=addr-detail]').fill('建国路 88 号 2 单元 301');
    await form.locator('[data-testid=addr-save]').click();
    await list.locator('[data-testid=address]').nth(1).waitFor();
    // Make the new one the default: it comes first.
    await list.locator('[data-testid=address]', { hasText: '王明' }).locator('[data-testid=addr-set-default]').click();
    await list.locator('[data-testid=address][data-default=true]', { hasText: '王明' }).waitFor();
    // Edit, then delete the other one.
    await list.locator('[data-testid=address]', { hasText: '林晓雨' }).locator('[data-testid=addr-edit]').click();
    await list.locator('[data-testid=addr-detail]').fill('南京西路 1266 号 恒隆广场');
    await list.locator('[data-testid=addr-save]').click();
    await list.locator('[data-testid=address]', { hasText: '恒隆广场' }).waitFor();
    await list.locator('[data-testid=address]', { hasText: '恒隆广场' }).locator('[data-testid=addr-delete]').click();
    await list.locator('[data-testid=addr-delete-confirm]').click();
    await member.page.locator('[data-testid=address]', { hasText: '恒隆广场' }).waitFor({ state: 'detached' });
    await member.page.waitForFunction(() => document.querySelectorAll('[data-testid=address]').length === 1);
    assert.match(await member.page.locator('[data-testid=address]').textContent(), /王明/);
    assert.deepEqual(member.errors, []);
  } finally {
    await member.context.close();
  }
});

for (const [locale, lang] of [['zh-CN', 'zh'], ['en-US', 'en']]) {
  for (const [profile, width] of [[PHONE, 390], [DESK, 1280]]) {
    test(`items, orders, statistics and the address book at ${width} px in ${lang}: screenshots, axe, nothing overflows`, async () => {
      const ops = await open(profile, locale, opsCookies);
      const member = await open(profile, locale, memberCookies);
      try {
        for (const section of ['items', 'orders', 'stats']) {
          await ops.page.goto(`${ctx.server.base}/ops?s=${section}`);
          await ops.page.locator(`[data-testid=ops-${section}]`).waitFor();
          await settled(ops.page);
          if (section === 'items') {
            // An item open in the form: the list, the form, stock and retire.
            await ops.page.locator('[data-testid=item-row]').first().click();
            await ops.page.locator('[data-testid=stock-form]').waitFor();
          } else if (section === 'orders') {
            await ops.page.locator('[data-testid=queued-order]').first().waitFor();
          } else {
            // Charts drawn by the app, a table under each, the CSV of the same days.
            await ops.page.locator('[data-testid=stats-summary]').waitFor();
            assert.equal(await ops.page.locator('.chart svg').count(), 2);
            assert.ok((await ops.page.locator('[data-testid=stats-points-table] tbody tr').count()) >= 14);
            assert.match(await ops.page.locator('[data-testid=stats-csv]').getAttribute('href'), /^\/api\/admin\/stats\.csv\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/);
          }
          await shot(ops.page, `catalogue-${lang}-${width}-ops-${section}`);
          assert.deepEqual(await axeViolations(ops.page), [], `${section} ${lang} ${width}`);
          assert.deepEqual(await overflowing(ops.page), [], `${section} ${lang} ${width}`);
        }
        await member.page.goto(`${ctx.server.base}/addresses`);
        await member.page.locator('[data-testid=address-list]').waitFor();
        await settled(member.page);
        await shot(member.page, `catalogue-${lang}-${width}-addresses`);
        assert.deepEqual(await axeViolations(member.page), [], `addresses ${lang} ${width}`);
        assert.deepEqual(await overflowing(member.page), [], `addresses ${lang} ${width}`);
        await member.page.locator('[data-testid=addr-add]').click();
        await shot(member.page, `catalogue-${lang}-${width}-address-form`);
        assert.deepEqual(await axeViolations(member.page), [], `address form ${lang} ${width}`);
        assert.deepEqual(ops.errors, []);
        assert.deepEqual(member.errors, []);
      } finally {
        await ops.context.close();
        await member.context.close();
      }
    });
  }
}
