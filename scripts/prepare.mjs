// npm's `prepare` script: builds dist/ when the package is installed from git (pre-commit installs the
// hook this way, `npm install -g git+file://...`). npm is meant to install the devDependencies first,
// but for a global install from git it runs `prepare` in a folder without them; then they are installed
// here (locally, without scripts) before building. In a normal checkout they are there already.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/esbuild')) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_global$/i.test(key)) delete env[key];
  const npm = process.env['npm_execpath'];
  const args = [
    'install',
    '--global=false',
    '--include=dev',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--no-save',
  ];
  const r = npm
    ? spawnSync(process.execPath, [npm, ...args], { stdio: 'inherit', env })
    : spawnSync('npm', args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import('../esbuild.mjs');
