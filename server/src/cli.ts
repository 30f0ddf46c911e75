#!/usr/bin/env node
// keepalived-lint: the same analysis and checks as the language server, from the command line.
import { tooManyNodes } from './analysis/cluster';
import { MAX_CLUSTER_NODES, MAX_FOLDER_DEPTH, MAX_FOLDER_FILES } from './analysis/budget';
import { scanConfigFiles } from './analysis/folder-scan';
import { statSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { nodeFileSystem } from './node/fs';
import { Workspace } from './analysis/workspace';
import { readConfigFile } from './node/read';
import type { AnalyzedFile } from './analysis/document';
import { lintFile, type LintOptions } from './checks';
import type { Severity } from './checks/rules';
import { escapeControls, formatJson, formatText, type FileReport } from './cli/format';
import { applyFixes } from './cli/fix';
import { isTerminal, outputTo } from './cli/output';
import { formatSarif } from './cli/sarif';
import { formatGithub } from './cli/github';
import { formatGitlab } from './cli/gitlab';
import { formatRdjson } from './cli/rdjson';
import { applyBaseline, baselineOf, formatBaseline, parseBaseline } from './cli/baseline';
import { parseArgs, USAGE, UsageError, type CliOptions } from './cli/options';
import { TOOL_VERSION } from './version';
import {
  flagSettings,
  mergeSettings,
  settingsDiagnostics,
  SettingsFiles,
  SETTINGS_RULE,
  type ProjectSettings,
  type ResolvedSettings,
  type SettingsFile,
} from './settings-file';
import { LineIndex } from './syntax/position';
import { explainFailover } from './cli/explain';
import { machineSecurity } from './machine';

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
    out(TOOL_VERSION + '\n');
    return 0;
  }
  if (options.paths.length === 0) {
    err(`keepalived-lint: no PATH given\n${USAGE}\n`);
    return 2;
  }

  let unreadable = false;
  const expanded = expandPaths(options.paths, (message) => {
    unreadable = true;
    err(`keepalived-lint: ${shown(message)}\n`);
  });
  // Each config's project settings (the file found upward from it, or --settings), with the flags on top.
  const project = projectSettings(options);
  const explicitly = new Set(options.paths.map((p) => resolve(p)));
  const files = expanded.filter((path) => {
    const { ignored, file } = project.resolve(resolve(path));
    if (ignored && explicitly.has(resolve(path)))
      err(`keepalived-lint: '${shown(path)}' is not checked: ${shown(file!.path)} ignores it\n`);
    return !ignored;
  });
  // Every file given is known to the workspace of its settings' config id and version, so a file
  // included by another is read in its context. The workspaces work on absolute paths (so an include of
  // the file itself is seen as a cycle); reports keep the paths as the user gave them.
  const workspaces = new Map<string, Workspace>();
  const workspaceOf = (absolute: string): Workspace => {
    const { configId, keepalivedVersion, template } = project.settingsOf(absolute);
    const key = `${configId ?? ''}\0${keepalivedVersion ?? ''}\0${template ?? ''}`;
    let ws = workspaces.get(key);
    if (!ws)
      workspaces.set(
        key,
        (ws = new Workspace(nodeFileSystem, { configId, keepalivedVersion, template, folders: [] })),
      );
    return ws;
  };
  const unreadableReason = new Map<string, string>();
  for (const path of files) {
    const read = readConfigFile(path);
    if (read.ok) workspaceOf(resolve(path)).setDocument(resolve(path), read.text);
    else unreadableReason.set(path, read.reason);
  }
  // A file of a configuration is checked with its own rules and script settings, and with the version
  // its configuration is read for (the root's).
  const lintOptionsFor = (path: string, root = path): LintOptions => ({
    ...lintOptions(options, project.settingsOf(path)),
    keepalivedVersion: project.settingsOf(root).keepalivedVersion,
  });
  if (options.fix) {
    const named = files.filter((f) => !unreadableReason.has(f)).map((f) => resolve(f));
    for (const [, ws] of workspaces) {
      const own = named.filter((f) => workspaceOf(f) === ws);
      if (own.length === 0) continue;
      const fixed = applyFixes(
        ws,
        own,
        (p) => lintOptionsFor(p),
        (p) => relative(process.cwd(), p) || p,
        // Not an option users need: the --fix harness (scripts/fix-parity.mjs) runs one round at a time
        // to hold each round's changes to the edits that round's findings offered.
        Number(process.env.KEEPALIVED_LINT_FIX_ROUNDS) || undefined,
      );
      for (const note of fixed.notes) err(`keepalived-lint: ${shown(note)}\n`);
    }
    // The named paths (perhaps symlinks) now read what was written.
    for (const path of named) {
      const read = readConfigFile(path);
      if (read.ok) workspaceOf(path).setDocument(path, read.text);
    }
  }
  const modelOf = (absolute: string) => workspaceOf(absolute).modelFor(absolute);
  // Every configuration given together is a node of one cluster, for the failover analysis.
  const peers = [...new Set(files.map((f) => modelOf(resolve(f))).filter((m) => m !== undefined))];
  if (tooManyNodes(peers))
    err(
      `keepalived-lint: ${peers.length} configurations given together are more than the ${MAX_CLUSTER_NODES} nodes one cluster analysis takes (MAX_CLUSTER_NODES): the cross-node checks are not run; give each cluster's nodes together\n`,
    );
  if (options.explainFailover) {
    out(explainFailover(peers, options.format === 'json', (p) => displayPath(p, relative(process.cwd(), p))));
    return unreadable ? 2 : 0;
  }
  // Every file of each configuration is reported, once, under its own path: a file given on the command
  // line keeps the path as given, a file reached through an include is named the way its root was given.
  const byFile = new Map<string, FileReport & { seen: Set<string> }>();
  const report = (absolute: string, display: string, file: AnalyzedFile, root: string): void => {
    if (absolute !== root && project.resolve(absolute).ignored) return;
    let entry = byFile.get(absolute);
    if (!entry)
      byFile.set(absolute, (entry = { file: display, lines: file.lines, diagnostics: [], seen: new Set() }));
    // A file included by two roots is read in two contexts: keep what either finds, each finding once.
    for (const d of lintFile(file, { ...lintOptionsFor(absolute, root), peers })) {
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
    const model = modelOf(absolute);
    const file = model?.files.get(absolute);
    if (!model || !file) {
      unreadable = true;
      err(`keepalived-lint: cannot read '${shown(path)}'\n`);
      continue;
    }
    // The file itself first, so reports keep the order the files were given in.
    report(absolute, given.get(absolute)!, file, absolute);
    for (const [included, analyzed] of model.files) {
      if (included === absolute) continue;
      report(included, given.get(included) ?? displayPath(included, path), analyzed, absolute);
    }
  }
  // A settings file with problems is reported like a config, and (at its default severity, error) fails
  // the run with exit code 2: the configs under it were checked without what is at fault.
  for (const settingsFile of project.used()) {
    const diagnostics = settingsDiagnostics(settingsFile, options.rules[SETTINGS_RULE]);
    if (diagnostics.length === 0) continue;
    if (diagnostics.some((d) => d.severity === 'error')) unreadable = true;
    byFile.set(settingsFile.path, {
      file: displayPath(settingsFile.path, '.'),
      lines: new LineIndex(settingsFile.text),
      diagnostics,
      seen: new Set(),
    });
  }
  const sorted: FileReport[] = [...byFile].map(([path, { file, lines, diagnostics }]) => ({
    file,
    path,
    lines,
    diagnostics: diagnostics.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    ),
  }));

  let reports = sorted;
  if (options.writeBaseline !== undefined) {
    try {
      writeFileSync(options.writeBaseline, formatBaseline(baselineOf(reports, options.writeBaseline)));
    } catch (e) {
      err(
        `keepalived-lint: cannot write the baseline '${shown(options.writeBaseline)}': ${shown((e as Error).message)}\n`,
      );
      return 2;
    }
  }
  const baselinePath = options.writeBaseline ?? options.baseline;
  if (baselinePath !== undefined) {
    const read = readConfigFile(baselinePath);
    const baseline = read.ok ? parseBaseline(read.text) : { error: read.reason };
    if ('error' in baseline) {
      err(`keepalived-lint: cannot use the baseline '${shown(baselinePath)}': ${shown(baseline.error)}\n`);
      return 2;
    }
    const applied = applyBaseline(reports, baseline, baselinePath);
    reports = applied.reports;
    if (applied.known)
      err(
        `keepalived-lint: ${applied.known} finding${applied.known === 1 ? '' : 's'} recorded in the baseline not reported\n`,
      );
    if (applied.gone)
      err(
        `keepalived-lint: ${applied.gone} finding${applied.gone === 1 ? '' : 's'} of the baseline no longer found (fixed or edited); --write-baseline drops ${applied.gone === 1 ? 'it' : 'them'}\n`,
      );
  }

  out(formatReports(options, reports));
  if (unreadable) return 2;
  const failing = reports.some((r) => r.diagnostics.some((d) => RANK[d.severity] >= RANK[options.failOn]));
  return failing ? 1 : 0;
}

