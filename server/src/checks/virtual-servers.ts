// What keepalived's checker fills in by itself for a virtual_server once the whole configuration is read
// (check/check_data.c validate_check_config(), 2.2.7 l.1101-1110 and l.1185-1191, l.1247-1252: no real
// server, no protocol, no forwarding method), and the scheduler flags it drops while reading the block
// (check_parser.c lbflags_handler). It reports each as a configuration error (keepalived -t exits 5) but
// runs on with the default, which is rarely what the author meant. The other corrections of
// validate_check_config are analysis/lvs-setup.ts, worded by checks/lvs-setup.ts.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { ConfigModel } from '../analysis/model';
import { objectsOf, type ConfigObjects, type SchedulerFlagLine } from '../analysis/objects';
import { linkOf } from '../analysis/lvs-setup';
import { append } from '../analysis/budget';
import { findingsPerNode } from './per-node';
import { compareVersions } from '../schema/version';
import { SCHEDULER_FLAGS } from '../schema/vocabulary';
import type { FileFinding } from './references';

export function checkVirtualServers(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  const objects = objectsOf(model);
  for (const vs of objects.virtualServers) {
    const link = linkOf(vs, objects.vsGroups);
    // link_vsg_to_vs() drops it before validate_check_config() looks (checks/vs-groups.ts says so).
    if (link.kind === 'dropped') continue;
    // A group's service is by address when the group has address entries (check_data.c l.1101-1102).
    const byAddress =
      vs.byAddress || (link.kind === 'linked' && link.group.entries.some((e) => e.kind === 'address'));
    if (byAddress && !vs.protocolWritten) {
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
  return checkSchedulerFlags(model, out);
}

/** What the sh and mh schedulers do without a `-port` or `-fallback` flag. */
const WITHOUT_FLAG = {
  port: 'hashes on the client address alone, not on its port too',
  fallback: 'does not move a connection whose server is unavailable to another server',
} as const;

/** Before 2.0.7 lbflags_handler only logged "only applies to sh scheduler" (log_message, not an error). */
const FLAG_ERROR_SINCE = '2.0.7';

/**
 * Scheduler flags that keepalived drops (check_parser.c lbflags_handler, see SCHEDULER_FLAGS): reported
 * as a configuration error under a scheduler they do not belong to or before any lvs_sched line, and
 * dropped silently under the other hashing scheduler (and `hashed`, which sets nothing, under either).
 */
function checkSchedulerFlags(model: ConfigModel, out: FileFinding[]): FileFinding[] {
  const version = model.options.keepalivedVersion;
  const logged = version !== undefined && compareVersions(version, FLAG_ERROR_SINCE) < 0;
  const judge = (objects: ConfigObjects): FileFinding[] => {
    const found: FileFinding[] = [];
    for (const vs of objects.virtualServers)
      for (const f of vs.schedulerFlags) {
        const verdict = flagVerdict(f, vs.key);
        if (!verdict) continue;
        const keyword = f.line.statement.keyword;
        found.push({
          file: objects.fileOf(f.line.statement, vs.file),
          rule: 'scheduler-flag-ignored',
          message: verdict.message,
          start: keyword.start,
          end: keyword.end,
          ...(verdict.silent || logged ? { severity: 'warning' as const } : {}),
        });
      }
    return found;
  };
  return append(out, findingsPerNode(model, judge));
}

function flagVerdict(f: SchedulerFlagLine, key: string): { message: string; silent: boolean } | undefined {
  const { flag, scheduler } = f;
  const owner = SCHEDULER_FLAGS[flag];
  if (scheduler === undefined || (owner !== null && scheduler === owner)) return undefined;
  const reported = `keepalived reports "${flag} only applies to sh scheduler - ignoring"`;
  if (owner === null) {
    const nothing = "'hashed' sets nothing in keepalived 2 (lbflags_handler has no flag for it)";
    return scheduler === 'sh' || scheduler === 'mh'
      ? { message: `${nothing}: the line has no effect. Remove it.`, silent: true }
      : { message: `${reported}: ${nothing}, under any scheduler. Remove the line.`, silent: false };
  }
  const without = WITHOUT_FLAG[flag.endsWith('-port') ? 'port' : 'fallback'];
  if (scheduler === 'sh' || scheduler === 'mh') {
    const counterpart = scheduler + flag.slice(owner.length);
    return {
      message: `'${flag}' belongs to the ${owner} scheduler: under lvs_sched ${scheduler} keepalived sets nothing for it and says nothing, so ${scheduler} ${without}. Write '${counterpart}', or remove the line.`,
      silent: true,
    };
  }
  const dropped = `virtual_server ${key} is created without it, so the ${owner} scheduler ${without}`;
  const later = f.setLater;
  if (scheduler === null && later?.expandedArgs[0] === owner) {
    const line = later.statement.keyword.value;
    return {
      message: `'${flag}' comes before the block's '${line} ${owner}' line, and keepalived applies it only when the scheduler read so far is ${owner}: ${reported}, and ${dropped}. Move the ${line} line above it.`,
      silent: false,
    };
  }
  const under = scheduler === null ? 'no lvs_sched line comes before it' : `the scheduler is ${scheduler}`;
  return {
    message: `'${flag}' only works with the ${owner} scheduler, and ${under}: ${reported} and drops it. Set 'lvs_sched ${owner}' above it, or remove the line.`,
    silent: false,
  };
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
  {
    id: 'scheduler-flag-ignored',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description:
      'A virtual_server scheduler flag (sh-port, mh-fallback, hashed, ...) keepalived drops: wrong scheduler, or read before lvs_sched.',
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
