// The in-process side of `npm run fuzz` (scripts/fuzz.mjs bundles this file with esbuild at the start
// of a run and calls it from a worker thread). One mutant goes through what the editor and the CLI do with
// a file: read as keepalived reads it (in memory: nothing on disk is read, nothing is ever executed), every
// check, the unattended fixes and a re-check of the fixed text, and the editor features at a few
// positions. Any exception is a crash; broken invariants are reported as crashes too.
import { MemoryFileSystem } from '../../server/src/analysis/fs';
import { UNKNOWN_HOST } from '../../server/src/analysis/host';
import type { ConfigModel } from '../../server/src/analysis/model';
import { Workspace } from '../../server/src/analysis/workspace';
import { lintFile, type Diagnostic, type LintOptions } from '../../server/src/checks';
import { applyEdits, preferredEdits } from '../../server/src/checks/fixes';
import { completions } from '../../server/src/features/completion';
import { documentSymbols } from '../../server/src/features/doc-symbols';
import { formatDocument } from '../../server/src/features/format';
import { hover } from '../../server/src/features/hover';
import { semanticTokens } from '../../server/src/features/semantic-tokens';

const ROOT = '/fuzz/keepalived.conf';
/** Files the mutant can include, so that include lines lead somewhere. */
const SIBLINGS: Record<string, string> = {
  '/fuzz/conf.d/chk.conf': 'vrrp_script chk {\n  script "/usr/local/bin/chk"\n  interval 2\n}\n',
  '/fuzz/conf.d/vs.conf':
    'virtual_server 192.0.2.10 80 {\n  lb_kind NAT\n  real_server 10.0.0.1 80 {\n  }\n}\n',
};

export interface FuzzResult {
  diagnostics: number;
  fixedDiagnostics: number;
}

/** Runs one mutant through the engine; positions are offsets in the text to ask features about. */
export function fuzzOne(text: string, positions: number[]): FuzzResult {
  const fs = new MemoryFileSystem({ ...SIBLINGS, [ROOT]: text });
  const options: LintOptions = { security: { host: UNKNOWN_HOST, fs, thisHost: false } };
  // One model for the checks and the editor features, as the server keeps one per configuration.
  const model = modelOf(fs);
  const diagnostics = lintAll(model, fs, options);
  const file = model.files.get(ROOT);
  if (!file) throw new Error('the mutant was not read');
  const env = { fs, host: UNKNOWN_HOST, thisHost: false };
  const completionEnv = { users: () => ['root'], interfaces: () => ['eth0'], listDir: () => [] };
  for (const offset of positions) {
    const at = file.lines.positionAt(Math.min(offset, text.length));
    hover(file, at, env);
    completions(file, at, completionEnv);
  }
  semanticTokens(file);
  documentSymbols(file);
  formatDocument(text, { tabSize: 4, insertSpaces: true });

  // The unattended fixes (what --fix applies), then the fixed text checked again.
  const textOf = (path: string) => (path === ROOT ? text : SIBLINGS[path]);
  let fixedDiagnostics = 0;
  for (const { file: path, edits } of preferredEdits(diagnostics, textOf)) {
    if (path !== ROOT) continue;
    const fixed = applyEdits(text, edits);
    const fixedFs = new MemoryFileSystem({ ...SIBLINGS, [ROOT]: fixed });
    fixedDiagnostics = lintAll(modelOf(fixedFs), fixedFs, options).length;
  }
  return { diagnostics: diagnostics.length, fixedDiagnostics };
}

function modelOf(fs: MemoryFileSystem): ConfigModel {
  const model = new Workspace(fs, { folders: [] }).modelFor(ROOT);
  if (!model) throw new Error('the mutant was not read');
  return model;
}

function lintAll(model: ConfigModel, fs: MemoryFileSystem, options: LintOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of model.files.values()) {
    for (const d of lintFile(file, { ...options, security: { ...options.security, fs } })) {
      if (d.offsets.start < 0 || d.offsets.end > file.text.length || d.offsets.start > d.offsets.end)
        throw new Error(`${d.rule} has offsets ${d.offsets.start}-${d.offsets.end} outside the text`);
      if (!d.message) throw new Error(`${d.rule} has no message`);
      out.push(d);
    }
  }
  return out;
}
