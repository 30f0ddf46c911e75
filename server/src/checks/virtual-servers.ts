// What keepalived's checker fills in by itself for a virtual_server once the whole configuration is read
// (check/check_data.c validate_check_config(), 2.2.7 l.1101-1110 and l.1185-1191, l.1247-1252). It reports
// each as a configuration error (keepalived -t exits 5) but runs on with the default, which is rarely
// what the author meant.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { ConfigModel } from '../analysis/model';
import { objectsOf } from '../analysis/objects';
import type { FileFinding } from './references';

export function checkVirtualServers(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  for (const vs of objectsOf(model).virtualServers) {
    if (vs.byAddress && !vs.protocolWritten) {
      out.push({
        file: vs.file,
        rule: 'virtual-server-no-protocol',
        message: `virtual_server ${vs.key} has no 'protocol': keepalived reports "no protocol set - defaulting to UDP" and creates a UDP service, so TCP connections to ${vs.key} are not balanced. Add 'protocol TCP' (or 'protocol UDP' if UDP is meant).`,
        ...vs.span,
      });
    }
    // validate_check_config() l.1085: "Virtual server ... has no real servers - ignoring", and frees it.
    // A header in a template branch shares its lines with the other branch's header: not known here.
    if (vs.realServers === 0 && !vs.statement.branch) {
      out.push({
        file: vs.file,
        rule: 'virtual-server-no-real-server',
        message: `virtual_server ${vs.key} has no real_server: keepalived reports "Virtual server ... has no real servers - ignoring" after reading the configuration and sets up no IPVS service for it (a sorry_server alone is not enough).`,
        ...vs.span,
      });
    }
    if (vs.methodDefaulted) {
      out.push({
        file: vs.file,
        rule: 'virtual-server-default-method',
        message: `virtual_server ${vs.key} sets no 'lvs_method' and some of its servers have none of their own: keepalived reports "no forwarding method set, setting default NAT" and forwards to them by NAT, which needs the real servers to route their replies back through this node. Write 'lvs_method NAT', DR or TUN.`,
        ...vs.span,
      });
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'virtual-server-no-real-server',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A virtual_server with no real_server: keepalived ignores it and sets up no IPVS service.',
  },
  {
    id: 'virtual-server-no-protocol',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A virtual_server given by address and port with no protocol: keepalived makes it UDP.',
  },
  {
    id: 'virtual-server-default-method',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A virtual_server whose servers have no lvs_method: keepalived forwards to them by NAT.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'virtual-servers': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'virtual-servers',
  rules,
  checks: [{ over: 'configuration', check: checkVirtualServers }],
};
