// Drives a running code-server with Playwright + Debian's Chromium (started by scripts/e2e/run.sh):
//   (a) runs the extension-host suite (test/e2e/suite) through the URL `payload` and takes its exit code
//       from window.codeAutomationExit;
//   (b) in a normal workbench: opens keepalived.conf from the explorer, checks the language mode, the
//       TextMate colouring (DOM token classes and the scope inspector), hovers and completion, and takes the
//       screenshots of docs/images/ (warning.png, hover.png, completion.png).
// Exit code 0 only if every step passed. Inputs come from the environment (see run.sh).
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('E2E_URL'); // http://127.0.0.1:PORT
const PLAYWRIGHT = env('E2E_PLAYWRIGHT'); // folder of the playwright-core package
const RUN = env('E2E_RUN'); // scratch folder of this run (browser profiles, failure screenshots)
const SUITE_WS = env('E2E_SUITE_WORKSPACE');
const UI_WS = env('E2E_UI_WORKSPACE');
const EXT_DEV = env('E2E_EXTENSION_PATH');
const TESTS = env('E2E_TESTS_PATH');
const REPORT = env('E2E_REPORT', '');
const SHOTS = env('E2E_SCREENSHOTS');
const BROWSER = env('E2E_CHROMIUM', '/usr/bin/chromium');
const SUITE_TIMEOUT = Number(env('E2E_SUITE_TIMEOUT_MS', '240000'));
const only = env('E2E_ONLY', ''); // 'suite' or 'ui' to run one phase

const { chromium } = await import(pathToFileURL(join(PLAYWRIGHT, 'index.mjs')).href);
const authority = new URL(BASE).host;
const remote = (path) => `vscode-remote://${authority}${path}`;

const failures = [];
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (...args) => console.log(`[drive ${elapsed()}]`, ...args);

async function launch(name) {
  const profile = join(RUN, `chromium-${name}`);
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: BROWSER,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => log(`page error (${name}): ${e.message}`));
  return { context, page };
}

