// The execution canary: every keyword whose value keepalived executes points at a script that would leave
// a mark if anything ran it, written literally, through a `$PARAMETER`, through `~SEQ` and from an included
// file. The engine, the CLI (with --this-host, which inspects the scripts, and --fix) and the language
// server (diagnostics and hover on every script line) all look at it; the mark must never appear, and the
// findings prove that each script was looked at.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../server/src/analysis/fs';
import { Workspace } from '../../server/src/analysis/workspace';
import { lintFile } from '../../server/src/checks';
import { KEYWORDS } from '../../server/src/schema';
import { runCli } from '../cli/run-cli';
import { TestClient, uri } from './client';

/** The block each path segment opens, with what the block needs to be read. */
const HEADERS: Record<string, string> = {
  global_defs: 'global_defs',
  vrrp_sync_group: 'vrrp_sync_group G1',
  vrrp_instance: 'vrrp_instance VI_1',
  vrrp_script: 'vrrp_script chk',
  virtual_server: 'virtual_server 192.0.2.10 80',
  real_server: 'real_server 10.0.0.1 80',
  MISC_CHECK: 'MISC_CHECK',
};

const SCRIPT_KEYWORDS = KEYWORDS.filter((k) => k.args.kind === 'script').map((k) => k.path);

/** One statement at `path` (its blocks opened around it), e.g. `vrrp_instance VI_1 {\n notify "..."\n}`. */
function nested(path: string, line: string): string {
  const segments = path.split('/');
  const name = segments.pop()!;
  const open = segments.map((s) => {
    const header = HEADERS[s];
    if (!header) throw new Error(`the canary does not know how to open '${s}' (for ${path}): add it`);
    return `${header} {`;
  });
  return [...open, `${line.replace('KEYWORD', name)}`, ...segments.map(() => '}')].join('\n');
}

describe('the execution canary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kl-canary-'));
  const mark = join(dir, 'canary-ran');
  const canary = join(dir, 'canary.sh');
  const root = join(dir, 'keepalived.conf');
  let text = '';
  /** Lines naming the canary: each gets a script-runs-as-root finding. */
  let lines = 0;

  beforeAll(() => {
    writeFileSync(canary, `#!/bin/sh\necho "$0 $*" >> ${mark}\n`);
    chmodSync(canary, 0o755);
    mkdirSync(join(dir, 'inc'));
    const forms = [
      `KEYWORD "${canary} literal"`,
      'KEYWORD "$CANARY parameter"',
      `~SEQ(n,1,2) KEYWORD "${canary} seq$n"`,
    ];
    const parts = [`$CANARY=${canary}`];
    for (const path of SCRIPT_KEYWORDS) {
      for (const form of forms) parts.push(nested(path, form));
      const included = join(dir, 'inc', `${path.replace(/\//g, '_')}.conf`);
      writeFileSync(included, nested(path, `KEYWORD "${canary} included"`) + '\n');
      lines += 4; // literal, parameter, one ~SEQ line (two scripts: one finding), included
    }
    parts.push(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id 51',
      ' priority 100',
      ' virtual_ipaddress {',
      '  192.0.2.1',
      ' }',
      ' track_script {',
      '  chk',
      ' }',
      '}',
      'vrrp_sync_group G1 {',
      ' group {',
      '  VI_1',
      ' }',
      '}',
      'include inc/*.conf',
    );
    text = parts.join('\n') + '\n';
    writeFileSync(root, text);
  });

  afterAll(() => {
    expect(existsSync(mark), existsSync(mark) ? readFileSync(mark, 'utf8') : '').toBe(false);
  });

  it('covers every keyword the schema says keepalived executes', () => {
    expect(SCRIPT_KEYWORDS.length).toBeGreaterThanOrEqual(23);
    expect(SCRIPT_KEYWORDS).toContain('vrrp_script/script');
    expect(SCRIPT_KEYWORDS).toContain('virtual_server/real_server/MISC_CHECK/misc_path');
  });

  it('the engine inspects every use (this host) and runs none', () => {
    const model = new Workspace(nodeFileSystem, { folders: [] }).modelFor(root)!;
    let rootScripts = 0;
    for (const file of model.files.values())
      for (const d of lintFile(file, { security: { thisHost: true } }))
        if (d.rule === 'script-runs-as-root') rootScripts++;
    expect(rootScripts).toBe(lines);
    expect(existsSync(mark)).toBe(false);
  });

  it('the CLI checks and fixes them and runs none', () => {
    const checked = runCli('--this-host', '--format', 'json', root);
    expect(checked.stdout).toContain('script-runs-as-root');
    const copy = join(dir, 'fixed.conf');
    writeFileSync(copy, text);
    runCli('--fix', copy);
    const spawned = spawnSync(process.execPath, [join(__dirname, '../../dist/cli.js'), '--this-host', root], {
      encoding: 'utf8',
    });
    expect(spawned.stdout).toContain('script-runs-as-root');
    expect(existsSync(mark)).toBe(false);
  });

  it('the language server diagnoses them and hovers over each, and runs none', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.open(root, text);
      const published = await client.diagnosticsFor(root, (p) =>
        p.diagnostics.some((d) => d.code === 'script-runs-as-root'),
      );
      expect(published.diagnostics.length).toBeGreaterThan(0);
      const rows = text.split('\n');
      for (let line = 0; line < rows.length; line++) {
        const at = rows[line]!.indexOf('"');
        if (at < 0) continue;
        await client.request('textDocument/hover', {
          textDocument: { uri: uri(root) },
          position: { line, character: at + 2 },
        });
      }
    } finally {
      await client.close();
    }
    expect(existsSync(mark)).toBe(false);
  }, 60_000);
});
