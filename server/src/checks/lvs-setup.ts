// Words the corrections keepalived's checker makes to each virtual_server after reading the configuration
// (analysis/lvs-setup.ts): each is a configuration error for keepalived -t, and the service then runs
// with what keepalived changed, which is rarely what the author meant.
import type { ConfigModel } from '../analysis/model';
import type { ConfigObjects, VirtualServer } from '../analysis/objects';
import type { PlacedStatement } from '../analysis/types';
import {
  correctionsOf,
  DEFAULT_PERSISTENCE_SECONDS,
  DEFAULT_SCHEDULER,
  type Correction,
} from '../analysis/lvs-setup';
import { lineNumber, removal, type FileFinding, type Fix, type TextEdit } from './finding';
import { findingsPerNode } from './per-node';
import type { RuleFamily } from './family';
import type { Rule } from './rules';

export function checkLvsSetup(model: ConfigModel): FileFinding[] {
  return findingsPerNode(model, (objects: ConfigObjects) => {
    const out: FileFinding[] = [];
    for (const vs of objects.virtualServers) {
      const where: Where = {
        fileOf: (line) => objects.fileOf(line.statement, vs.file),
        textOf: (file) => model.files.get(file)?.text ?? '',
        lineOf: (file, offset) => lineNumber(model, file, offset),
      };
      for (const c of correctionsOf(vs, objects.vsGroups)) out.push(findingOf(vs, c, where));
    }
    return out;
  });
}

/** The file of a line of the virtual server (a file included inside its block brings its own), and texts. */
interface Where {
  fileOf(line: PlacedStatement): string;
  textOf(file: string): string;
  /** The 1-based line of an offset in a file (its line index). */
  lineOf(file: string, offset: number): number;
}

function at(where: Where, line: PlacedStatement): { file: string; start: number; end: number } {
  const s = line.statement;
  return {
    file: where.fileOf(line),
    start: s.keyword.start,
    end: (s.args[s.args.length - 1] ?? s.keyword).end,
  };
}

function removeLine(where: Where, line: PlacedStatement, title: string, preferred: boolean): Fix[] {
  const s = line.statement;
  return [{ title, edits: [removal(where.textOf(where.fileOf(line)), s.start, s.end)], preferred }];
}

/**
 * The default keepalived uses, written as a line at the top of the virtual_server's block, indented as its
 * first line is: nothing changes but keepalived's complaint. Only when the block's `{` ends its line
 * (otherwise there is no clean place for it).
 */
function addDefault(vs: VirtualServer, text: string, line: string): Fix[] {
  const block = vs.statement.block;
  if (!block) return [];
  const eol = text.indexOf('\n', block.open);
  if (eol < 0 || text.slice(block.open + 1, eol).trim() !== '') return [];
  const first = block.statements[0];
  const firstIndent = first
    ? /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', first.start - 1) + 1))![0]
    : '';
  const headerStart = text.lastIndexOf('\n', vs.statement.start - 1) + 1;
  const indent = firstIndent || /^[ \t]*/.exec(text.slice(headerStart))![0] + '    ';
  const edit: TextEdit = { start: eol + 1, end: eol + 1, newText: `${indent}${line}\n` };
  return [{ title: `Add '${line}' (what keepalived uses now)`, edits: [edit], preferred: true }];
}

/**
 * `line` written on a line of its own after `after`, indented as it is; only when `after` is alone on its
 * line (otherwise there is no clean place for it).
 */
function addAfter(where: Where, after: PlacedStatement, line: string): Fix[] {
  const s = after.statement;
  const text = where.textOf(where.fileOf(after));
  const lineStart = text.lastIndexOf('\n', s.start - 1) + 1;
  const eol = text.indexOf('\n', s.end);
  const indent = text.slice(lineStart, s.start);
  if (eol < 0 || !/^[ \t]*$/.test(indent) || text.slice(s.end, eol).trim() !== '') return [];
  const edit: TextEdit = { start: eol + 1, end: eol + 1, newText: `${indent}${line}\n` };
  return [{ title: `Add '${line}' (what keepalived uses now)`, edits: [edit], preferred: true }];
}

