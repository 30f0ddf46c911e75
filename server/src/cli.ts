#!/usr/bin/env node
// keepalived-lint: the same analysis and checks as the language server, from the command line.
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { nodeFileSystem } from './analysis/fs';
import { Workspace } from './analysis/workspace';
import { configFilesUnder, readConfigFile } from './analysis/read';
import type { AnalyzedFile } from './analysis/document';
import { lintFile, type LintOptions } from './checks';
import type { Severity } from './checks/rules';
import { escapeControls, formatJson, formatText, type FileReport } from './cli/format';
import { applyFixes } from './cli/fix';
import { formatSarif } from './cli/sarif';
import { parseArgs, USAGE, UsageError, type CliOptions } from './cli/options';

const VERSION = '0.1.0';
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/**
 * Runs the linter. Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage errors, unreadable
 * paths and internal errors. An internal error (an exception anywhere in the analysis) is never taken for
 * findings: it prints what failed on stderr, nothing on stdout, and exits 2.
 */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let output: string | undefined;
  let code: number;
  try {
    code = lint(argv, (s) => (output = (output ?? '') + s), err);
  } catch (e) {
    err(internalError(e));
    return 2;
  }
  if (output !== undefined) out(output);
  return code;
}

/** The message of an internal error: what failed and where, and that it is a bug, not a finding. */
export function internalError(e: unknown): string {
  const error = e instanceof Error ? e : new Error(String(e));
  const stack = (error.stack ?? `${error.name}: ${error.message}`).split('\n').slice(1, 12);
  const head = `keepalived-lint: internal error, no result (a bug in keepalived-lint, not a finding): ${error.name}: ${error.message}`;
  return [head, ...stack].map((line) => escapeControls(line)).join('\n') + '\n';
}

/** A path or note for stderr: it quotes the file system and the configs, so it may not drive the terminal. */
const shown = (s: string): string => escapeControls(s);

