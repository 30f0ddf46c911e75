// Runs every check over an analysed file and turns findings into diagnostics: rule severity (with user
// overrides), suppressions, LSP ranges. Pure: same input, same output.
import type { AnalyzedFile } from '../analysis/document';
import type { Range } from '../syntax/position';
import type { Finding, Fix } from './finding';
import type { Severity, SeverityOrOff } from './rules';
import { FAMILIES, RULES } from './families';
import type { Check, LineContext, RatedFinding } from './family';
import { Suggester } from './suggest';
import { collectSuppressions, isSuppressed } from './suppress';
import type { ConfigModel } from '../analysis/model';
import { readingOrder } from '../analysis/reading-order';
import { tooManyNodes } from '../analysis/cluster';
import type { FileFinding } from './finding';
import type { SecurityOptions } from './security-options';
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

type CheckOver<O extends Check['over']> = Extract<Check, { over: O }>['check'];

// The families' checks by what they run over, in FAMILIES order: sorted once, run for every input.
const LINE_CHECKS: CheckOver<'line'>[] = [];
const FILE_CHECKS: CheckOver<'file'>[] = [];
const CONFIGURATION_CHECKS: CheckOver<'configuration'>[] = [];
const MACHINE_CHECKS: CheckOver<'machine'>[] = [];
const NODE_CHECKS: CheckOver<'nodes'>[] = [];
for (const family of FAMILIES) {
  for (const c of family.checks) {
    switch (c.over) {
      case 'line':
        LINE_CHECKS.push(c.check);
        break;
      case 'file':
        FILE_CHECKS.push(c.check);
        break;
      case 'configuration':
        CONFIGURATION_CHECKS.push(c.check);
        break;
      case 'machine':
        MACHINE_CHECKS.push(c.check);
        break;
      case 'nodes':
        NODE_CHECKS.push(c.check);
        break;
    }
  }
}

/** Configuration-wide findings are computed once per model and shared by its files. */
const modelFindings = new WeakMap<ConfigModel, FileFinding[]>();

function findingsOfModel(model: ConfigModel): FileFinding[] {
  let found = modelFindings.get(model);
  if (!found) {
    // The passes that replay keepalived's reading share one sort of the lines.
    const order = readingOrder(model);
    found = [];
    for (const check of CONFIGURATION_CHECKS) append(found, check(model, order));
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

/** A trie over the node checks' result arrays (each check caches its own per set of nodes). */
interface Joined {
  found?: FileFinding[];
  next: WeakMap<FileFinding[], Joined>;
}

const joinedClusterFindings: Joined = { next: new WeakMap() };

/**
 * Cluster findings are per set of nodes: computed once, shared by every file of every node. Their
 * concatenation is made once per set of results, so it is one array to group by file (findingsIn).
 */
function clusterFindingsOf(peers: ConfigModel[], keepalivedVersion: string | undefined): FileFinding[] {
  const parts = NODE_CHECKS.map((check) => check(peers, keepalivedVersion));
  let node = joinedClusterFindings;
  for (const part of parts) {
    let next = node.next.get(part);
    if (!next) node.next.set(part, (next = { next: new WeakMap() }));
    node = next;
  }
  if (!node.found) {
    node.found = [];
    for (const part of parts) append(node.found, part);
  }
  return node.found;
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
  const found: FileFinding[] = [];
  for (const check of MACHINE_CHECKS) append(found, check(model, options));
  securityFindings.set(model, { options, found });
  return found;
}

export function findingsOf(file: AnalyzedFile, options: LintOptions): RatedFinding[] {
  // append(), not push(...): a spread of a large array overflows the stack (~120,000 findings).
  const out: RatedFinding[] = [];
  for (const check of FILE_CHECKS) append(out, check(file, options));
  append(out, findingsIn(findingsOfModel(file.model), file.path));
  append(out, findingsIn(securityFindingsOf(file.model, securityOptions(options)), file.path));
  // The cluster: the configurations checked together, or this one alone (its `@id` variants are nodes).
  // Too many to be one cluster, each is judged alone, as when it is linted on its own: the cross-node
  // checks are missing (the CLI and the server say so), the checks of one node's own lines are not.
  const peers = options.peers && clusterMembers(options.peers).has(file.model) ? options.peers : [file.model];
  append(out, findingsIn(clusterFindingsOf(peers, options.keepalivedVersion), file.path));
  const context: LineContext = { keepalivedVersion: options.keepalivedVersion, suggester: new Suggester() };
  for (const placed of file.placed) {
    if (placed.inactive) continue;
    for (const check of LINE_CHECKS) append(out, check(placed, context));
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
