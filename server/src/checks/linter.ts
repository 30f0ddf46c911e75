// Rules about the linter itself, with no check of their own: analysis-limit is reported where a budget
// ran out (the runner's MAX_FINDINGS_PER_RULE in index.ts, model.limits in includes.ts, the cluster's
// work bounds in cluster.ts), invalid-settings by the settings file reader at the edge (settings-file.ts).
import type { Rule } from './rules';
import type { RuleFamily } from './family';

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'analysis-limit',
    severity: 'warning',
    category: 'linter',
    scope: 'configuration',
    description:
      'The linter stopped short of analysing everything: a file too large, an include too deep or too wide, a runaway glob or parameter. Findings that depend on what was skipped are downgraded.',
  },
  {
    id: 'invalid-settings',
    severity: 'error',
    category: 'linter',
    scope: 'file',
    description:
      'A problem in a .keepalived-lint.json settings file (or the keepalived-lint key of package.json); what is at fault is not used.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    linter: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'linter',
  rules,
  // No check of its own: reported where a budget runs out and by the settings reader (see above).
  checks: [],
};
