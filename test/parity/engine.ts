// The engine side of the parity suite (scripts/parity.mjs): lints one configuration the way the CLI
// does, in process, from server/src. scripts/parity.mjs bundles this file with esbuild at the start of
// every run (so it is always the engine of the working tree) and calls it from worker threads, which
// it terminates when a file takes too long.
import { resolve } from 'node:path';
import { nodeFileSystem } from '../../server/src/node/fs';
import { Workspace } from '../../server/src/analysis/workspace';
import { lintFile } from '../../server/src/checks';
import { machineSecurity } from '../../server/src/machine';

export interface EngineOptions {
  keepalivedVersion: string;
  /** keepalived's --config-id, as keepalived -t would use it (its default is the short host name). */
  configId?: string;
  /** --this-host: accounts and script files of this machine (the suite leaves it off). */
  thisHost?: boolean;
}

export interface EngineDiagnostic {
  line: number;
  rule: string;
  severity: string;
  message: string;
}

/** Every file of the configuration rooted at `root` (root first), with its findings; lines 1-based. */
export function lintConfig(
  root: string,
  options: EngineOptions,
): { path: string; diagnostics: EngineDiagnostic[] }[] {
  const absolute = resolve(root);
  // As the CLI: no folder scan, so the file is its own root; includes are read from disk.
  const workspace = new Workspace(nodeFileSystem, {
    configId: options.configId,
    keepalivedVersion: options.keepalivedVersion,
    folders: [],
  });
  const model = workspace.modelFor(absolute);
  if (!model) throw new Error(`cannot read ${root}`);
  const lintOptions = {
    keepalivedVersion: options.keepalivedVersion,
    // As the CLI: this machine's files, and its accounts with --this-host.
    security: { thisHost: options.thisHost ?? false, ...machineSecurity(options.thisHost ?? false) },
  };
  const out: { path: string; diagnostics: EngineDiagnostic[] }[] = [];
  for (const [path, file] of model.files) {
    const diagnostics = lintFile(file, lintOptions).map((d) => ({
      line: d.range.start.line + 1,
      rule: d.rule,
      severity: d.severity,
      message: d.message,
    }));
    out.push({ path, diagnostics });
  }
  return out;
}
