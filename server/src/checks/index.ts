// Runs every check over an analysed file and turns findings into diagnostics: rule severity (with user
// overrides), suppressions, LSP ranges. Pure: same input, same output.
import type { AnalyzedFile } from '../analysis/document';
import type { Range } from '../syntax/position';
import type { Finding, Fix } from './finding';
import { RULES, type Severity, type SeverityOrOff } from './rules';
import { Suggester } from './suggest';
import { checkKeyword, checkSequences, checkSyntax, checkUnterminatedQuotes } from './structure';
import { collectSuppressions, isSuppressed } from './suppress';
import { checkValues } from './values';
import type { ConfigModel } from '../analysis/model';
import { checkConsistency } from './consistency';
import { checkConsequences } from './consequences';
import { checkParamCycles } from './param-cycles';
import { readingOrder } from '../analysis/reading-order';
import { checkVirtualServers } from './virtual-servers';
import { checkInstanceHandlers } from './instance-handlers';
import { checkInstanceRequired } from './instance-required';
import { checkSettings } from './settings';
import { checkStrictMode } from './strict-mode';
import { checkFailover } from './failover';
import { checkCluster } from './cluster';
import { tooManyNodes } from '../analysis/cluster';
import { checkReferences, type FileFinding } from './references';
import { checkSecurity, type SecurityOptions } from './security';
import { EMPTY_FILE_SYSTEM } from '../analysis/fs';
import { UNKNOWN_HOST } from '../analysis/host';
import { DEFAULT_SCRIPT_USER } from '../analysis/scripts';
import { append, MAX_FINDINGS_PER_RULE } from '../analysis/budget';

/**
 * The script checks' view of the machine is given by the caller: the edges pass this machine's
 * (server/src/machine.ts), tests their own. Without one nothing is assumed: unknown accounts, no files.
 */
export function securityOptions(options: LintOptions): SecurityOptions {
  const thisHost = options.security?.thisHost ?? false;
  return {
    host: options.security?.host ?? UNKNOWN_HOST,
    fs: options.security?.fs ?? EMPTY_FILE_SYSTEM,
    scriptUser: options.security?.scriptUser ?? DEFAULT_SCRIPT_USER,
    thisHost,
    keepalivedVersion: options.keepalivedVersion,
    volatileDirs: options.security?.volatileDirs,
  };
}

export interface LintOptions {
  /** Configurations of the other nodes (each root given together): enables failover analysis. */
  peers?: ConfigModel[];
  /** How script checks see the machine; defaults: unknown accounts, no files, keepalived_script. */
  security?: Partial<SecurityOptions>;
  keepalivedVersion?: string;
  /** Rule id -> severity or 'off'. */
  rules?: Record<string, SeverityOrOff>;
  /** Honour `# keepalived-lint: ignore=...` comments (default true). */
  inlineIgnores?: boolean;
}

export interface Diagnostic {
  file: string;
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Offsets into the file's text, for fixes and features. */
  offsets: { start: number; end: number };
  fixes?: Fix[];
  tags?: Finding['tags'];
}

/** Configuration-wide findings are computed once per model and shared by its files. */
const modelFindings = new WeakMap<ConfigModel, FileFinding[]>();

function findingsOfModel(model: ConfigModel): FileFinding[] {
  let found = modelFindings.get(model);
  if (!found) {
    // The two passes that replay keepalived's reading share one sort of the lines.
    const order = readingOrder(model);
    found = append(
      append(append(checkReferences(model), checkConsistency(model)), checkConsequences(model)),
      append(
        append(append(checkVirtualServers(model), checkStrictMode(model)), checkSettings(model)),
        append(
          append(checkParamCycles(model, order), checkInstanceHandlers(model, order)),
          checkInstanceRequired(model),
        ),
      ),
    );
    modelFindings.set(model, found);
  }
  return found;
}

/** A configuration's findings by file, grouped once (filtering per file would be files x findings). */
const groupedFindings = new WeakMap<FileFinding[], Map<string, FileFinding[]>>();