function formatReports(options: CliOptions, reports: FileReport[]): string {
  const cwd = process.cwd();
  switch (options.format) {
    case 'json':
      return formatJson(reports);
    case 'sarif':
      return formatSarif(reports, TOOL_VERSION, { baseDir: cwd });
    case 'github':
      return formatGithub(reports, cwd);
    case 'gitlab':
      return formatGitlab(reports, cwd);
    case 'rdjson':
      return formatRdjson(reports, cwd);
    default:
      return formatText(reports, options.color);
  }
}

function lintOptions(options: CliOptions, settings: ProjectSettings): LintOptions {
  return {
    keepalivedVersion: settings.keepalivedVersion,
    rules: settings.rules,
    inlineIgnores: options.inlineIgnores,
    security: {
      scriptUser: settings.scriptUser,
      thisHost: settings.thisHost ?? false,
      ...machineSecurity(settings.thisHost ?? false),
    },
  };
}

/**
 * The project settings of each config: from --settings, or the settings file found upward from it (none
 * with --no-settings), its overrides for that config, and the command-line flags on top.
 */
function projectSettings(options: CliOptions) {
  const found = new SettingsFiles(nodeFileSystem);
  const explicit = typeof options.settings === 'string' ? found.load(resolve(options.settings)) : undefined;
  const flags = flagSettings(options);
  const used = new Set<SettingsFile>();
  if (explicit) used.add(explicit);
  const resolved = new Map<string, ResolvedSettings>();
  const resolveFor = (absolute: string): ResolvedSettings => {
    let r = resolved.get(absolute);
    if (!r) {
      r = options.settings === false ? { ignored: false, settings: {} } : found.resolve(absolute, explicit);
      r = { ...r, settings: mergeSettings(r.settings, flags) };
      if (r.file) used.add(r.file);
      resolved.set(absolute, r);
    }
    return r;
  };
  return {
    resolve: resolveFor,
    settingsOf: (absolute: string): ProjectSettings => resolveFor(absolute).settings,
    /** The settings files read so far. */
    used: (): SettingsFile[] => [...used],
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
    const scan = scanConfigFiles(nodeFileSystem, path, {
      maxFiles: MAX_FOLDER_FILES,
      maxDepth: MAX_FOLDER_DEPTH,
    });
    if (scan.truncated)
      onError(
        `stopped after the first ${MAX_FOLDER_FILES} config files under '${path}' (MAX_FOLDER_FILES): the others were not checked`,
      );
    const found = scan.files;
    if (found.length === 0) onError(`no keepalived config files (*.conf, keepalived.conf*) under '${path}'`);
    for (const f of found) files.push(f);
  }
  return files;
}

if (require.main === module) {
  const color = isTerminal(1) && !process.env['NO_COLOR'];
  const stdout = outputTo(1);
  const stderr = outputTo(2);
  const argv = process.argv.slice(2);
  let code = 2;
  try {
    code = run(color && !argv.includes('--no-color') ? ['--color', ...argv] : argv, stdout, stderr);
  } catch (e) {
    stderr(internalError(e));
  }
  process.exitCode = code;
}
