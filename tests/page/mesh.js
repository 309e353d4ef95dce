// The mesh page in a real browser (Debian's Chromium, driven by playwright-core): it lists the
// replicas, and once orders flow it shows the calls per second each replica takes and answers; a
// gateway that stops answering leaves its tables faded, with the time of its last answer.
// Usage: node tests/page/mesh.js http://localhost:8080   (playwright-core on NODE_PATH)
const { chromium } = require('playwright-core');

const expiry = '12/' + String((new Date().getFullYear() + 5) % 100).padStart(2, '0');
const order = JSON.stringify({ customerId: 'mesh-page', items: [{ productId: 'mug', quantity: 1 }],
  payment: { cardNumber: '4242424242424242', expiry, cvv: '123' } });

async function main(base) {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const missing = [];
    page.on('response', r => { if (r.status() === 404) missing.push(r.url()); });
    await page.goto(base + '/mesh?every=1');
    await page.locator('h2', { hasText: /^catalog-service: \d+ replicas?$/ }).waitFor({ timeout: 20000 });
    await page.locator('#status', { hasText: /^per second over the last/ }).waitFor({ timeout: 20000 });
    // Orders flowing while the page refreshes, until a refresh shows catalog-service taking calls.
    let flowing = true;
    const orders = (async () => {
      for (let placed = 0; flowing && placed < 600; placed++) {
        const res = await fetch(base + '/api/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: order });
        if (res.status !== 201) throw new Error('an order was answered ' + res.status + ': ' + await res.text());
      }
    })();
    const catalogRows = page.locator('h2:has-text("catalog-service") + table td.calls');
    try {
      for (const column of ['calls', 'answered']) {
        await page.waitForFunction(c => [...document.querySelectorAll('h2')]
          .filter(h => h.textContent.startsWith('catalog-service'))
          .some(h => [...h.nextElementSibling.querySelectorAll('td.' + c)].some(td => Number(td.textContent) > 0)), column, { timeout: 15000 });
      }
      console.log('mesh page: catalog-service calls/s ' + (await catalogRows.allTextContents()).join(', ')
        + ', answered/s ' + (await page.locator('h2:has-text("catalog-service") + table td.answered').allTextContents()).join(', ')
        + '; ' + await page.locator('#status').textContent());
    } finally {
      flowing = false;
      await orders;
    }
    // An ?every out of range is said, not silently replaced; a gateway that stops answering fades the
    // tables, which then say the time of its last answer rather than pass for the mesh as it is.
    await page.goto(base + '/mesh?every=abc');
    await page.locator('#status', { hasText: /\(\?every=abc is not 1 to 3600 seconds\)$/ }).waitFor({ timeout: 20000 });
    await page.route('**/api/mesh', route => route.abort('connectionrefused'));
    await page.locator('#status.error', { hasText: /the tables below are from / }).waitFor({ timeout: 20000 });
    if (await page.locator('#services.stale').count() !== 1) throw new Error('the tables of a gateway not answering were not faded');
    console.log('mesh page: the gateway not answering: ' + await page.locator('#status').textContent());
    if (missing.length) throw new Error('the page asked for what is not there: ' + missing.join(', '));
  } finally {
    await browser.close();
  }
}

main(process.argv[2] || 'http://localhost:8080').catch(e => { console.error(e.message); process.exit(1); });
