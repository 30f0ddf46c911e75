// Budgets: every unit of work the analysis does is bounded by one of these constants, checked where the
// work happens. A budget that is hit never passes silently: it becomes a LimitHit on the line that hit it,
// reported as an `analysis-limit` finding, and the configuration is marked incomplete so that findings
// which depend on what was skipped are downgraded. docs/robustness.md explains each one.
import { MAX_BLOCK_DEPTH, MAX_FILE_LINES, MAX_FILE_TOKENS, MAX_LINE_WORDS } from '../syntax/parser';
import type { SyntaxProblem } from '../syntax/ast';
import { MAXBUF } from '../schema/limits';

/** Lines of a file and words of a line that are analysed, block nesting kept: the syntax layer's budgets. */
export { MAX_BLOCK_DEPTH, MAX_FILE_LINES, MAX_FILE_TOKENS, MAX_LINE_WORDS };

/** Bytes of one file. keepalived configs are kilobytes (the largest real ones some 600 KB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Bytes of all the files of one configuration, each file counted once. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Files in one configuration. */
export const MAX_CONFIG_FILES = 10_000;
/** Files read inside one another (include depth). keepalived itself stops at the open-file limit. */
export const MAX_INCLUDE_DEPTH = 128;
/** Files one include line splices in. */
export const MAX_INCLUDE_MATCHES = 1000;
/** Folder listings one include line makes. */
export const MAX_DIR_READS = 512;
/** Patterns one brace expression expands to; counted before any of them is built. */
export const MAX_BRACE_EXPANSIONS = 256;
/** Length of an include pattern (Linux PATH_MAX: glob() cannot use a longer path). */
export const MAX_PATTERN_LENGTH = 4096;
/** Glob work per configuration: names tested against a pattern part, times the part's length. */
export const MAX_GLOB_WORK = 20_000_000;
/**
 * Lines read again from files already read once (a file included twice, include fan-out, an include in
 * every file of a folder), per configuration; each include target followed counts as one line too.
 */
export const MAX_REREAD_LINES = 50_000;
/**
 * Lines read into the stream of one configuration: the root file's, then those of every file an include
 * splices in, each time it is spliced (first reads and re-reads alike). Each analysed line costs some
 * microseconds, so this bounds a configuration to about a second; real ones have at most some 25,000.
 */
export const MAX_CONFIG_LINES = 100_000;
/**
 * Lines made by expansion in one configuration: `~SEQ` loops and multi-line parameters, which turn a few
 * lines of text into many (keepalived's own stress test, devel/1173a.conf, makes 63,000 from 50). They
 * count against MAX_CONFIG_LINES too. Past either, a line is read as written.
 */
export const MAX_EXPANSION_LINES = 20_000;
/** Passes of the `~SEQ`/`~LST` loops of one line (nested loops multiply); past it the line is read as written. */
export const MAX_LOOP_PASSES = 1000;
/** Characters a word may grow to by `$PARAMETER` expansion (keepalived's own line buffer is 1,024 bytes). */
export const MAX_EXPANSION_CHARS = 16 * 1024;
/** `$PARAMETER` substitutions made to expand one line. */
export const MAX_EXPANSION_STEPS = 4096;
/** `$PARAMETER` substitutions made in one configuration (values already worked out cost one each). */
export const MAX_CONFIG_EXPANSION_STEPS = 1_000_000;
/** Findings of one rule listed per file; the rest are counted in one analysis-limit finding. */
export const MAX_FINDINGS_PER_RULE = 10_000;
/**
 * Candidate names compared for did-you-mean suggestions in one pass of checks (each word looked up once per
 * list); past it, findings carry no suggestion.
 */
