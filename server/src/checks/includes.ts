// Include findings, stated as keepalived 2.2.7 behaves (lib/parser.c): what it logs for each include line,
// and whether that is a config error (`keepalived -t` exits 6 and keepalived exits at start-up) or only a
// log line after which it goes on. file_config_error() makes a report an error only when the include
// variant has the report's bit (R, M, W or B; see schema/vocabulary.ts INCLUDE_VARIANTS).
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import { dirname, isAbsolute, relative } from 'node:path';
import type { ConfigModel, IncludeCycle } from '../analysis/model';
import {
  isStrict,
  type IncludeCheck,
  type IncludeResolution,
  type IncludeVariant,
  type MissingPath,
} from '../analysis/includes';
import type { Statement } from '../syntax/ast';
import { append } from '../analysis/budget';
import type { FileFinding } from './finding';
import { INCLUDE_VARIANTS, listed } from '../schema/vocabulary';
import { SYMBOL_KIND_NAMES, symbolKind, type SymbolKind } from '../schema/symbol-kinds';

const FAILS = 'that is a config error: keepalived -t fails and keepalived exits at start-up';

/** What each bit asks for, in the words of a message ("since 'includem' requires ..."). */
const REQUIRES: Record<IncludeCheck, string> = {
  readable: 'every entry to be a readable, regular, non-executable file',
  match: 'a match when a named file or folder is missing',
  wildcard: 'its wildcard to match',
  brace: 'every part of the pattern to match',
};

/** Which variants have a bit, for "an error only for ..." remarks: `includew and includea`. */
const HAVING = Object.fromEntries(
  (Object.keys(REQUIRES) as IncludeCheck[]).map((check) => {
    const variants = Object.entries(INCLUDE_VARIANTS).filter(([, bits]) => bits[check]);
    const lacking = Object.keys(INCLUDE_VARIANTS).filter((v) => !variants.some(([w]) => w === v));
    return [
      check,
      lacking.length === 1
        ? `every variant but plain ${lacking[0]}`
        : listed(
            variants.map(([v]) => v),
            'and',
          ),
    ];
  }),
) as Record<IncludeCheck, string>;

const span = (s: Statement) => ({
  start: s.keyword.start,
  end: s.args[s.args.length - 1]?.end ?? s.keyword.end,
});

export function checkIncludes(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  append(out, checkCycles(model));
  append(out, checkLimits(model));
  for (const edge of model.includes) {
    const s = edge.statement;
    const r = edge.resolution;
    if (!r) continue;
    // A file named by a template expression: which one is known only once the template is rendered.
    if (s.args.some((a) => a.template !== undefined)) continue;
    const at = { file: edge.from, rule: 'include-not-found' as const, ...span(s) };
    if (s.templateInclude) {
      if (r.files.length === 0)
        out.push({ ...at, severity: 'info', message: templateIncludeMissing(edge.from, s, r) });
      continue;
    }
    if (s.args.length === 0) {
      out.push({ ...at, message: `'${r.variant}' needs a file name or glob.` });
      continue;
    }
    const report = r.report;
    if (report) {
      const strict = isStrict(r.variant, report.check);
      const logged = `keepalived logs "${report.message}"`;
      const what = describeMissing(edge.from, r);
      let message: string;
      if (report.check === 'wildcard') {
        message = strict
          ? `${what}: ${logged} and, since '${r.variant}' requires ${REQUIRES.wildcard}, ${FAILS}.`
          : `${what}. '${r.variant}' accepts a wildcard that matches nothing: keepalived logs nothing and goes on (an error only for ${HAVING.wildcard}).`;
      } else if (report.partial) {
        message = strict
          ? `${what}: ${logged} and, since '${r.variant}' requires ${REQUIRES.brace}, it reads none of the files that do match; ${FAILS}.`
          : `${what}: ${logged} and reads the files that exist; '${r.variant}' accepts a partial match (an error only for ${HAVING.brace}).`;
      } else if (strict) {
        message = `${what}: ${logged} and, since '${r.variant}' requires ${REQUIRES[report.check]}, ${FAILS}.`;
      } else {
        const accepts = acceptsWhat(r.missing);
        const why =
          report.check === 'brace' && isStrict(r.variant, 'match')
            ? ` (with braces in the pattern keepalived counts it as a brace miss, an error only for ${HAVING.brace})`
            : ` (an error only for ${HAVING[report.check]})`;
        message = `'${r.variant}' accepts ${accepts}: ${logged} and goes on without it${why}. ${capitalize(what)}.`;
      }
      out.push({
        ...at,
        severity: strict ? 'error' : report.check === 'wildcard' ? 'info' : 'warning',
        message,
      });
    }
    const strictRead = isStrict(r.variant, 'readable');
    for (const skipped of r.skipped) {
      const shown = shownPath(edge.from, r, skipped.path);
      out.push({
        ...at,
        severity: strictRead ? 'error' : 'warning',
        message: strictRead
          ? `'${shown}' is ${skipped.reason}: keepalived logs "${skipped.report}" and, since '${r.variant}' requires ${REQUIRES.readable}, ${FAILS}.`
          : `'${shown}' is ${skipped.reason}: keepalived logs "${skipped.report}" and goes on without it; plain 'include' accepts that (only regular, non-executable files are read; an error for ${HAVING.readable}).`,
      });
    }
    // A budget that cut the glob short is an analysis-limit finding (checkLimits, from model.limits).
  }
  return out;
}

