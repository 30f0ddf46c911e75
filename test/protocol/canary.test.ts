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
import { nodeFileSystem } from '../../server/src/node/fs';
import { Workspace } from '../../server/src/analysis/workspace';
import { lintFile } from '../../server/src/checks';
import { machineSecurity } from '../../server/src/machine';
import { KEYWORDS } from '../../server/src/schema';
import { runCli } from '../cli/run-cli';
import { TestClient, uri } from './client';

/** The block each path segment opens (numbered, so that no block is a duplicate keepalived skips). */
const HEADERS: Record<string, (k: number) => string> = {
  global_defs: () => 'global_defs',
  vrrp_sync_group: (k) => `vrrp_sync_group G${k} {\n group {\n  VI_${k}\n }`,
  vrrp_instance: (k) => `vrrp_instance VI_${k}`,
  vrrp_script: (k) => `vrrp_script chk${k}`,
  virtual_server: (k) => `virtual_server 192.0.2.${k} 80`,
  real_server: () => 'real_server 10.0.0.1 80',
  MISC_CHECK: () => 'MISC_CHECK',
};

const SCRIPT_KEYWORDS = KEYWORDS.filter((k) => k.args.kind === 'script').map((k) => k.path);

/** One statement at `path` with its blocks opened around it, plus what those blocks need to be kept. */
function nested(path: string, line: string, k: number): string {
  const segments = path.split('/');
  const name = segments.pop()!;
  const open = segments.map((s) => {
    const header = HEADERS[s];
    if (!header) throw new Error(`the canary does not know how to open '${s}' (for ${path}): add it`);
    return header(k).includes('{') ? header(k) : `${header(k)} {`;
  });
  const needs =
    segments[0] === 'vrrp_sync_group' || segments[0] === 'vrrp_script'
      ? [
          `vrrp_instance VI_${k} {`,
          ' interface eth0',
          ` virtual_router_id ${k}`,
          ` virtual_ipaddress {\n  192.0.2.${k}\n }`,
          ...(segments[0] === 'vrrp_script' ? [` track_script {\n  chk${k}\n }`] : []),
          '}',
        ]
      : [];
  return [...needs, ...open, line.replace('KEYWORD', name), ...segments.map(() => '}')].join('\n');
}

describe('the execution canary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kl-canary-'));
  const mark = join(dir, 'canary-ran');
  const canary = join(dir, 'canary.sh');
  /** One configuration per way of naming the canary, each using every script keyword once. */
  const forms: Record<string, string> = {
    literal: `KEYWORD "${canary} literal"`,
    parameter: 'KEYWORD "$CANARY parameter"',
    seq: `~SEQ(n,1,2) KEYWORD "${canary} seq$n"`,
    included: `KEYWORD "${canary} included"`,
  };
  const roots = Object.keys(forms).map((form) => join(dir, `${form}.conf`));
  const texts = new Map<string, string>();

  beforeAll(() => {
    writeFileSync(canary, `#!/bin/sh\necho "$0 $*" >> ${mark}\n`);
    chmodSync(canary, 0o755);
    mkdirSync(join(dir, 'inc'));
    for (const [form, line] of Object.entries(forms)) {
      const blocks = SCRIPT_KEYWORDS.map((path, i) => nested(path, line, i + 1));
      let text: string;
      if (form === 'included') {
        blocks.forEach((b, i) => writeFileSync(join(dir, 'inc', `${i}.conf`), b + '\n'));
        text = 'include inc/*.conf\n';
      } else text = [`$CANARY=${canary}`, ...blocks].join('\n') + '\n';
      texts.set(join(dir, `${form}.conf`), text);
      writeFileSync(join(dir, `${form}.conf`), text);
    }
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
    for (const root of roots) {
      const model = new Workspace(nodeFileSystem, { folders: [] }).modelFor(root)!;
      let rootScripts = 0;
      for (const file of model.files.values())
        for (const d of lintFile(file, { security: { thisHost: true, ...machineSecurity(true) } }))
          if (d.rule === 'script-runs-as-root') rootScripts++;
      // One finding per line naming the canary (the ~SEQ line makes two scripts on one line).
      expect(rootScripts, root).toBe(SCRIPT_KEYWORDS.length);
    }
    expect(existsSync(mark)).toBe(false);
  });

  it('the CLI checks and fixes them and runs none', () => {
    const checked = runCli('--this-host', '--format', 'json', ...roots);
    expect(checked.stdout).toContain('script-runs-as-root');
    for (const [root, text] of texts) {
      const copy = root.replace(/\.conf$/, '.fixed.conf');
      writeFileSync(copy, text);
      runCli('--fix', copy);
    }
    const spawned = spawnSync(
      process.execPath,
      [join(__dirname, '../../dist/cli.js'), '--this-host', ...roots],
      {
        encoding: 'utf8',
      },
    );
    expect(spawned.stdout).toContain('script-runs-as-root');
    expect(existsSync(mark)).toBe(false);
  });

  it('the language server diagnoses them and hovers over each, and runs none', async () => {
    const client = new TestClient();
    try {
      await client.initialize(dir);
      // The included form's scripts are in inc/*.conf: those are the documents to open.
      const documents = [...texts].filter(([root]) => !root.endsWith('included.conf'));
      for (let i = 0; i < SCRIPT_KEYWORDS.length; i++) {
        const path = join(dir, 'inc', `${i}.conf`);
        documents.push([path, readFileSync(path, 'utf8')]);
      }
      for (const [root, text] of documents) {
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
      }
    } finally {
      await client.close();
    }
    expect(existsSync(mark)).toBe(false);
  }, 60_000);
});
