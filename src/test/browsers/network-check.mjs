// Opens a Parley room's pre-join page in a headless browser, runs the network check (the page's "Check my network"
// button) and prints one JSON line with what the page shows: the outcome, each path's verdict, round trip, upload.
// Usage: node network-check.mjs <firefox|chromium> <room link>
// Environment: PARLEY_CHROMIUM_ARGS, more Chromium flags (space-separated); PARLEY_ACCEPT_INSECURE_CERTS=1 accepts a
// self-signed certificate; launch.mjs's PARLEY_SECURE_ORIGIN, PARLEY_CA_CERT and PARLEY_SERVER_CERT.
import { launchBrowser } from './launch.mjs';

const [kind, link] = process.argv.slice(2);
const browser = await launchBrowser(kind);
let code = 0;
try {
  const page = await browser.newPage();
  page.on('console', (msg) => console.error(`[${kind} console] ` + msg.type() + ' ' + msg.text()));
  page.on('pageerror', (err) => console.error(`[${kind} page error] ` + err));
  await page.goto(link);
  await page.waitForSelector('[data-testid=network-check-button]', { visible: true, timeout: 30000 });
  // The page reports its outcome to the server after showing it; closing the browser at once could cancel that.
  const reported = page.waitForResponse((r) => r.url().endsWith('/network-check/result'), { timeout: 90000 });
  reported.catch(() => {});
  await page.$eval('[data-testid=network-check-button]', (el) => el.click());
  await page.waitForSelector('[data-testid=network-check][data-outcome]', { timeout: 60000 });
  const shown = await page.evaluate(() => {
    const root = document.querySelector('[data-testid=network-check]');
    const verdict = (path) => document.querySelector(`[data-testid=network-check-${path}]`)?.getAttribute('data-verdict');
    const measure = (name) => {
      const el = document.querySelector(`[data-testid=network-check-${name}]`);
      return el && !el.hidden ? { value: Number(el.getAttribute('data-value')), text: el.textContent } : null;
    };
    return {
      outcome: root.getAttribute('data-outcome'),
      summary: document.querySelector('[data-testid=network-check-summary]').textContent,
      udp: verdict('udp'), tcp: verdict('tcp'), turn: verdict('turn'),
      rtt: measure('rtt'), upload: measure('upload'),
    };
  });
  console.log(JSON.stringify(shown));
  try {
    await Promise.race([reported, new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 15 s')), 15000))]);
  } catch (e) {
    console.error(`[${kind}] the outcome's report to the server: ${e}`);
  }
} catch (e) {
  console.error(`[${kind}] ` + (e && e.stack ? e.stack : e));
  code = 2;
} finally {
  try { await browser.close(); } catch (e) { /* already gone */ }
}
process.exit(code);
