// Drives `fbtrack serve` in Debian's headless Chromium as a seller would: every page in Japanese
// and in English at phone and desktop width (no console errors, no CSP violations, no sideways
// scrolling at 390 px, no English sentence or raw code on the Japanese pages), Copy putting exactly
// what `fbtrack appeal` prints on the clipboard, the removal request's status round trip, files
// dropped on the import page importing as `fbtrack import` does, a closed period added and
// removed, finding a rating by its last digits, a fresh shop's setup form, and no request leaving
// 127.0.0.1. The CLI (--json) is the reference for what the pages changed.
// Usage: node serve_test.mjs FBTRACK_BINARY SAMPLES_DIR ARTIFACT_DIR
// Exit: 0 pass, 1 fail, 77 skip (no Chromium or no playwright-core here).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
const started = Date.now();

let passed = 0;
let failed = 0;
// Each check names what a seller relies on; a failure prints what was found.
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name} ${detail}`); }
}

// The words of the pages, from the data directory beside the samples (the binary reads the same).
const templates = join(samples, '..', 'templates');
const words = {
  ja: JSON.parse(readFileSync(join(templates, 'web.ja.json'), 'utf8')),
  en: JSON.parse(readFileSync(join(templates, 'web.en.json'), 'utf8')),
};

const work = mkdtempSync(join(tmpdir(), 'fbtrack-serve-'));
const env = { ...process.env, HOME: work, LANG: 'C.UTF-8' };
const today = '2026-10-31';
function run(db, args, { ok = true } = {}) {
  const r = spawnSync(fbtrack, ['--db', db, '--today', today, ...args], { encoding: 'utf8', env });
  if (ok && r.status !== 0) throw new Error(`fbtrack ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}
const out = (db, args) => run(db, args).stdout;
const json = (db, args) => JSON.parse(out(db, [...args, '--json']));
const shopOptions = ['--marketplace', 'jp', '--name', 'さくら雑貨', '--staff', '田中', '--own-addresses', 'shop@sakura-zakka.example'];
function newShop(name, initArgs) {
  const dir = join(work, name);
  mkdirSync(dir);
  const db = join(dir, 'shop.db');
  out(db, ['init', ...initArgs]);
  return db;
}

const sampleFiles = readdirSync(samples).filter((f) => !f.startsWith('.')).sort();
const shop = newShop('main', shopOptions);
out(shop, ['import', samples]);
const emptyShop = newShop('dropped', shopOptions);
const cliShop = newShop('cli', shopOptions);
out(cliShop, ['import', ...sampleFiles.map((f) => join(samples, f))]);
let unnamedShop;
{
  const dir = join(work, 'unnamed');
  mkdirSync(dir);
  unnamedShop = join(dir, 'shop.db');
  // `init` wants --name when no terminal asks: the unnamed shop is the one `serve` creates itself
  // (a jp shop, as `status --json` says of a new database).
  const r = run(unnamedShop, ['init', '--marketplace', 'jp'], { ok: false });
  if (r.status !== 0) rmSync(unnamedShop, { force: true });
}

// One `fbtrack serve` per shop; its first stdout line is the address with the token.
const servers = [];
async function serve(db, extra = []) {
  const child = spawn(fbtrack, ['--db', db, '--today', today, ...extra, 'serve', '--port', '0', '--no-open'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ? signal : code)));
  const url = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no address: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      buffer += d;
      const m = buffer.match(/^fbtrack serve: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)\s*$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`serve ended: ${stderr}`)); });
  });
  const server = { url, base: new URL(url).origin, child, exited, stderr: () => stderr };
  servers.push(server);
  return server;
}
async function stop(server) {
  server.child.kill('SIGTERM');
  const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('still running'), 10000))]);
  if (code === 'still running') server.child.kill('SIGKILL');
  return code;
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const requests = [];
// A context per server, with the listeners every page needs: console errors, page errors,
// dialogs and CSP violations land in `problems`, every request in `requests`.
async function open(server, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'ja-JP' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  context.on('request', (r) => requests.push(r.url()));
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${page.url()}: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`${page.url()}: ${err}`));
  page.on('dialog', async (dialog) => { problems.push(`dialog: ${dialog.message()}`); await dialog.dismiss(); });
  const response = await page.goto(server.url);
  check(`the token address opens today's page (${server.base})`, response.ok() && new URL(page.url()).pathname === '/',
    `${response.status()} ${page.url()}`);
  return { context, page, problems };
}
// What a seller reads: the rendered text, drafts (textarea values) left out.
const visibleText = (page) => page.evaluate(() => document.body.innerText);
const cspOf = (page) => page.evaluate(() => window.__csp || []);