/** Phase (a): the extension-host suite; resolves with the exit code the workbench reports. */
async function runSuite() {
  const { context, page } = await launch('suite');
  try {
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
    // The extension host's console (the suite prints each test): kept, and shown when the suite fails
    // without a report or with E2E_VERBOSE=1.
    const hostLog = [];
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = Array.isArray(message) ? message.join(' ') : String(message);
      hostLog.push(`  [ext-host ${level}] ${text}`);
      if (process.env.E2E_VERBOSE === '1') console.log(hostLog.at(-1));
    });
    const payload = [
      ['extensionDevelopmentPath', remote(EXT_DEV)],
      ['extensionTestsPath', remote(TESTS)],
    ];
    const url = `${BASE}/?folder=${encodeURIComponent(SUITE_WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log('suite: opening the workbench with the test payload');
    await page.goto(url);
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT)));
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      console.log(hostLog.join('\n'));
      await page.screenshot({ path: join(RUN, 'suite-timeout.png') }).catch(() => {});
      throw new Error(`the extension-host suite did not finish in ${SUITE_TIMEOUT} ms`);
    }
    log(`suite: codeAutomationExit(${code})`);
    if (REPORT && existsSync(REPORT)) {
      const report = JSON.parse(readFileSync(REPORT, 'utf8'));
      log(
        `suite: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped in ${report.ms} ms (VS Code ${report.vscodeVersion})`,
      );
      for (const r of report.results) {
        const mark = { passed: '✓', failed: '✗', skipped: '-' }[r.status];
        console.log(`    ${mark} ${r.name}${r.note ? ` — ${r.note}` : ''}`);
        if (r.error) console.log(`        ${r.error.split('\n').slice(0, 6).join('\n        ')}`);
      }
      if (code === 0 && report.failed !== 0) throw new Error('exit code 0 but the report has failures');
    } else if (REPORT) {
      console.log(hostLog.join('\n'));
      throw new Error(`the suite wrote no report to ${REPORT}`);
    }
    if (code !== 0) throw new Error(`the extension-host suite exited with code ${code}`);
  } finally {
    await context.close();
  }
}

/** Runs one UI step; on failure records it and saves a screenshot of the moment. */
async function step(page, name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    log(`ui: ✓ ${name}${detail ? ` — ${detail}` : ''} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    const shot = join(RUN, `failed-${name.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    failures.push(`ui: ${name}: ${e.message}`);
    log(`ui: ✗ ${name}: ${e.message.split('\n')[0]} (screenshot ${shot})`);
    return false;
  }
}

/** The rendered spans of the editor's view line that contains `marker`. */
function lineSpans(page, marker) {
  return page.evaluate((marker) => {
    const lines = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')];
    const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(marker));
    if (!line) return null;
    return [...line.querySelectorAll('span[class*="mtk"]')].map((s) => ({
      text: s.textContent.replace(/\u00a0/g, ' '),
      cls: [...s.classList].find((c) => /^mtk\d+$/.test(c)),
      color: getComputedStyle(s).color,
    }));
  }, marker);
}

/** The screen box of `fragment` on the view line containing `marker` (measured with a DOM range). */
async function boxOf(page, marker, fragment) {
  const box = await page.evaluate(
    ([marker, fragment]) => {
      const lines = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')];
      const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(marker));
      if (!line) return null;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let text = '';
      const nodes = [];
      while (walker.nextNode()) {
        nodes.push({ node: walker.currentNode, start: text.length });
        text += walker.currentNode.textContent.replace(/\u00a0/g, ' ');
      }
      const at = text.indexOf(fragment, text.indexOf(marker));
      if (at < 0) return null;
      const locate = (offset) => {
        const n = [...nodes].reverse().find((x) => x.start <= offset);
        return [n.node, offset - n.start];
      };
      const range = document.createRange();
      range.setStart(...locate(at));
      range.setEnd(...locate(at + fragment.length - 1));
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    [marker, fragment],
  );
  if (!box) throw new Error(`'${fragment}' is not rendered on the line of '${marker}'`);
  return box;
}

async function hoverOn(page, marker, fragment, expect) {
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);
  await page
    .locator('.monaco-hover:visible')
    .first()
    .waitFor({ state: 'hidden', timeout: 5000 })
    .catch(() => {});
  const box = await boxOf(page, marker, fragment);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const hover = page.locator('.monaco-hover:visible', { hasText: expect }).first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  // Let the hover finish laying out (it grows as its contents render).
  await page.waitForTimeout(300);
  return (await hover.innerText()).replace(/\s+/g, ' ');
}

/** The TextMate scopes of `fragment` as "Developer: Inspect Editor Tokens and Scopes" shows them. */
async function inspectScopes(page, marker, fragment) {
  const box = await boxOf(page, marker, fragment);
  await page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('>Developer: Inspect Editor Tokens and Scopes');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Inspect Editor Tokens and Scopes' })
    .first()
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  const widget = page.locator('.token-inspect-widget', { hasText: 'source.keepalived' });
  await widget.waitFor({ timeout: 15_000 });
  const text = (await widget.innerText()).replace(/\s+/g, ' ');
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  const scopes = /textmate scopes (.*?source\.keepalived)/i.exec(text)?.[1];
  if (!scopes) throw new Error(`no TextMate scopes in the inspector: ${text}`);
  return scopes;
}

/** Phase (b): the extension as a user sees it. */
async function runUi() {
  mkdirSync(SHOTS, { recursive: true });
  const { context, page } = await launch('ui');
  try {
    log('ui: opening the workbench');
    await page.goto(`${BASE}/?folder=${encodeURIComponent(UI_WS)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    const opened = await step(page, 'open keepalived.conf from the explorer', async () => {
      const item = page.getByRole('treeitem', { name: /keepalived\.conf/ });
      if (!(await item.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+E');
      await item.waitFor({ timeout: 30_000 });
      await item.click();
      await page
        .locator('.monaco-editor .view-lines', { hasText: 'vrrp_instance VI_NGINX' })
        .waitFor({ timeout: 30_000 });
    });
    if (!opened) return;

    await step(page, 'status bar language mode is keepalived', async () => {
      const mode = page.locator('[id="status.editor.mode"]');
      await mode.filter({ hasText: /keepalived/i }).waitFor({ timeout: 30_000 });
      return `status bar: "${(await mode.innerText()).trim()}"`;
    });

    await step(page, 'grammar colours vrrp_instance, MASTER, the comment and numbers', async () => {
      // mtk1 is the theme's default foreground: text the grammar gives no colour. Tokenization is
      // asynchronous, so poll until every token is rendered with a class.
      const probe = () =>
        page.evaluate(() => {
          const lines = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')];
          const classOf = (span) => span && [...span.classList].find((c) => /^mtk\d+$/.test(c));
          const find = (marker, token) => {
            const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(marker));
            return classOf(
              line && [...line.querySelectorAll('span')].find((s) => s.textContent.trim() === token),
            );
          };
          const commentLine = lines.find((l) =>
            l.textContent.replace(/\u00a0/g, ' ').includes('nginx failover pair'),
          );
          return {
            vrrp_instance: find('vrrp_instance VI_NGINX', 'vrrp_instance'),
            MASTER: find('state MASTER', 'MASTER'),
            state: find('state MASTER', 'state'),
            number: find('priority 101', '101'),
            comment: classOf(commentLine?.querySelector('span[class*="mtk"]')),
            plain: find('router_id nginx_master', 'nginx_master'),
          };
        });
      const deadline = Date.now() + 20_000;
      let classes = await probe();
      while (!(Object.values(classes).every(Boolean) && classes.vrrp_instance !== 'mtk1')) {
        if (Date.now() > deadline)
          throw new Error(`tokens not coloured within 20 s: ${JSON.stringify(classes)}`);
        await page.waitForTimeout(200);
        classes = await probe();
      }
      const coloured = ['vrrp_instance', 'MASTER', 'state', 'number', 'comment'];
      for (const name of coloured) {
        if (classes[name] === 'mtk1') throw new Error(`${name} is not coloured: ${JSON.stringify(classes)}`);
        if (classes[name] === classes.plain)
          throw new Error(`${name} has the class of plain text: ${JSON.stringify(classes)}`);
      }
      if (classes.comment === classes.vrrp_instance)
        throw new Error(`the comment and the keyword share a colour: ${JSON.stringify(classes)}`);
      const spans = await lineSpans(page, 'state MASTER');
      return `${JSON.stringify(classes)}; 'state MASTER' line: ${spans.map((s) => `${s.text.trim() || '␠'}=${s.color}`).join(' ')}`;
    });

    await step(page, 'warning squiggle on the script line, hover shows the root warning', async () => {
      await page.locator('.squiggly-warning').first().waitFor({ state: 'attached', timeout: 30_000 });
      const text = await hoverOn(page, 'script "/usr/bin/pgrep -x nginx"', 'pgrep', 'runs as root');
      if (!text.includes('script-runs-as-root')) throw new Error(`hover lacks the rule id: ${text}`);
      // Wait until the hover is complete: the server's own hover of the script (who runs it) and the quick
      // fixes are listed, nothing is loading any more (judged on the visible text).
      const hover = page.locator('.monaco-hover:visible', { hasText: 'runs as root' }).first();
      const deadline = Date.now() + 15_000;
      let visible = await hover.innerText();
      while (
        !/else as root/.test(visible) ||
        !/Quick Fix/.test(visible) ||
        /Loading\.\.\.|Checking for/.test(visible)
      ) {
        if (Date.now() > deadline)
          throw new Error(`the hover did not complete: ${visible.replace(/\s+/g, ' ')}`);
        await page.waitForTimeout(200);
        visible = await hover.innerText();
      }
      await page.screenshot({ path: join(SHOTS, 'warning.png') });
      return text.slice(0, 140);
    });

    await step(page, 'hover on priority documents 1..255', async () => {
      const text = await hoverOn(page, 'priority 101', 'priority', '255');
      return text.slice(0, 120);
    });

    await step(page, 'hover on chk_nginx in track_script shows who runs the script', async () => {
      const text = await hoverOn(page, '        chk_nginx', 'chk_nginx', 'Runs as');
      if (!/as root/.test(text)) throw new Error(`hover does not say root: ${text}`);
      await page.screenshot({ path: join(SHOTS, 'hover.png') });
      return text.slice(0, 140);
    });

    await step(page, 'scope inspector: TextMate scopes of a keyword, a value and a comment', async () => {
      const found = [];
      for (const [marker, fragment, expected] of [
        ['vrrp_instance VI_NGINX', 'vrrp_instance', /^keyword\.other\.block\.keepalived/],
        ['state MASTER', 'MASTER', /^constant\.language\.keepalived/],
        ['nginx failover pair', 'failover', /^comment\.line\.number-sign\.keepalived/],
      ]) {
        const scopes = await inspectScopes(page, marker, fragment);
        if (!expected.test(scopes))
          throw new Error(`'${fragment}' has scopes '${scopes}', expected ${expected}`);
        found.push(`${fragment}: ${scopes}`);
      }
      return found.join(' | ');
    });

    await step(page, 'Ctrl+Space inside vrrp_instance lists nopreempt', async () => {
      await page.keyboard.press('Escape');
      const box = await boxOf(page, 'priority 101', '101');
      await page.mouse.click(box.x + box.width + 2, box.y + box.height / 2);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+Space');
      const widget = page.locator('.suggest-widget.visible');
      await widget.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
      await page.keyboard.type('nopre');
      const row = widget.locator('.monaco-list-row', { hasText: 'nopreempt' }).first();
      await row.waitFor({ timeout: 10_000 });
      const rows = await widget.locator('.monaco-list-row').allInnerTexts();
      // Show the documentation of the focused item next to the list.
      if (
        !(await widget
          .locator('.suggest-details-container .suggest-details')
          .isVisible()
          .catch(() => false))
      )
        await page.keyboard.press('Control+Space');
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SHOTS, 'completion.png') });
      await page.keyboard.press('Escape');
      return `rows: ${rows.map((r) => r.split('\n')[0]).join(', ')}`;
    });
  } finally {
    await context.close();
  }
}

try {
  if (only !== 'ui') {
    try {
      await runSuite();
    } catch (e) {
      failures.push(`suite: ${e.message}`);
      log(`suite: ✗ ${e.message}`);
    }
  }
  if (only !== 'suite') await runUi();
} catch (e) {
  failures.push(`driver: ${e.stack ?? e.message}`);
}
if (failures.length) {
  console.log(`\nE2E FAILED (${elapsed()}):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log('all end-to-end checks passed');
process.exit(0);
