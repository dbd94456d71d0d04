import { launchPhone } from '/work/main/tests/e2e/harness.mjs';
const phone = await launchPhone('zh-CN');
const { page } = phone;
page.on('console', m => { if (m.type() === 'error') console.log('console:', m.type(), m.text().slice(0, 3000)); });
await page.goto('http://127.0.0.1:8080/');
await page.locator('[data-testid=demo-member]').first().click();
await page.waitForTimeout(3000);
console.log(phone.errors);
await phone.close();