function findingsIn(found: FileFinding[], path: string): FileFinding[] {
  let byFile = groupedFindings.get(found);
  if (!byFile) {
    byFile = new Map();
    for (const f of found) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    groupedFindings.set(found, byFile);
  }
  return byFile.get(path) ?? [];
}

/** The members of a set of peers that is one cluster (none when tooManyNodes), once per array. */
const members = new WeakMap<ConfigModel[], Set<ConfigModel>>();

function clusterMembers(peers: ConfigModel[]): Set<ConfigModel> {
  let set = members.get(peers);
  if (!set) members.set(peers, (set = tooManyNodes(peers) ? new Set() : new Set(peers)));
  return set;
}

/** Cluster findings are per set of nodes: computed once, shared by every file of every node. */
const clusterFindings = new WeakMap<FileFinding[], WeakMap<FileFinding[], FileFinding[]>>();

function clusterFindingsOf(peers: ConfigModel[], keepalivedVersion: string | undefined): FileFinding[] {
  const failover = checkFailover(peers);
  const consistency = checkCluster(peers, keepalivedVersion);
  let byConsistency = clusterFindings.get(failover);
  if (!byConsistency) clusterFindings.set(failover, (byConsistency = new WeakMap()));
  let found = byConsistency.get(consistency);
  if (!found) byConsistency.set(consistency, (found = append(append([], failover), consistency)));
  return found;
}

/** Script findings are per configuration too: computed once for all its files, per security setting. */
const securityFindings = new WeakMap<ConfigModel, { options: SecurityOptions; found: FileFinding[] }>();

function securityFindingsOf(model: ConfigModel, options: SecurityOptions): FileFinding[] {
  const cached = securityFindings.get(model);
  const same =
    cached &&
    cached.options.host === options.host &&
    cached.options.fs === options.fs &&
    cached.options.scriptUser === options.scriptUser &&
    cached.options.thisHost === options.thisHost &&
    cached.options.keepalivedVersion === options.keepalivedVersion &&
    cached.options.volatileDirs === options.volatileDirs;
  if (same) return cached.found;
  const found = checkSecurity(model, options);
  securityFindings.set(model, { options, found });
  return found;
}

export function findingsOf(file: AnalyzedFile, options: LintOptions): (Finding & { severity?: Severity })[] {
  // append(), not push(...): a spread of a large array overflows the stack (~120,000 findings).
  const out: (Finding & { severity?: Severity })[] = checkSyntax(file, options);
  append(out, findingsIn(findingsOfModel(file.model), file.path));
  append(out, findingsIn(securityFindingsOf(file.model, securityOptions(options)), file.path));
  // The cluster: the configurations checked together, or this one alone (its `@id` variants are nodes).
  // Too many to be one cluster, each is judged alone, as when it is linted on its own: the cross-node
  // checks are missing (the CLI and the server say so), the checks of one node's own lines are not.
  const peers = options.peers && clusterMembers(options.peers).has(file.model) ? options.peers : [file.model];
  append(out, findingsIn(clusterFindingsOf(peers, options.keepalivedVersion), file.path));
  const suggester = new Suggester();
  for (const placed of file.placed) {
    if (placed.inactive) continue;
    append(out, checkUnterminatedQuotes(placed));
    if (placed.statement.sequences.length) append(out, checkSequences(placed));
    if (placed.role === 'keyword') append(out, checkKeyword(placed, options, suggester));
    append(out, checkValues(placed, options.keepalivedVersion));
  }
  return out;
}