/**
 * A Jinja include, import or from whose file is not found: the template engine reads it when it renders,
 * keepalived never sees the line, so this is what the linter could not read, not a keepalived error.
 */
function templateIncludeMissing(from: string, s: Statement, r: IncludeResolution): string {
  const what = s.templateInclude === 'include' ? 'renders' : 'takes macros from';
  return `The template ${what} '${r.pattern}', which the linter finds neither in the template's folder (${dirname(from)}) nor in a templates/ folder above it: it is not read, so names it defines are unknown here and findings that depend on it are less certain. Open the folder that holds it (an Ansible role's templates/) to have it read.`;
}

/**
 * Budgets the analysis hit (analysis/budget.ts), each on the line that hit it: nothing is skipped
 * silently. The model is then incomplete, which downgrades the findings that depend on what was skipped.
 */
function checkLimits(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  for (const hit of model.limits ?? []) {
    out.push({
      file: hit.file,
      rule: 'analysis-limit',
      severity: 'warning',
      message: hit.message,
      start: hit.start,
      end: hit.end,
    });
  }
  return out;
}

/** "file 'x.conf' does not exist", "folder 'nodir' does not exist", "no file matches 'conf.d/*.conf'". */
function describeMissing(from: string, r: IncludeResolution): string {
  if (r.missing.length === 0) return `No file matches '${r.pattern}' (the folders it lists exist)`;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const m of r.missing) {
    const shown = shownPath(from, r, m.first);
    if (seen.has(shown)) continue;
    seen.add(shown);
    parts.push(
      m.notDir
        ? `'${shown}' is a file, not a folder`
        : `${m.dir ? 'folder' : 'file'} '${shown}' does not exist`,
    );
  }
  const more = parts.length > 3 ? ` (and ${parts.length - 3} more)` : '';
  return capitalize(parts.slice(0, 3).join(', ') + more);
}

function acceptsWhat(missing: MissingPath[]): string {
  const dirs = missing.some((m) => m.dir);
  const files = missing.some((m) => !m.dir);
  return dirs && files ? 'a missing file or folder' : dirs ? 'a missing folder' : 'a missing file';
}

