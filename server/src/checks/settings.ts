// One-value instance settings written more than once: keepalived's handler runs for every line, so the
// stored value is the last line's (or the first's, for `state MASTER` and `version`), and the other lines
// do nothing. A reader of the file, and a peer's administrator comparing files, sees the first. The
// stored value comes from analysis/stored-settings.ts, the same one the cluster analysis uses.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { ConfigModel } from '../analysis/model';
import { objectsOf } from '../analysis/objects';
import type { FileFinding } from './references';

export function checkSettings(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  for (const i of objectsOf(model).instances) {
    for (const o of i.overridden) {
      out.push({
        file: o.file,
        rule: 'setting-overridden',
        message: `'${o.keyword}' in ${i.name} has no effect: ${o.why}. ${o.remedy ?? `Keep one '${o.keyword}' line`} so the file says what keepalived uses.`,
        start: o.statement.keyword.start,
        end: o.statement.end,
      });
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'setting-overridden',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A one-value instance setting (state, priority, virtual_router_id, advert_int, version, preempt_delay, interface, unicast_src_ip, auth_type, auth_pass) written again: keepalived keeps one line and ignores the other.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    settings: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'settings',
  rules,
  checks: [{ over: 'configuration', check: checkSettings }],
};