// The UI sentences of one language (parts between {{…}} long enough to be telling).
function sentences(lang) {
  const other = lang === 'ja' ? 'en' : 'ja';
  const found = new Set();
  for (const [key, value] of Object.entries(words[lang])) {
    if (key.startsWith('_') || value === words[other][key]) continue;
    for (const part of value.split(/\{\{[^}]*\}\}/)) {
      const p = part.trim();
      if (lang === 'en' ? p.split(/\s+/).length >= 3 : p.length >= 6) found.add(p);
    }
  }
  return [...found];
}
const englishSentences = sentences('en');
const japaneseSentences = sentences('ja');
const codePattern = /\b[a-z]+_[a-z_]+\b/g;

const order = '503-2417785-6630118';
const pages = [
  ['/', 'title_today'], ['/ratings', 'title_ratings'], [`/ratings/${order}`, 'title_rating'],
  ['/requests', 'title_requests'], ['/import', 'title_import'], ['/report', 'title_report'],
  ['/report/view?month=2026-10', null], ['/calendar', 'title_calendar'], ['/shop', 'title_shop'],
  ['/shops', 'title_shops'], ['/mail', 'title_mail'],
];
const slug = (path) => (path === '/' ? 'today' : path.slice(1).replace(/[/?=]/g, '_'));