export const MAX_SUGGESTION_WORK = 2_000_000;
/** Config files a folder scan collects (`keepalived-lint FOLDER`). */
export const MAX_FOLDER_FILES = 5_000;
/** Folder levels below it that scan descends. */
export const MAX_FOLDER_DEPTH = 32;
/**
 * Config files the language server's scan of the workspace folders collects, and how deep it goes. Files
 * beyond them are still analysed when opened or included; the server says so once when it stops.
 */
export const MAX_SCANNED_FILES = 2000;
export const MAX_SCAN_DEPTH = 12;
/**
 * Configurations analysed together as the nodes of one VRRP cluster. A real cluster has a handful; a
 * folder of thousands of configs is not one, and comparing every pair of its nodes would never end.
 */
export const MAX_CLUSTER_NODES = 256;
/** A file naming more `@id`s than this is one node of the cluster, not one per `@id`. */
export const MAX_CLUSTER_VARIANTS = 16;
/** Instances sharing one VRID and address family beyond this many are not paired (the pairing is quadratic). */
export const MAX_VRID_INSTANCES = 64;

/** The budgets by name, as findings name them. */
export const BUDGETS = {
  MAX_FILE_BYTES,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_FILES,
  MAX_INCLUDE_DEPTH,
  MAX_INCLUDE_MATCHES,
  MAX_DIR_READS,
  MAX_BRACE_EXPANSIONS,
  MAX_PATTERN_LENGTH,
  MAX_GLOB_WORK,
  MAX_REREAD_LINES,
  MAX_CONFIG_LINES,
  MAX_EXPANSION_LINES,
  MAX_LOOP_PASSES,
  MAX_EXPANSION_CHARS,
  MAX_EXPANSION_STEPS,
  MAX_CONFIG_EXPANSION_STEPS,
  MAX_FILE_LINES,
  MAX_FILE_TOKENS,
  MAX_LINE_WORDS,
  MAX_BLOCK_DEPTH,
  MAX_FINDINGS_PER_RULE,
  MAX_SUGGESTION_WORK,
  MAX_FOLDER_FILES,
  MAX_CLUSTER_NODES,
  MAX_CLUSTER_VARIANTS,
  MAX_VRID_INSTANCES,
} as const;

export type BudgetName = keyof typeof BUDGETS;

/** A budget that was hit, on the line that hit it. */
export interface LimitHit {
  /** The budget, or `unreadable`: a file the linter may not read (a pseudo file system, no permission). */
  budget: BudgetName | 'unreadable';
  file: string;
  start: number;
  end: number;
  message: string;
}

/** Work left for the glob matching of one configuration (shared by all of its include lines). */
export interface GlobBudget {
  work: number;
}

export function globBudget(): GlobBudget {
  return { work: MAX_GLOB_WORK };
}

/** `target.push(...items)` without spreading: a spread of a large array overflows the stack. */
export function append<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
  return target;
}

/** A byte count for messages: "18.0 MiB (18874368 bytes)". */
export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB (${bytes} bytes)`
    : `${bytes} bytes`;
}

/** The words of a budget the parser hit: syntax/parser.ts records only what it skipped. */
export function parseLimitMessage(p: SyntaxProblem & { kind: 'limit' }): string {
  switch (p.budget) {
    case 'MAX_LINE_WORDS':
      return `This line has ${MAX_LINE_WORDS + p.dropped} words; the linter analyses the first ${MAX_LINE_WORDS} (MAX_LINE_WORDS) and skips the other ${p.dropped}. keepalived reads at most ${MAXBUF - 1} bytes of a line at a time.`;
    case 'MAX_FILE_LINES':
      return `This file has more than ${MAX_FILE_LINES} lines: the linter analyses the first ${MAX_FILE_LINES} (MAX_FILE_LINES) and skips the rest, from this line on, so findings that depend on it are less certain.`;
    case 'MAX_FILE_TOKENS':
      return `This file has more than ${MAX_FILE_TOKENS} words and braces: the linter analyses the lines before this one (MAX_FILE_TOKENS) and skips the rest, so findings that depend on it are less certain.`;
  }
}
