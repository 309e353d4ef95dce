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
    // again sends it under the same Idempotency-Key, which brings back that order instead of a second.
    await page.locator('#card').fill('4242424242424242');
    const keys = [];
    let placed;
    await page.route('**/api/orders', async route => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length > 1) return route.continue();
      placed = (await (await route.fetch()).json()).orderId;
      await route.abort('connectionreset');
    });
    const second = page.locator('.card button').nth(1);
    await second.click();
    await result.filter({ hasText: /^No answer \(.*\): the order may have been placed\.\n"Buy one" on .* again tries the same order/ })
      .waitFor({ timeout: 20000 });
    await page.locator('.card button').nth(1).click();
    await result.filter({ hasText: /^Order \S+ CONFIRMED: / }).waitFor({ timeout: 20000 });
    const retried = await result.textContent();
    if (keys.length !== 2 || keys[0] !== keys[1]) throw new Error('the retry after a lost answer sent keys ' + JSON.stringify(keys));
    if (!retried.includes(placed)) throw new Error('the retry placed another order: ' + retried + ', the first was ' + placed);
    console.log('page: an answer lost, tried again under its key: ' + retried);
    await page.unroute('**/api/orders');
  } finally {
    await browser.close();
  }
}

main(process.argv[2] || 'http://localhost:8080').catch(e => { console.error(e.message); process.exit(1); });
