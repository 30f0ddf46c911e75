// What a check family is: the rules it reports and the checks that emit them, each tagged with what it
// runs over. checks/families.ts lists the families; index.ts runs each kind of check where its input is
// (every placed line, each file, once per configuration, per machine view, per set of nodes) and caches
// by that input.
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import type { ReadLine } from '../analysis/reading-order';
import type { FileFinding, Finding } from './finding';
import type { FamilyRules, Rule, Severity } from './rules';
import type { SecurityOptions } from './security-options';
import type { Suggester } from './suggest';

/** A finding in the file being checked; `severity` lowers the rule's default. */
export type RatedFinding = Finding & { severity?: Severity };

/** What a line check is given besides the line: made once per file, shared by every line. */
export interface LineContext {
  /** Target keepalived version, e.g. "2.2.7" or "2.2"; undefined = the newest. */
  keepalivedVersion?: string;
  /** Did-you-mean suggestions, with one work budget for the whole file. */
  suggester: Suggester;
}

export type Check =
  /** Each active placed line of a file (the hot loop: no allocation beyond the findings). */
  | { over: 'line'; check: (placed: PlacedStatement, context: LineContext) => readonly RatedFinding[] }
  /** Each file, on its own text and tree. */
  | { over: 'file'; check: (file: AnalyzedFile, options: { keepalivedVersion?: string }) => RatedFinding[] }
  /** Once per configuration, shared by its files; `order` is the lines in keepalived's reading order. */
  | { over: 'configuration'; check: (model: ConfigModel, order: readonly ReadLine[]) => FileFinding[] }
  /** Once per configuration and view of the machine (accounts, files) the scripts are judged on. */
  | { over: 'machine'; check: (model: ConfigModel, options: SecurityOptions) => FileFinding[] }
  /** Once per set of nodes checked together (a configuration alone is a cluster of one). */
  | { over: 'nodes'; check: (peers: ConfigModel[], keepalivedVersion: string | undefined) => FileFinding[] };

export interface RuleFamily {
  /** The family's key in FamilyRules (rules.ts), for messages and the duplicate-id test. */
  name: keyof FamilyRules;
  rules: readonly Rule[];
  /**
   * What the family runs, in order. Empty when another family calls its check (includes.ts from
   * references.ts, lines.ts from structure.ts, auth.ts from security.ts), so its findings keep their place.
   */
  checks: readonly Check[];
}
