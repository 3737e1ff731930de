// Opens the monthly report in Debian's headless Chromium, as a seller would, and checks what a
// seller relies on: no console errors or CSP violations, buyer text shown as text, the Copy button
// putting exactly the draft on the clipboard, a readable phone-width layout, a to-do list whose
// links reach their cards, each card saying where its removal request stands.
// Usage: node report_test.mjs FBTRACK_BINARY SAMPLES_DIR ARTIFACT_DIR
// Exit: 0 pass, 1 fail, 77 skip (no Chromium or no playwright-core here).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [fbtrack, samples, artifacts] = process.argv.slice(2);
const chromiumPath = '/usr/bin/chromium';
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('SKIP: playwright-core is not installed (scripts/test installs it)');
  process.exit(77);
}
if (!existsSync(chromiumPath)) {
  console.log('SKIP: /usr/bin/chromium is missing (scripts/test installs Debian chromium)');
  process.exit(77);
}

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name} ${detail}`); }
}

const work = mkdtempSync(join(tmpdir(), 'fbtrack-browser-'));
const db = join(work, 'fbtrack.db');
function run(args) {
  const r = spawnSync(fbtrack, ['--db', db, '--today', '2026-10-31', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fbtrack ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// A hostile comment: it must arrive on the page as text.
const hostile = `<script>alert(1)</script> "quoted" 'single' & </textarea><b>bold</b>`;
writeFileSync(join(work, 'hostile.txt'),
  'Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n' +
  `2026/10/20\t1\t${hostile}\t\t503-4723356-2553575\tx@marketplace.amazon.co.jp\n`);
// Named as the sample month's seller names it: a shop without a name gets no draft.
run(['init', '--marketplace', 'jp', '--name', 'さくら雑貨', '--staff', '田中', '--own-addresses', 'shop@sakura-zakka.example']);
run(['import', samples, join(work, 'hostile.txt')]);
// A removal request the seller has sent: its card must say so.
const submittedOrder = '249-8830124-5512907';
run(['appeal', submittedOrder, '--mark', 'submitted']);
const pages = {
  ja: run(['report', '--month', '2026-10', '--out', join(work, 'report-ja.html')]).trim(),
  en: run(['--lang', 'en', 'report', '--month', '2026-10', '--out', join(work, 'report-en.html')]).trim(),
};
// The declined request's rating meets no removal criterion: the public reply comes first, the
// removal request (explaining the context, with Amazon's sentence) behind the disclosure.
const expectedDraft = run(['appeal', '503-2417785-6630118', '--kind', 'reply', '--lang', 'ja']);
const expectedRemoval = run(['appeal', '503-2417785-6630118', '--kind', 'removal', '--lang', 'ja']);

// Served from loopback so that the clipboard permission has an origin to be granted for.
const server = createServer((req, res) => {
  const file = req.url === '/en' ? pages.en : pages.ja;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('dialog', async (dialog) => { problems.push(`dialog: ${dialog.message()}`); await dialog.dismiss(); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(base + '/ja');

  check('the page is in Japanese', (await page.getAttribute('html', 'lang')) === 'ja');
  for (const id of ['todo', 'summary', 'trend', 'ratings', 'risk', 'outcomes']) {
    check(`section #${id} is there`, (await page.locator(`section#${id}`).count()) === 1);
  }
  check('the trend chart is an inline SVG', (await page.locator('#trend svg polyline').count()) === 2);
  check('one card per rating of the month', (await page.locator('article.card').count()) === 5);
  check('the stylesheet applied (CSP allows it by hash)',
    (await page.evaluate(() => getComputedStyle(document.querySelector('section')).borderRadius)) === '8px');

  // Codes stay in --json: the page shows their words (grounds, replies, how a request came).
  const codes = await page.evaluate(() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll('textarea').forEach((t) => t.remove());
    return copy.textContent.match(/\b(?:[a-z]+_[a-z_]+|removable|declined|accepted)\b/g) || [];
  });
  check('no verdict, ground or reply code on the Japanese page', codes.length === 0, JSON.stringify(codes));

  const hostileText = await page.locator('#case-503-4723356-2553575 blockquote').textContent();
  check('a hostile comment shows as text', hostileText === hostile, JSON.stringify(hostileText));
  check('no element came from the comment', (await page.locator('blockquote b').count()) === 0);

  const card = page.locator('#case-503-2417785-6630118');
  const firstBox = card.locator('textarea').first();
  await card.locator('button.copy').first().click();
  await page.waitForTimeout(200);
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  check('Copy puts the draft on the clipboard', clipboard === (await firstBox.inputValue()));
  check('the copied draft is what "fbtrack appeal" prints', clipboard === expectedDraft,
    `\n--- clipboard\n${clipboard}\n--- appeal\n${expectedDraft}`);
  check('the button says it copied', (await card.locator('button.copy').first().textContent()) === 'コピーしました');
  await card.locator('details.other-drafts summary').click();
  await card.locator('details.other-drafts button.copy').first().click();
  await page.waitForTimeout(200);
  const removal = await page.evaluate(() => navigator.clipboard.readText());
  check('the removal request behind the disclosure copies as "fbtrack appeal --kind removal" prints', removal === expectedRemoval,
    `\n--- clipboard\n${removal}\n--- appeal\n${expectedRemoval}`);
  check("Amazon's sentence is in the copied removal request",
    removal.includes('発送を早めるリクエストをすることはできますが、出品者は、そのリクエストに応じる義務を負いません。'));
  await card.locator('details.other-drafts summary').click();  // closed again, as the page opened

  // The to-do list, at the top, links to each card; a click brings the card into view as :target.
  check('the to-do list comes first', await page.evaluate(() => document.querySelector('main > section').id === 'todo'));
  const links = await page.locator('#todo a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check('the to-do list links to rating cards', links.some((h) => h.startsWith('#case-')), JSON.stringify(links));
  for (const [i, href] of links.entries()) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#todo a').nth(i).click();
    await page.waitForTimeout(50);
    const reached = await page.evaluate((id) => {
      const target = document.getElementById(id);
      if (!target) return 'no element';
      const box = target.getBoundingClientRect();
      if (!target.matches(':target')) return 'not :target';
      return box.top < window.innerHeight && box.bottom > 0 ? 'ok' : `out of view at ${box.top}`;
    }, href.slice(1));
    check(`to-do link ${href} reaches its card`, reached === 'ok', reached);
  }
  await page.evaluate(() => window.scrollTo(0, 0));

  const status = await page.locator(`#case-${submittedOrder} .status`).textContent();
  check('a card marked submitted says so', status.includes('提出済み'), JSON.stringify(status));
  check('a card not marked says not submitted',
    (await page.locator('#case-503-2417785-6630118 .status').textContent()).includes('未提出'));
  check('the to-do line says so too',
    (await page.locator(`#todo a[href="#case-${submittedOrder}"]`).locator('xpath=..').textContent()).includes('提出済み'));

  // One draft stands open per card; the others wait closed, and every box shows its whole text.
  check('one open draft per card', (await page.locator('article.card .draft.first').count()) === 5);
  check('the other drafts are closed', await page.evaluate(() =>
    Array.from(document.querySelectorAll('details.other-drafts')).every((d) => !d.open)));
  const cut = await page.evaluate(() => Array.from(document.querySelectorAll('.draft.first textarea'))
    .filter((t) => t.scrollHeight > t.clientHeight + 2).map((t) => t.id));
  check('the open drafts show their whole text', cut.length === 0, JSON.stringify(cut));
  check('no inline style attributes', (await page.locator('[style]').count()) === 0);

  await page.locator('#odr thead th').nth(3).click();
  check('tables sort on a click', (await page.locator('#odr thead th').nth(3).getAttribute('aria-sort')) === 'ascending');

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'report-ja.png'), fullPage: true });

  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('no sideways scrolling at phone width', overflow <= 1, `overflow ${overflow}px`);
  await page.screenshot({ path: join(artifacts, 'report-ja-phone.png') });

  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(base + '/en');
  check('--lang en gives the English page', (await page.locator('h1').textContent()) === 'fbtrack monthly report');
  await page.screenshot({ path: join(artifacts, 'report-en.png'), fullPage: true });

  const csp = await page.evaluate(() => window.__csp);
  check('no CSP violations', csp.length === 0, JSON.stringify(csp));
  check('no console errors', problems.length === 0, JSON.stringify(problems));
  check('no request left the page', requests.every((u) => u.startsWith(base)), JSON.stringify(requests));
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