function findingOf(vs: VirtualServer, c: Correction, where: Where): FileFinding {
  const key = vs.key;
  const text = where.textOf(vs.file);
  const header = { file: vs.file, ...vs.span };
  switch (c.kind) {
    case 'no-scheduler':
      return {
        ...header,
        rule: 'virtual-server-no-scheduler',
        message: `virtual_server ${key} has no lvs_sched line: keepalived reports "no scheduler set, setting default '${DEFAULT_SCHEDULER}'" (a configuration error for keepalived -t) and balances it by weighted least-connection. Write 'lvs_sched ${DEFAULT_SCHEDULER}', or the scheduler you mean.`,
        fixes: addDefault(vs, text, `lvs_sched ${DEFAULT_SCHEDULER}`),
      };
    case 'zero-port':
      return {
        ...header,
        rule: 'virtual-server-zero-port',
        message: `virtual_server ${key} ${c.entry ? `has a virtual_server_group entry without a port (${c.entry.statement.keyword.value})` : 'has port 0'} and no persistence_timeout: keepalived reports "zero port only valid for persistent services - setting" and makes the service persistent for ${DEFAULT_PERSISTENCE_SECONDS} seconds, so each client sticks to one real server for ${DEFAULT_PERSISTENCE_SECONDS / 60} minutes. Write 'persistence_timeout ${DEFAULT_PERSISTENCE_SECONDS}' (or the time you mean), or give the service its port.`,
        fixes: addDefault(vs, text, `persistence_timeout ${DEFAULT_PERSISTENCE_SECONDS}`),
      };
    case 'ops-not-udp':
      return {
        ...at(where, c.line),
        rule: 'virtual-server-ops-not-udp',
        message: `One-packet scheduling ('ops') is for UDP services, and virtual_server ${key} is ${c.protocol}: keepalived reports "one packet scheduling requires UDP - resetting" and turns it off. Remove the line.`,
        fixes: removeLine(where, c.line, "Remove 'ops' (keepalived turns it off)", true),
      };
    case 'fwmark-protocol':
      return {
        ...at(where, c.line),
        rule: 'virtual-server-fwmark-protocol',
        message: `A fwmark virtual_server takes the packets with its mark whatever their protocol: keepalived reports "protocol specified for fwmark - protocol will be ignored" (a configuration error for keepalived -t) and clears it. Remove the line.`,
        fixes: removeLine(where, c.line, "Remove the 'protocol' line", false),
      };
    case 'fwmark-ha-suspend':
      return {
        ...at(where, c.line),
        rule: 'virtual-server-fwmark-ha-suspend',
        message: `ha_suspend needs the virtual server's address, and a fwmark virtual_server has none: keepalived reports "cannot use ha_suspend with fwmarks - clearing ha_suspend", so its checkers run whether or not this node holds the addresses. Remove the line.`,
        fixes: removeLine(where, c.line, "Remove 'ha_suspend' (keepalived clears it)", true),
      };
    case 'duplicate-real-server': {
      const s = c.line.statement;
      const written = [s.keyword, ...s.args].map((w) => w.value).join(' ');
      const firstFile = where.fileOf(c.first);
      const firstLine = where.lineOf(firstFile, c.first.statement.start);
      const first = firstFile === where.fileOf(c.line) ? `line ${firstLine}` : `${firstFile}:${firstLine}`;
      return {
        ...at(where, c.line),
        rule: 'duplicate-real-server',
        message: `'${written}' is the same real server as the one on ${first}: keepalived reports "real server ... is duplicated - removing second rs" and drops this one, with its weight, settings and checkers. Merge the two into one real_server block.`,
      };
    }
    case 'quorum-over-weight':
      return {
        ...at(where, c.line),
        rule: 'quorum-over-weight',
        message: `quorum ${c.quorum} is more than the total weight of the real servers of virtual_server ${key} (${c.weights}): keepalived reports "quorum ${c.quorum} ... exceeds total weight of real servers ${c.weights}, reducing quorum to ${c.weights}", so the quorum counts as met only while every real server is up. Lower the quorum, or raise the weights.`,
      };
    case 'hysteresis-over-quorum':
      return {
        ...at(where, c.line),
        rule: 'hysteresis-over-quorum',
        message: `hysteresis ${c.hysteresis} is not below the quorum (${c.quorum}): keepalived reports "hysteresis ${c.hysteresis} >= quorum ${c.quorum}; setting hysteresis to ${c.quorum - 1}". Make it smaller than the quorum.`,
      };
    case 'sorry-inhibit': {
      const rs = c.line.statement;
      const realFile = where.fileOf(c.line);
      const sorryFile = where.fileOf(c.sorry.line);
      const realLine = where.lineOf(realFile, rs.start);
      const realAt = realFile === sorryFile ? `line ${realLine}` : `${realFile}:${realLine}`;
      const real = `real_server ${rs.args.map((w) => w.value).join(' ')} (${realAt})`;
      const sorry = `sorry_server ${c.sorry.line.statement.args.map((w) => w.value).join(' ')}`;
      const quoted = `"real server ... matches sorry server, but inhibit setting differs, ${c.inhibit ? 'setting' : 'clearing'} on sorry server"`;
      if (c.inhibit)
        return {
          ...at(where, c.sorry.line),
          rule: 'sorry-server-inhibit-differs',
          message: `${sorry} is also ${real}, which has inhibit_on_failure${c.fromService ? ' (from the virtual server)' : ''}, and the sorry server has no sorry_server_inhibit: they are one IPVS destination, so keepalived reports ${quoted} (a configuration error for keepalived -t) and gives the sorry server inhibit_on_failure too: the destination they share is set to weight 0 rather than removed when it goes down. Add 'sorry_server_inhibit' after the sorry_server line, or use a sorry server that is not a real server.`,
          fixes: addAfter(where, c.sorry.line, 'sorry_server_inhibit'),
        };
      const inhibitLine = c.sorry.inhibit!;
      return {
        ...at(where, inhibitLine),
        rule: 'sorry-server-inhibit-differs',
        message: `${sorry} is also ${real}, ${c.from ? `whose '${[c.from.statement.keyword, ...c.from.statement.args].map((w) => w.value).join(' ')}' turns inhibit off` : 'which has no inhibit_on_failure'}: they are one IPVS destination, so keepalived reports ${quoted} (a configuration error for keepalived -t) and ignores sorry_server_inhibit: the destination they share is removed rather than set to weight 0 when it goes down. Remove 'sorry_server_inhibit', or give the real server 'inhibit_on_failure'.`,
        fixes: removeLine(where, inhibitLine, "Remove 'sorry_server_inhibit' (keepalived clears it)", true),
      };
    }
    case 'server-port': {
      const s = c.line.statement;
      const portWord = s.args[1]!;
      const what = `${c.server === 'real' ? 'real_server' : 'sorry_server'} ${s.args[0]!.value} ${portWord.value}`;
      const probe =
        c.server === 'real'
          ? ` Its checkers still connect to port ${c.port} unless they set connect_port.`
          : '';
      const entry = c.entry ? c.entry.line.statement.keyword.value : undefined;
      const message =
        c.group !== undefined
          ? c.entry
            ? `${what} is reached by ${c.method}, which cannot change the port, and virtual_server_group ${c.group} has the entry ${entry} on port ${c.entry.port}: keepalived reports "${c.server === 'sorry' ? '... sorry server has port specified - port will be ignored' : "... ports don't match"}" (a configuration error for keepalived -t) and changes nothing, so traffic to ${entry} reaches it on ${c.entry.port === 0 ? 'the port each packet was sent to' : `port ${c.entry.port}`}, not ${c.port}.${probe} ${c.entry.port === 0 ? 'Remove the port' : `Use port ${c.entry.port}`}, give the group's entries one port, or NAT if the port must change.`
            : `${what} has a port, but virtual_server_group ${c.group} has marks and this service forwards by ${c.method}, which keeps each packet's own port: keepalived reports "... has port specified - port will be ignored" (a configuration error for keepalived -t).${probe} Remove the port.`
          : c.servicePort === undefined
            ? `${what} has a port, but this fwmark service forwards by ${c.method}, which keeps each packet's own port: keepalived reports "... has port specified - clearing" (a configuration error for keepalived -t) and ignores ${c.port}.${probe} Remove the port.`
            : `${what} is reached by ${c.method}, which cannot change the port: keepalived reports "... ports don't match - resetting" and forwards to it on ${c.servicePort === 0 ? "the port each packet was sent to (the service's port is 0)" : `port ${c.servicePort}, the virtual server's`}, not ${c.port}.${probe} Use port ${c.servicePort}, or NAT if the port must change.`;
      return {
        file: where.fileOf(c.line),
        start: portWord.start,
        end: portWord.end,
        rule: 'server-port-ignored',
        message,
      };
    }
  }
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'virtual-server-no-scheduler',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A virtual_server with no lvs_sched: keepalived reports it and uses wlc.',
  },
  {
    id: 'virtual-server-zero-port',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A virtual_server on port 0 without persistence_timeout: keepalived makes it persistent for 360 s.',
  },
  {
    id: 'virtual-server-ops-not-udp',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'ops on a TCP or SCTP virtual_server: keepalived turns one-packet scheduling off.',
  },
  {
    id: 'virtual-server-fwmark-protocol',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A protocol line in a fwmark virtual_server: keepalived reports it and ignores it.',
  },
  {
    id: 'virtual-server-fwmark-ha-suspend',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'ha_suspend in a fwmark virtual_server: keepalived reports it and clears it.',
  },
  {
    id: 'duplicate-real-server',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A real_server written twice in one virtual_server: keepalived drops the second.',
  },
  {
    id: 'quorum-over-weight',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A quorum above the total weight of the real servers: keepalived lowers it to that total.',
  },
  {
    id: 'hysteresis-over-quorum',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'A hysteresis not below the quorum: keepalived lowers it to quorum - 1.',
  },
  {
    id: 'sorry-server-inhibit-differs',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      "A sorry_server that is also a real_server, with another inhibit_on_failure setting: keepalived gives the sorry server the real server's.",
  },
  {
    id: 'server-port-ignored',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A DR or TUN real or sorry server whose port keepalived replaces with the port of the service (or clears, for fwmark).',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'lvs-setup': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'lvs-setup',
  rules,
  checks: [{ over: 'configuration', check: checkLvsSetup }],
};