function lint(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`keepalived-lint: ${shown(e.message)}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    out(USAGE + '\n');
    return 0;
  }
  if (options.version) {
    out(VERSION + '\n');
    return 0;
  }
  if (options.paths.length === 0) {
    err(`keepalived-lint: no PATH given\n${USAGE}\n`);
    return 2;
  }

  let unreadable = false;
  const files = expandPaths(options.paths, (message) => {
    unreadable = true;
    err(`keepalived-lint: ${shown(message)}\n`);
  });
  // Every file given is known to the workspace, so a file included by another is read in its context.
  // The workspace works on absolute paths (so an include of the file itself is seen as a cycle);
  // reports keep the paths as the user gave them.
  const workspace = new Workspace(nodeFileSystem, {
    configId: options.configId,
    keepalivedVersion: options.keepalivedVersion,
    template: options.template,
    folders: [],
  });
  const unreadableReason = new Map<string, string>();
  for (const path of files) {
    const read = readConfigFile(path);
    if (read.ok) workspace.setDocument(resolve(path), read.text);
    else unreadableReason.set(path, read.reason);
  }
  if (options.fix) {
    const named = files.filter((f) => !unreadableReason.has(f)).map((f) => resolve(f));
    const fixed = applyFixes(workspace, named, lintOptions(options), (p) => relative(process.cwd(), p) || p);
    for (const note of fixed.notes) err(`keepalived-lint: ${shown(note)}\n`);
    // The named paths (perhaps symlinks) now read what was written.
    for (const path of named) {
      const read = readConfigFile(path);
      if (read.ok) workspace.setDocument(path, read.text);
    }
  }
  // Every configuration given together is a node of one cluster, for the failover analysis.
  const peers = [...new Set(files.map((f) => workspace.modelFor(resolve(f))).filter((m) => m !== undefined))];
  // Every file of each configuration is reported, once, under its own path: a file given on the command
  // line keeps the path as given, a file reached through an include is named the way its root was given.
  const byFile = new Map<string, FileReport & { seen: Set<string> }>();
  const report = (absolute: string, display: string, file: AnalyzedFile): void => {
    let entry = byFile.get(absolute);
    if (!entry)
      byFile.set(absolute, (entry = { file: display, lines: file.lines, diagnostics: [], seen: new Set() }));
    // A file included by two roots is read in two contexts: keep what either finds, each finding once.
    for (const d of lintFile(file, { ...lintOptions(options), peers })) {
      const key = [
        d.rule,
        d.range.start.line,
        d.range.start.character,
        d.range.end.line,
        d.range.end.character,
        d.message,
      ].join('\0');
      if (entry.seen.has(key)) continue;
      entry.seen.add(key);
      entry.diagnostics.push(d);
    }
  };
  const given = new Map<string, string>();
  for (const path of files) if (!given.has(resolve(path))) given.set(resolve(path), path);
  for (const path of files) {
    const reason = unreadableReason.get(path);
    if (reason) {
      unreadable = true;
      err(`keepalived-lint: cannot read '${shown(path)}': ${shown(reason)}\n`);
      continue;
    }
    const absolute = resolve(path);
    const model = workspace.modelFor(absolute);
    const file = model?.files.get(absolute);
    if (!model || !file) {
      unreadable = true;
      err(`keepalived-lint: cannot read '${shown(path)}'\n`);
      continue;
    }
    // The file itself first, so reports keep the order the files were given in.
    report(absolute, given.get(absolute)!, file);
    for (const [included, analyzed] of model.files) {
      if (included === absolute) continue;
      report(included, given.get(included) ?? displayPath(included, path), analyzed);
    }
  }
  const reports: FileReport[] = [...byFile].map(([path, { file, lines, diagnostics }]) => ({
    file,
    path,
    lines,
    diagnostics: diagnostics.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    ),
  }));

  out(
    options.format === 'json'
      ? formatJson(reports)
      : options.format === 'sarif'
        ? formatSarif(reports, VERSION, { baseDir: process.cwd() })
        : formatText(reports, options.color),
  );
  if (unreadable) return 2;
  const failing = reports.some((r) => r.diagnostics.some((d) => RANK[d.severity] >= RANK[options.failOn]));
  return failing ? 1 : 0;
}

function lintOptions(options: CliOptions): LintOptions {
  return {
    keepalivedVersion: options.keepalivedVersion,
    rules: options.rules,
    inlineIgnores: options.inlineIgnores,
    security: { scriptUser: options.scriptUser, thisHost: options.thisHost },
  };
}

/**
 * How a file reached through an include of `root` is named: absolute when the root was given absolute,
 * otherwise relative to the working folder when it is under it, else absolute.
 */
function displayPath(absolute: string, root: string): string {
  if (isAbsolute(root)) return absolute;
  const rel = relative(process.cwd(), absolute);
  return rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel) ? absolute : rel;
}

/** Files stay as given; folders become the config files under them. */
function expandPaths(paths: string[], onError: (message: string) => void): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      // Let readConfigFile report the precise reason.
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    // A scan that stops at its limit (MAX_FOLDER_FILES) is an error: the files after it are not checked.
    const found = configFilesUnder(path, undefined, (limit) =>
      onError(
        `stopped after the first ${limit} config files under '${path}' (MAX_FOLDER_FILES): the others were not checked`,
      ),
    );
    if (found.length === 0) onError(`no keepalived config files (*.conf, keepalived.conf*) under '${path}'`);
    for (const f of found) files.push(f);
  }
  return files;
}

if (require.main === module) {
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const argv = process.argv.slice(2);
  let code = 2;
  try {
    code = run(
      color && !argv.includes('--no-color') ? ['--color', ...argv] : argv,
      (s) => process.stdout.write(s),
      (s) => process.stderr.write(s),
    );
  } catch (e) {
    process.stderr.write(internalError(e));
  }
  process.exitCode = code;
}
