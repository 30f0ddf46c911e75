// What a rule is. Ids are stable public contract (docs/rules.md, suppressions, settings, SARIF). Each
// record carries everything said about a rule outside its check: default severity, category, scope and
// the one-line description. The records live with the checks that emit them (each family module's
// `family`); checks/families.ts assembles the table `--help`, SARIF and the docs read.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOrOff = Severity | 'off';

/**
 * What kind of problem a rule reports: SARIF tags (GitHub code scanning groups alerts by them) and the
 * docs table. A small fixed set, each explained in CATEGORIES and in docs/rules.md.
 */
export type Category = 'syntax' | 'correctness' | 'cluster' | 'scripts' | 'security' | 'style' | 'linter';

/** What a rule has to see to decide: how far an edit elsewhere can change its findings. */
export type Scope = 'line' | 'file' | 'configuration' | 'nodes' | 'machine';

export const CATEGORIES: Readonly<Record<Category, string>> = {
  syntax: 'keepalived cannot read the text as written (braces, quotes, line length)',
  correctness: 'keepalived rejects, ignores or misreads a keyword, a value, an include or a name',
  cluster: 'which node holds the virtual addresses: VRRP ids, addresses, preemption, failover',
  scripts: 'whether keepalived runs a script at all, as which account and with which arguments',
  security: 'scripts run as root, root scripts others can change, VRRP secrets others can read',
  style: 'keepalived does what is meant, but the configuration could say it more plainly',
  linter: 'about the linter itself: what it could not analyse',
};

export const SCOPES: Readonly<Record<Scope, string>> = {
  line: 'the line itself, in the block it is in',
  file: 'the whole file',
  configuration: 'the whole configuration, with every file it includes',
  nodes: 'the configurations of several nodes checked together',
  machine:
    "files and accounts on the machine the linter runs on, which are the node's own only with --this-host",
};

export interface Rule {
  id: string;
  severity: Severity;
  category: Category;
  scope: Scope;
  /** One line, for `--help`, SARIF and the docs table. */
  description: string;
}

/**
 * The rule lists of the families, by family name: each family module adds its own `as const` list here
 * (a `declare module './rules'` block next to the list), so RuleId is the union of every family's ids
 * without this module importing them (checks/families.ts assembles the table at run time).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface FamilyRules {}

/** The id of a rule some family declares: a finding naming any other id does not compile. */
export type RuleId = { [F in keyof FamilyRules]: FamilyRules[F][number]['id'] }[keyof FamilyRules];

export const DOCS_BASE =
  'https://github.com/keepalived-tools/keepalived-language-tools/blob/main/docs/rules.md';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}#${id}`;
}