export function lintFile(file: AnalyzedFile, options: LintOptions = {}): Diagnostic[] {
  const collected =
    options.inlineIgnores === false ? undefined : collectSuppressions(file.tree.comments, file.lines);
  // Without directives nothing is suppressed, and a finding's range is only needed when it is listed.
  const suppressions =
    collected && (collected.file.size > 0 || collected.lines.size > 0) ? collected : undefined;
  const diagnostics: Diagnostic[] = [];
  const findings = findingsOf(file, options);
  // MAX_FINDINGS_PER_RULE: the first ones of each rule in the file (in document order) are listed, the
  // rest summed up in one analysis-limit finding where the first unlisted one is.
  if (findings.length > MAX_FINDINGS_PER_RULE) findings.sort((a, b) => a.start - b.start);
  const reshaped = reshapedLines(file);
  const perRule = new Map<string, number>();
  const unlisted = new Map<string, { count: number; first: Finding }>();
  for (const f of findings) {
    const configured = options.rules?.[f.rule];
    if (configured === 'off') continue;
    const rule = RULES.get(f.rule);
    // A user's explicit severity wins; otherwise an uncertain finding may lower the rule's default.
    const severity: Severity = configured ?? f.severity ?? rule?.severity ?? 'error';
    // Offsets mapped back from an expanded line can run past the text: a finding always stays inside it.
    const length = file.text.length;
    if (f.start > length || f.end > length || f.start < 0 || f.end < f.start) {
      const start = Math.min(Math.max(0, f.start), length);
      Object.assign(f, { start, end: Math.min(Math.max(start, f.end), length) });
    }
    const range = suppressions ? file.lines.range(f.start, f.end) : undefined;
    if (suppressions && isSuppressed(suppressions, f.rule, range!.start.line)) continue;
    const listed = (perRule.get(f.rule) ?? 0) + 1;
    perRule.set(f.rule, listed);
    if (listed > MAX_FINDINGS_PER_RULE) {
      const over = unlisted.get(f.rule);
      if (over) over.count++;
      else unlisted.set(f.rule, { count: 1, first: f });
      continue;
    }
    diagnostics.push({
      file: file.path,
      rule: f.rule,
      severity,
      message: f.message,
      range: range ?? file.lines.range(f.start, f.end),
      offsets: { start: f.start, end: f.end },
      fixes: f.fixes?.length && !editsReshaped(reshaped, f) ? f.fixes : undefined,
      tags: f.tags,
    });
  }
  const limitSeverity = options.rules?.['analysis-limit'];
  for (const [id, { count, first }] of unlisted) {
    if (limitSeverity === 'off') break;
    const range = file.lines.range(first.start, first.end);
    if (suppressions && isSuppressed(suppressions, 'analysis-limit', range.start.line)) continue;
    diagnostics.push({
      file: file.path,
      rule: 'analysis-limit',
      severity: limitSeverity ?? 'warning',
      message: `${count} more '${id}' findings in this file, from here on, are not listed: the linter lists the first ${MAX_FINDINGS_PER_RULE} of each rule per file (MAX_FINDINGS_PER_RULE).`,
      range,
      offsets: { start: first.start, end: first.end },
    });
  }
  return diagnostics.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

/**
 * Lines whose parameters change their shape (analysis/expand-lines.ts): what is found there may come from
 * a parameter's value, so no fix edits them (an edit at the use would rewrite `$NAME`, not the value).
 */
function reshapedLines(file: AnalyzedFile): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const p of file.placed) {
    if (!p.expandedFrom) continue;
    const s = p.statement;
    spans.push({ start: s.keyword.start, end: (s.args[s.args.length - 1] ?? s.keyword).end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

function editsReshaped(spans: { start: number; end: number }[], f: Finding): boolean {
  if (spans.length === 0) return false;
  return (
    inReshaped(spans, f.start) ||
    (f.fixes ?? []).some((fix) =>
      fix.edits.some((e) => inReshaped(spans, e.start) || inReshaped(spans, e.end)),
    )
  );
}

/** Binary search over the spans, sorted by start and disjoint (one per line). */
function inReshaped(spans: { start: number; end: number }[], at: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = spans[mid]!;
    if (at < x.start) hi = mid - 1;
    else if (at > x.end) lo = mid + 1;
    else return true;
  }
  return false;
}
