// The shop page in a real browser (Debian's Chromium, driven by playwright-core): a double-click
// on "Buy one" places one order, the page says which, and the page loads nothing that is missing;
// a declined card is said so, with the trace of the failed answer.
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
  } finally {
    await browser.close();
  }
}

main(process.argv[2] || 'http://localhost:8080').catch(e => { console.error(e.message); process.exit(1); });
