// The build's stand-in for node:crypto and node:child_process in the language server's libraries
// (scripts/build/lazy-builtins.mjs): loaded at first use, and the same module to any code that reads it,
// including TypeScript's __importStar, which copies a module's own names (vscode-languageclient does so).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script without types
import { lazyLibraryBuiltins } from '../../../scripts/build/lazy-builtins.mjs';

const IMPORT_STAR = `function __importStar(mod) {
  if (mod && mod.__esModule) return mod;
  var result = {};
  if (mod != null) for (var k in mod) if (k !== 'default' && Object.prototype.hasOwnProperty.call(mod, k)) result[k] = mod[k];
  result.default = mod;
  return result;
}`;

/** Bundles `files` (paths under a fresh folder) from `entry` with the plugin; returns the bundle's path. */
async function bundle(files: Record<string, string>, entry: string): Promise<{ out: string; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-builtins-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const out = join(dir, 'out.cjs');
  await build({
    entryPoints: [join(dir, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    plugins: [lazyLibraryBuiltins],
    logLevel: 'silent',
  });
  return { out, text: (await import('node:fs')).readFileSync(out, 'utf8') };
}

describe('lazy library builtins (esbuild plugin)', () => {
  it('loads node:child_process and node:crypto at their first use, and gives the whole module to every reader', async () => {
    const { out } = await bundle(
      {
        'node_modules/vscode-jsonrpc/lib/main.js': `${IMPORT_STAR}
const crypto = require('crypto');
const cp = require('child_process');
const loaded = (m) => process.moduleLoadList.includes('NativeModule ' + m);
const before = loaded('child_process');
const star = __importStar(cp);
module.exports = {
  before,
  after: loaded('child_process'),
  fork: typeof star.fork,
  spawnSync: typeof cp.spawnSync,
  hasFork: 'fork' in cp,
  keys: Object.keys(cp).includes('execFile'),
  bytes: crypto.randomBytes(4).length,
};`,
        'entry.js': `console.log(JSON.stringify(require('vscode-jsonrpc/lib/main.js')));`,
      },
      'entry.js',
    );
    const result = JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    expect(result).toEqual({
      before: false,
      after: true,
      fork: 'function',
      spawnSync: 'function',
      hasFork: true,
      keys: true,
      bytes: 4,
    });
  });

  it('leaves vscode-languageclient and our own code with the real modules', async () => {
    const { text } = await bundle(
      {
        'node_modules/vscode-languageclient/lib/main.js': `module.exports = require('child_process').fork;`,
        'entry.js': `require('vscode-languageclient/lib/main.js'); require('crypto');`,
      },
      'entry.js',
    );
    expect(text).not.toContain('new Proxy');
    expect(text).toContain('require("child_process")');
    expect(text).toContain('require("crypto")');
  });
});