try {
  mkdirSync(artifacts, { recursive: true });
  const main = await serve(shop);
  const { context, page, problems } = await open(main);
  const base = main.base;

  // 1. Every page, in Japanese then (by the header's button) in English, at 390 px and 1280 px.
  for (const lang of ['ja', 'en']) {
    if (lang === 'en') {
      await page.goto(base + '/');
      await Promise.all([page.waitForNavigation(), page.locator('header form.lang button').click()]);
      check('the language button switches to English', (await page.getAttribute('html', 'lang')) === 'en',
        `${await page.getAttribute('html', 'lang')} at ${page.url()}`);
    }
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, titleKey] of pages) {
        const where = `${lang} ${width}px ${path}`;
        const before = problems.length;
        const response = await page.goto(base + path);
        check(`${where}: HTTP 200`, response.status() === 200, String(response.status()));
        check(`${where}: html lang is ${lang}`, (await page.getAttribute('html', 'lang')) === lang,
          String(await page.getAttribute('html', 'lang')));
        const csp = await cspOf(page);
        check(`${where}: no CSP violation`, csp.length === 0, JSON.stringify(csp));
        check(`${where}: no console error`, problems.length === before, JSON.stringify(problems.slice(before)));
        if (titleKey) {
          const h1 = (await page.locator('main h1').first().textContent().catch(() => '')).trim();
          check(`${where}: heading is "${words[lang][titleKey]}"`, h1 === words[lang][titleKey], JSON.stringify(h1));
        }
        if (width === 390) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
          check(`${where}: no sideways scrolling`, overflow <= 391, `scrollWidth ${overflow}px`);
          await page.screenshot({ path: join(artifacts, `serve-${lang}-${slug(path)}-390.png`), fullPage: true });
          if (path === '/ratings') {
            // An order ID is what a seller matches with Seller Central: one line, not a column of digits.
            const broken = await page.locator('ul.ratings .order').evaluateAll((spans) => spans
              .filter((el) => el.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(el).lineHeight))
              .map((el) => el.textContent));
            check(`${where}: order IDs read on one line`, broken.length === 0, JSON.stringify(broken));
          }
        } else {
          const text = await visibleText(page);
          if (lang === 'ja') {
            const english = englishSentences.filter((s) => text.includes(s));
            check(`${where}: no English UI sentence`, english.length === 0, JSON.stringify(english));
            const codes = text.match(codePattern) || [];
            check(`${where}: no raw code in the text`, codes.length === 0, JSON.stringify([...new Set(codes)]));
          } else {
            const japanese = japaneseSentences.filter((s) => text.includes(s));
            check(`${where}: no Japanese UI sentence`, japanese.length === 0, JSON.stringify(japanese));
          }
          if (path === '/requests' && lang === 'ja') {
            const dangling = text.split('\n').filter((line) => /·\s*·|·\s*$/.test(line));
            check(`${lang} ${path}: no dangling separators`, dangling.length === 0, JSON.stringify(dangling));
          }
          if (path === '/') {
            const nav = await page.locator('header nav a').allTextContents();
            check(`${where}: the menu is in ${lang}`, nav.includes(words[lang].nav_today) && nav.includes(words[lang].nav_ratings)
              && nav.includes(words[lang].nav_import), JSON.stringify(nav));
          }
        }
      }
    }
    if (lang === 'en') {
      await page.goto(base + '/');
      await Promise.all([page.waitForNavigation(), page.locator('header form.lang button').click()]);
      check('the language button switches back to Japanese', (await page.getAttribute('html', 'lang')) === 'ja');
    }
  }
  // The report form and the download.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + '/report');
  const monthField = page.locator('main form [name=month]').first();
  if (await monthField.count()) {
    await monthField.evaluate((el, v) => { if (el.tagName === 'SELECT') el.value = v; else el.value = v; }, '2026-10');
    // The report opens beside the pages, in a tab of its own (it has no menu back to them).
    const [tab] = await Promise.all([context.waitForEvent('page'),
      page.locator('main form button[type=submit], main form button:not([type])').first().click()]);
    await tab.waitForLoadState();
    check('the report form opens /report/view?month=2026-10 in a new tab', tab.url().endsWith('/report/view?month=2026-10'), tab.url());
    await tab.close();
  } else {
    check('the report page has a month field', false);
  }
  const download = await context.request.get(base + '/report/download?month=2026-10');
  check('/report/download gives the report as a file', download.status() === 200
    && /attachment/.test(download.headers()['content-disposition'] || ''),
    `${download.status()} ${download.headers()['content-disposition']}`);

  // 2. Copy puts exactly what `fbtrack appeal` prints on the clipboard.
  const expectedDraft = out(shop, ['appeal', order, '--kind', 'reply', '--lang', 'ja']);
  await page.goto(`${base}/ratings/${order}`);
  await page.locator('button[data-copy]').first().click();
  await page.waitForTimeout(200);
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  // `appeal` prints the draft as it is, adding no newline of its own: the draft's text ends with
  // one (the page's textarea value ends with it too), so nothing is trimmed.
  check('Copy puts exactly what "fbtrack appeal --kind reply --lang ja" prints on the clipboard (nothing trimmed)',
    clipboard === expectedDraft, `\n--- clipboard\n${JSON.stringify(clipboard)}\n--- appeal\n${JSON.stringify(expectedDraft)}`);
  check('the copied draft is the first draft box', clipboard === (await page.locator('textarea').first().inputValue()));
  check('the Copy button says it copied', (await page.locator('button[data-copy]').first().textContent()).trim()
    === (await page.locator('button[data-copy]').first().getAttribute('data-done')));

  // 3. The removal request's status, through the page, as `feedback --json` sees it.
  const appealOf = () => json(shop, ['feedback']).find((f) => f.order_id === order)?.appeal;
  const expected = {
    submitted: (a) => a != null && a.submitted_on === today && a.outcome == null,
    removed: (a) => a != null && a.outcome === 'removed',
    not_submitted: (a) => a == null,
  };
  for (const outcome of ['submitted', 'removed', 'not_submitted']) {
    await page.goto(`${base}/ratings/${order}`);
    const form = page.locator('form.outcome', { has: page.locator('select[name=outcome]') });
    await form.locator('select[name=outcome]').selectOption(outcome);
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const notice = (await page.locator('.notice').allTextContents()).join(' ');
    check(`status ${outcome}: the page says it is saved`, notice.includes(words.ja.notice_outcome_saved), JSON.stringify(notice));
    check(`status ${outcome}: the select shows it`, (await page.locator('select[name=outcome]').inputValue()) === outcome);
    const appeal = appealOf();
    check(`status ${outcome}: feedback --json's appeal agrees`, expected[outcome](appeal), JSON.stringify(appeal));
  }

  // 5. A closed period added on the page, then removed with its button; `calendar --json` (2026 and
  // 2027) is the reference. The jp shop may already close 年末年始 by itself: count our range's days.
  const rangeDays = () => [2026, 2027].flatMap((y) => json(shop, ['calendar', '--year', String(y)]))
    .filter((d) => (d.kinds || []).includes('range'))
    .flatMap((d) => d.reasons.filter((r) => r.includes('年末年始')).map(() => d.date));
  const beforeRange = rangeDays();
  await page.goto(base + '/calendar');
  const rangesBefore = await page.locator('ul.ranges li').count();
  await page.fill('form.closed-add input[name=from]', '2026-12-29');
  await page.fill('form.closed-add input[name=to]', '2027-01-03');
  await page.fill('form.closed-add input[name=label]', '年末年始');
  await Promise.all([page.waitForNavigation(), page.locator('form.closed-add button[type=submit]').click()]);
  check('calendar: the page says closed days were added',
    (await page.locator('.notice').allTextContents()).join(' ').includes(words.ja.notice_closed_added));
  const added = rangeDays().slice();
  for (const d of beforeRange) { const i = added.indexOf(d); if (i >= 0) added.splice(i, 1); }
  const wanted = ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'];
  check('calendar --json lists 2026-12-29 to 2027-01-03 as 年末年始', JSON.stringify(added.sort()) === JSON.stringify(wanted),
    `new range days ${JSON.stringify(added)}`);
  check('calendar page lists one more closed period', (await page.locator('ul.ranges li').count()) === rangesBefore + 1);
  const ours = page.locator('ul.ranges li').filter({ hasText: '2027-01-03' });
  check('calendar page shows the new period once', (await ours.count()) === 1, `${await ours.count()} rows`);
  await Promise.all([page.waitForNavigation(), ours.first().locator('button[type=submit]').click()]);
  check('calendar: the page says closed days were removed',
    (await page.locator('.notice').allTextContents()).join(' ').includes(words.ja.notice_closed_removed));
  const afterRemove = rangeDays();
  check('calendar --json is as before once the period is removed', JSON.stringify(afterRemove) === JSON.stringify(beforeRange),
    `before ${JSON.stringify(beforeRange)} after ${JSON.stringify(afterRemove)}`);
  check('calendar page lists the periods it listed before', (await page.locator('ul.ranges li').count()) === rangesBefore);

  // 6. Finding a rating by the last 7 digits; the list marks each rating with its order ID.
  await page.goto(base + '/ratings');
  check('the ratings list marks ratings with data-order-id', (await page.locator('li.rating[data-order-id]').count()) > 0);
  await page.fill('input[name=order]', '6630118');
  await Promise.all([page.waitForNavigation(), page.locator('form.filters button[type=submit]').click()]);
  check('the last 7 digits lead to the rating', new URL(page.url()).pathname === `/ratings/${order}`, page.url());
  check('the rating page carries its order ID', (await page.locator(`article[data-order-id="${order}"]`).count()) === 1);
  check('main server: no console error on the interactions', problems.length === 0, JSON.stringify(problems));
  await context.close();
  check('serve stops on SIGTERM with exit 0', (await stop(main)) === 0, main.stderr());

  // 4. The sample month dropped on an empty shop's import page imports as `fbtrack import` does.
  const dropped = await serve(emptyShop);
  {
    const { context: c, page: p, problems: probs } = await open(dropped);
    await p.goto(dropped.base + '/import');
    const files = sampleFiles.map((name) => ({ name, b64: readFileSync(join(samples, name)).toString('base64') }));
    await Promise.all([
      p.waitForURL(/\/import\/result\/\d+$/, { timeout: 30000 }),
      p.evaluate((list) => {
        const dt = new DataTransfer();
        for (const f of list) {
          const bytes = Uint8Array.from(atob(f.b64), (ch) => ch.charCodeAt(0));
          dt.items.add(new File([bytes], f.name, { type: 'application/octet-stream' }));
        }
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
        }
      }, files),
    ]).catch(async (e) => { check('the drop reaches the result page', false, `${e.message} progress: ${await p.locator('#import-progress').textContent().catch(() => '?')}`); });
    if (/\/import\/result\/\d+$/.test(p.url())) {
      check('the drop reaches the result page', true);
      await p.screenshot({ path: join(artifacts, 'serve-ja-import-result-1280.png'), fullPage: true });
      check('the result page shows no error', (await p.locator('section.error').count()) === 0,
        await p.locator('section.error').textContent().catch(() => ''));
      const items = await p.locator('ul.files li').allInnerTexts();
      for (const name of sampleFiles) {
        const item = items.find((t) => t.split('\n')[0].trim() === name) || '';
        const notRecognised = [words.ja.file_unreadable, words.ja.file_passed_over, words.ja.file_known]
          .map((s) => s.split('{{')[0]).some((s) => item.includes(s));
        check(`the result page lists ${name} as recognised`, item !== '' && !notRecognised, JSON.stringify(item));
      }
      // What each file is, in Japanese: not "Unshipped Orders report (…) · unshipped".
      const english = items.flatMap((t) => t.split('\n').slice(1)).flatMap((line) => line.match(/[A-Za-z]+(?:[ -][A-Za-z]+)+/g) || []);
      check('the Japanese import result names the files in Japanese', english.length === 0, JSON.stringify(english));
      check('the result page shows the checklist table', (await p.locator('table.checklist tbody tr').count()) > 0);
      await p.setViewportSize({ width: 390, height: 900 });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth);
      check('the result page: no sideways scrolling at 390 px', overflow <= 391, `scrollWidth ${overflow}px`);
      await p.screenshot({ path: join(artifacts, 'serve-ja-import-result-390.png'), fullPage: true });
    }
    const counts = (db) => { const s = json(db, ['status']); return ['orders', 'order_items', 'shipments', 'feedback', 'messages'].map((k) => `${k}=${s[k]}`).join(' '); };
    check('status --json counts of the dropped shop equal those of `fbtrack import`', counts(emptyShop) === counts(cliShop),
      `dropped: ${counts(emptyShop)} / cli: ${counts(cliShop)}`);
    const fbDropped = out(emptyShop, ['feedback', '--json']);
    const fbCli = out(cliShop, ['feedback', '--json']);
    check('feedback --json of the dropped shop equals that of `fbtrack import`', fbDropped === fbCli,
      fbDropped.length + ' vs ' + fbCli.length + ' characters');
    check('import server: no console error or CSP violation', probs.length === 0 && (await cspOf(p)).length === 0,
      JSON.stringify([...probs, ...(await cspOf(p))]));
    await c.close();
    await stop(dropped);
  }

  // 8. A shop without a name asks for one on Today; saving it names the header.
  const unnamed = await serve(unnamedShop);
  {
    const { context: c, page: p, problems: probs } = await open(unnamed, 390);
    check('a fresh unnamed shop shows the setup form on Today', (await p.locator('#setup form').count()) === 1);
    await p.screenshot({ path: join(artifacts, 'serve-ja-setup-390.png'), fullPage: true });
    await p.fill('#setup input[name=name]', 'もみじ堂');
    await Promise.all([p.waitForNavigation(), p.locator('#setup button[type=submit]').click()]);
    check('after saving the name the setup form is gone', (await p.locator('#setup').count()) === 0, p.url());
    check('the header shows the shop name', (await p.locator('header .shop').textContent()).trim() === 'もみじ堂',
      JSON.stringify(await p.locator('header .shop').textContent()));
    check('setup: no console error or CSP violation', probs.length === 0 && (await cspOf(p)).length === 0,
      JSON.stringify([...probs, ...(await cspOf(p))]));
    await c.close();
    await stop(unnamed);
  }

  // 7. Not one request left 127.0.0.1.
  const away = requests.filter((u) => !u.startsWith('data:') && new URL(u).hostname !== '127.0.0.1');
  check(`no request left 127.0.0.1 (${requests.length} requests)`, away.length === 0, JSON.stringify(away));
} finally {
  await browser.close();
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed === 0 ? 0 : 1);