/** A path as keepalived names it: relative to the including file's folder when the pattern is relative. */
function shownPath(from: string, r: IncludeResolution, path: string): string {
  if (isAbsolute(r.pattern)) return path;
  return relative(dirname(from), path) || '.';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** keepalived's own errors for a name defined twice (vrrp_parser.c), which a re-read cycle produces. */
const DUPLICATE_ERRORS: { kind: SymbolKind; text: string }[] = SYMBOL_KIND_NAMES.flatMap((kind) => {
  const text = symbolKind(kind).duplicateError;
  return text === undefined ? [] : [{ kind, text }];
});

/**
 * keepalived 2.2.7 has no include depth limit: an include cycle makes it read the cycle's files inside
 * themselves, level after level, until it runs out of file descriptors; then the include that cannot open
 * its file reports that (R for a file name, M or B for a wildcard, whose opendir() fails first) and keepalived
 * goes on, having read every file on the cycle once per level. When a file on the cycle has two ways back
 * (two include lines, or a glob matching two files that lead back), the reading branches at every level and
 * never finishes.
 */
function checkCycles(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  const waysBack = new Map<string, Set<string>>();
  const ids = new Map<Statement, number>();
  const id = (s: Statement) => ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1);
  for (const c of model.cycles) {
    const key = `${id(c.statement)}\u0000${c.target}`;
    if (!waysBack.has(c.file)) waysBack.set(c.file, new Set());
    waysBack.get(c.file)!.add(key);
  }
  const reported = new Set<Statement>();
  const resolutions = new Map<Statement, IncludeResolution | undefined>();
  for (const e of model.includes)
    if (!resolutions.has(e.statement)) resolutions.set(e.statement, e.resolution);
  const duplicatesOf = new Map<string, string | undefined>();
  for (const cycle of model.cycles) {
    if (reported.has(cycle.statement)) continue;
    reported.add(cycle.statement);
    const r = resolutions.get(cycle.statement);
    const variant = (r?.variant ?? cycle.statement.keyword.value) as IncludeVariant;
    const target = shown(cycle.file, r, cycle.target);
    const branching = [...new Set(cycle.loop)].filter((f) => (waysBack.get(f)?.size ?? 0) > 1);
    const start = `This include leads back to '${target}', which is already being read, and keepalived has no include depth limit`;
    if (branching.length > 0) {
      out.push({
        file: cycle.file,
        rule: 'include-cycle',
        severity: 'error',
        message: `${start}. ${branching.map((f) => `'${shown(cycle.file, r, f)}'`).join(', ')} ${branching.length > 1 ? 'lead' : 'leads'} back more than one way (several include lines, or a glob matching several files of the cycle), so the reading branches at every level and doubles with each one: keepalived -t never finishes (it would only stop at the open-file limit, after an exponential number of reads), and keepalived hangs the same way reading its configuration at start-up.`,
        ...span(cycle.statement),
      });
      continue;
    }
    const wildcard = r?.hasWildcard ?? /[*?[]/.test(cycle.statement.args.map((a) => a.value).join(' '));
    const pattern = r?.pattern ?? cycle.statement.args.map((a) => a.value).join(' ');
    const check: IncludeCheck = wildcard
      ? (r?.hasBrace ?? /\{/.test(pattern))
        ? 'brace'
        : 'match'
      : 'readable';
    const failure = wildcard
      ? `Config files missing '${pattern}'.`
      : `Configuration file '${shownAsGlob(cycle, r, pattern)}' open problem (Too many open files) - skipping`;
    const files = [...new Set(cycle.loop)];
    // open_conf_file(): the stream, plus an O_PATH descriptor of the folder when the name has a '/'.
    const slash = pattern.includes('/');
    const depth =
      files.length > 1
        ? 'one or two per file, so some 500 to 1000 files deep with the usual limit of 1024'
        : slash
          ? "two per level as the name has a '/', so some 500 levels with the usual limit of 1024"
          : 'one per level, so some 1000 levels with the usual limit of 1024';
    const levels = `so it reads the files of the cycle again inside themselves, level after level, until it runs out of file descriptors (${depth})`;
    const logs =
      files.length > 1
        ? `If this is the include that runs out (which one depends on the limit), it logs "${failure}"`
        : `Then this include logs "${failure}"`;
    const strict = isStrict(variant, check);
    const loopKey = files.join('\u0000');
    if (!duplicatesOf.has(loopKey)) duplicatesOf.set(loopKey, duplicateErrors(model, files));
    const duplicates = duplicatesOf.get(loopKey);
    const read = files.length > 1 ? 'these files' : 'this file';
    const consequence = strict
      ? `${logs}; for '${variant}' ${FAILS}.`
      : duplicates
        ? `${logs} and keepalived goes on, but having read ${read} at every level it reports "${duplicates}" and keepalived -t fails.`
        : `${logs} and keepalived goes on ('${variant}' accepts that, so keepalived -t passes), with everything in ${read} read at every level.`;
    out.push({
      file: cycle.file,
      rule: 'include-cycle',
      severity: strict || duplicates ? 'error' : 'warning',
      message: `${start}, ${levels}. ${consequence}`,
      ...span(cycle.statement),
    });
  }
  return out;
}

/** The first keepalived duplicate-name error a re-read of `files` produces, or undefined. */
function duplicateErrors(model: ConfigModel, files: string[]): string | undefined {
  const onLoop = new Set(files);
  for (const d of DUPLICATE_ERRORS) {
    const def = model.symbols.definitions.find((x) => x.kind === d.kind && onLoop.has(x.file));
    if (def) return d.text.replace('%s', def.name);
  }
  return undefined;
}

function shown(from: string, r: IncludeResolution | undefined, path: string): string {
  return r ? shownPath(from, r, path) : path;
}

/** The path glob returns for the cycle's target: the pattern itself when it names one file. */
function shownAsGlob(cycle: IncludeCycle, r: IncludeResolution | undefined, pattern: string): string {
  return r && !r.hasBrace ? pattern : shown(cycle.file, r, cycle.target);
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'include-not-found',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'An include whose file or glob matches nothing or only partly, or matches entries keepalived skips; an error where the include variant makes keepalived -t fail.',
  },
  {
    id: 'include-cycle',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      'An include that leads back to a file already being read: keepalived has no depth limit and reads the files again at every level until it runs out of file descriptors.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    includes: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'includes',
  rules,
  // No check of its own: references.ts calls checkIncludes, so include findings keep their place.
  checks: [],
};
