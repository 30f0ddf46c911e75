// Runs the extension-host suite in desktop VS Code downloaded by @vscode/test-electron (2.5.x):
// `npm run test:vscode`. Needs internet access to update.code.visualstudio.com the first time (the download
// is cached in .vscode-test/); on machines without it use scripts/e2e/run.sh (code-server) instead.
// Environment: VSCODE_VERSION (default 'stable'; e.g. 1.91.0, the oldest version package.json accepts).
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

const extensionTestsPath = await buildSuite();
const tmp = mkdtempSync(join(tmpdir(), 'keepalived-e2e-'));
const workspace = join(tmp, 'workspace');
mkdirSync(workspace);
cpSync(
  join(root, 'examples', 'nginx-failover', 'keepalived-master.conf'),
  join(workspace, 'keepalived.conf'),
);
// The recognition checks (suite/recognition.e2e.ts): an included conf.d file, a template, an nginx file.
cpSync(join(root, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
const userData = join(tmp, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
  }),
);

let code = 1;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath,
    extensionTestsEnv: { KEEPALIVED_E2E_REPORT: join(tmp, 'report.json') },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      userData,
    ],
  });
} catch (e) {
  console.error(`VS Code tests failed: ${e instanceof Error ? e.message : e}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
