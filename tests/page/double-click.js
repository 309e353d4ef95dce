// The shop page in a real browser (Debian's Chromium, driven by playwright-core): a double-click
// on "Buy one" places one order, the page says which, and the page loads nothing that is missing;
// a declined card is said so, with the trace of the failed answer; an order whose answer was lost is
// tried again under its key, so that it is placed once.
// Usage: node tests/page/double-click.js http://localhost:8080   (playwright-core on NODE_PATH)
const { chromium } = require('playwright-core');

async function main(base) {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    let posted = 0;
    const missing = [];
    page.on('request', r => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/orders') posted++; });
    page.on('response', r => { if (r.status() === 404) missing.push(r.url()); });
    await page.goto(base + '/');
    await page.locator('.card button').first().dblclick();
    const result = page.locator('#result');
    await result.filter({ hasText: /^Order \S+ CONFIRMED: / }).waitFor({ timeout: 20000 });
    if (posted !== 1) throw new Error('a double-click on "Buy one" sent ' + posted + ' orders');
    if (missing.length) throw new Error('the page asked for what is not there: ' + missing.join(', '));
    console.log('page: a double-click placed one order: ' + await result.textContent());
    // A declined card: the page says so, and names the trace to find the mesh's log lines by.
    await page.locator('#card').fill('4000000000000002');
    await page.locator('.card button').first().click();
    await result.filter({ hasText: /^HTTP 402: payment declined: .* \(trace_id [0-9a-f]{32}\)$/ }).waitFor({ timeout: 20000 });
    console.log('page: a declined card: ' + await result.textContent());

    // An answer lost on its way back (the gateway placed the order, the connection broke before the
    // page read it): the page cannot know, so it says the order may have been placed, and "Buy one"
    // on that product again, even after buying another, sends it under the same Idempotency-Key,
    // which brings back that order instead of a second. Once settled, its key is not used again.
    await page.locator('#card').fill('4242424242424242');
    const keys = [];
    let placed;
    await page.route('**/api/orders', async route => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length > 1) return route.continue();
      placed = (await (await route.fetch()).json()).orderId;
      await route.abort('connectionreset');
    });
    const confirmed = /^Order \S+ CONFIRMED: /;
    await page.locator('.card button').nth(1).click();
    await result.filter({ hasText: /^No answer \(.*\): the order may have been placed\.\n"Buy one" on .* sends that order again/ })
      .waitFor({ timeout: 20000 });
    await page.locator('.card button').nth(2).click();
    await result.filter({ hasText: confirmed }).waitFor({ timeout: 20000 });
    await page.locator('.card button').nth(1).click();
    await result.filter({ hasText: new RegExp('^Order ' + placed + ' CONFIRMED: ') }).waitFor({ timeout: 20000 });
    const retried = await result.textContent();
    await page.locator('.card button').nth(1).click();
    await result.filter({ hasText: confirmed }).filter({ hasNotText: placed }).waitFor({ timeout: 20000 });
    if (keys.length !== 4 || keys[0] !== keys[2] || new Set(keys).size !== 3) {
      throw new Error('lost, another product, the retry, a new order: keys ' + JSON.stringify(keys));
    }
    console.log('page: an answer lost, sent again under its key after another order: ' + retried);
    // The grid drawn again hands focus back to the product bought (a keyboard user's Tab went back to the first).
    const bought = await page.locator('.card button').nth(1).getAttribute('data-product');
    await page.waitForFunction(id => document.activeElement && document.activeElement.dataset.product === id, bought, { timeout: 10000 });
    await page.unroute('**/api/orders');
  } finally {
    await browser.close();
  }
}

main(process.argv[2] || 'http://localhost:8080').catch(e => { console.error(e.message); process.exit(1); });
