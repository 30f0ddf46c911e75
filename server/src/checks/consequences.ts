// What keepalived removes, disables or turns on by itself when a block lacks something, found where
// keepalived reports it: on the line of the block's closing '}' (its end handlers run when the '}' is
// read), and, for an object it removes, on every line that names it (keepalived: "... not found,
// ignoring"). The blocks are read as keepalived reads them (PlacedStatement.parent), so lines that
// parameters or ignored braces move in or out of a block count where keepalived counts them.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import type { SymbolDefinition, SymbolKind } from '../analysis/symbols';
import type { Span, Statement } from '../syntax/ast';
import type { FileFinding } from './references';
import type { RuleId } from './rules';
import { readRouteLine } from './values/route';
import { UNICAST_KEYWORDS } from '../schema/vocabulary';
import { isIP } from '../analysis/primitives';
import { blockChildren } from '../analysis/objects';
import { routeOption, ruleOption, unreadRuleOption } from '../schema/line-options';

/** A block keepalived drops when none of `needs` is set in it (lib and keepalived sources named). */
interface Requirement {
  rule: RuleId;
  kind: SymbolKind;
  needs: string[];
  message: (name: string) => string;
  /** The finding on a line that names the dropped object, when keepalived reports one there. */
  reference?: (name: string, line: number) => string;
}

const REQUIREMENTS: Record<string, Requirement> = {
  // vrrp_parser.c, vrrp_vscript_end_handler(): "No script set for vrrp_script X - removing".
  vrrp_script: {
    rule: 'vrrp-script-without-script',
    kind: 'vrrp_script',
    needs: ['script'],
    message: (name) =>
      `vrrp_script '${name}' has no 'script' line: keepalived reports "No script set for vrrp_script ${name} - removing" here and removes it, so every track_script entry naming it is ignored.`,
    reference: (name, line) =>
      `keepalived removes vrrp_script '${name}' (it has no 'script' line, see line ${line}), so it ignores this entry ("track script ${name} not found, ignoring...").`,
  },
  // trackers/track_file.c, track_file_end_handler(): "No file set for track_file X - ignoring".
  track_file: {
    rule: 'track-file-without-file',
    kind: 'track_file',
    needs: ['file'],
    message: (name) =>
      `track_file '${name}' has no 'file' line: keepalived reports "No file set for track_file ${name} - ignoring" here and drops it, so everything tracking it ignores it.`,
    reference: (name, line) =>
      `keepalived drops track_file '${name}' (it has no 'file' line, see line ${line}), so it ignores this entry ("track_file ${name} not found").`,
  },
  // vrrp/vrrp_parser.c, vrrp_tprocess_end_handler(): "track process 'X' process name not specified", then
  // vrrp_track.c for each instance naming it: "(VI_1) track process X not found, ignoring...".
  vrrp_track_process: {
    rule: 'track-process-without-process',
    kind: 'vrrp_track_process',
    needs: ['process'],
    message: (name) =>
      `vrrp_track_process '${name}' has no 'process' line: keepalived reports "track process '${name}' process name not specified" here and removes it, so every track_process entry naming it is ignored.`,
    reference: (name, line) =>
      `keepalived removes vrrp_track_process '${name}' (it has no 'process' line, see line ${line}), so it ignores this entry ("track process ${name} not found, ignoring...").`,
  },
  // bfd/bfd_parser.c, bfd_end_handler(): "BFD instance X has no neighbor address set, disabling instance".
  bfd_instance: {
    rule: 'bfd-without-neighbor',
    kind: 'bfd_instance',
    needs: ['neighbor_ip', 'neighbour_ip'],
    message: (name) =>
      `bfd_instance '${name}' has no 'neighbor_ip': keepalived reports "BFD instance ${name} has no neighbor address set, disabling instance" here and removes it, so nothing can track it.`,
    // keepalived -t says nothing where track_bfd names a disabled instance: no finding there either.
  },
};
REQUIREMENTS['vrrp_track_file'] = REQUIREMENTS['track_file']!;

/** The health checkers keepalived drops without a url (check_http.c, http_get_check_end()). */
const HTTP_CHECKERS = new Set(['virtual_server/real_server/HTTP_GET', 'virtual_server/real_server/SSL_GET']);

/** Lines that change the sorry server read before them, with what keepalived says when there is none. */
const SORRY_SERVER_OPTIONS: Record<string, string> = {
  'virtual_server/sorry_server_inhibit': 'Ignoring sorry_server inhibit used before or without sorry_server',
  'virtual_server/sorry_server_lvs_method': 'sorry_server forwarding used without sorry_server',
};

export function checkConsequences(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  /** Interfaces already given a garp_group, with the line that gave it. */
  const garp = new Map<string, number>();
  /** The line of the first vrrp_iptables read, if any. */
  let iptables: number | undefined;
  for (const [path, file] of model.files) {
    // Every active placing under each block, grouped once per model (analysis/objects.ts).
    const children = blockChildren(model).get(path) ?? new Map<Statement, PlacedStatement[]>();
    for (const p of file.placed) {
      if (!p.inactive && p.spec?.path === 'global_defs/vrrp_iptables') {
        out.push(iptablesBuild(path, p));
        iptables ??= file.lines.positionAt(p.statement.keyword.start).line + 1;
      }
      // global_parser.c vrrp_nftables_handler: on an nftables build, vrrp_iptables has already set the
      // table, so a later `nftables` is "already specified - ignoring" (its table name too).
      if (!p.inactive && p.spec?.path === 'global_defs/nftables' && iptables !== undefined)
        out.push({
          file: path,
          rule: 'vrrp-iptables-build',
          message: `On a keepalived built with nftables and without iptables (Debian's and Ubuntu's packages), vrrp_iptables (line ${iptables}) has already chosen the nftables table 'keepalived': keepalived reports "nftables already specified - ignoring" and ignores this line, table name included. Remove the vrrp_iptables line.`,
          start: p.statement.keyword.start,
          end: p.statement.end,
        });
      if (!p.inactive && p.spec?.path === 'global_defs/vrrp_ipsets') out.push(ipsetsBuild(path, p));
      if (!p.inactive && p.role === 'value-line') routeOrRule(path, p, out);
      // core/global_parser.c, email_handler(): "Warning - empty notification_email block", once its '}'
      // is read.
      if (!p.inactive && p.spec?.path === 'global_defs/notification_email' && p.statement.block) {
        if (!children.has(p.statement))
          out.push({
            file: path,
            rule: 'empty-notification-email',
            message:
              'This notification_email block lists no address: keepalived reports "Warning - empty notification_email block" and sends no mail. Add the addresses, one per line, or remove the block.',
            ...closing(p.statement),
          });
      }
      if (
        !p.inactive &&
        (p.spec?.path === 'garp_group/interface' || p.spec?.path === 'garp_group/interfaces')
      )
        garpInterfaces(
          path,
          p,
          children.get(p.statement) ?? [],
          garp,
          (at) => file.lines.positionAt(at).line + 1,
          out,
        );
      if (!p.inactive && p.spec?.path === 'virtual_server/real_server/FILE_CHECK' && p.statement.block) {
        const found = fileCheck(model, children.get(p.statement) ?? []);
        if (found)
          out.push({
            file: path,
            rule: 'file-check-without-track-file',
            message: found,
            ...closing(p.statement),
          });
      }
      if (!p.inactive && HTTP_CHECKERS.has(p.spec?.path ?? '') && p.statement.block) {
        // check/check_http.c, http_get_check_end(): no url, no checker.
        const inside = children.get(p.statement) ?? [];
        if (!inside.some((c) => c.role === 'keyword' && c.spec?.name === 'url'))
          out.push({
            file: path,
            rule: 'http-check-without-url',
            message: `This ${p.spec!.name} has no url block: keepalived reports "HTTP/SSL_GET checker has no urls specified - ignoring" and drops the checker, so it never checks this real server. Add a url block with a path (and status_code or digest).`,
            ...closing(p.statement),
          });
      }
      if (!p.inactive && p.spec && SORRY_SERVER_OPTIONS[p.spec.path] && p.parent) {
        // check/check_parser.c, ssvri_handler() and ss_forwarding_handler(): they change the sorry server
        // read so far in this virtual_server, and there is none before them.
        // A sorry_server whose address keepalived cannot read sets none (alloc_ssvr()).
        const before = (children.get(p.parent) ?? []).some(
          (c) =>
            c.spec?.path === 'virtual_server/sorry_server' &&
            c.statement.start < p.statement.start &&
            (c.expandedArgs[0] === undefined || isIP(c.expandedArgs[0])),
        );
        if (!before)
          out.push({
            file: path,
            rule: 'sorry-server-option-without-server',
            message: `keepalived reads ${p.spec.name} only after this virtual_server's sorry_server line, and there is none before it: it reports "${SORRY_SERVER_OPTIONS[p.spec.path]}" and ignores this line. Put it after the sorry_server line.`,
            start: p.statement.keyword.start,
            end: p.statement.end,
          });
      }
      if (p.inactive || p.role !== 'keyword' || p.spec?.parent !== '' || !p.spec.block) continue;
      const s = p.statement;
      const inside = children.get(s) ?? [];
      const has = (names: readonly string[] | ReadonlySet<string>): PlacedStatement | undefined => {
        const named = Array.isArray(names)
          ? (name: string) => names.includes(name)
          : (name: string) => (names as ReadonlySet<string>).has(name);
        return inside.find((c) => c.role === 'keyword' && c.spec && named(c.spec.name));
      };
      const end = closing(s);
      const requirement = REQUIREMENTS[p.spec.path];
      if (requirement) {
        const name = p.expandedArgs[0];
        if (name === undefined || has(requirement.needs)) continue;
        out.push({ file: path, rule: requirement.rule, message: requirement.message(name), ...end });
        const line = file.lines.positionAt(end.start).line + 1;
        const reference = requirement.reference;
        if (reference)
          for (const ref of model.symbols.referencesOf(requirement.kind, name))
            out.push({
              file: ref.file,
              rule: requirement.rule,
              message: reference(name, line),
              ...ref.span,
            });
      } else if (p.spec.path === 'garp_group') {
        // vrrp_parser.c, garp_group_end_handler(): a group with neither interval is removed at its '}'.
        if (has(['garp_interval', 'gna_interval'])) continue;
        out.push({
          file: path,
          rule: 'garp-group-without-delay',
          message:
            'This garp_group sets neither garp_interval nor gna_interval: keepalived reports "garp group N does not have any delay set - removing" here and removes it, so its interfaces send gratuitous ARPs and neighbour advertisements unpaced. Add \'garp_interval SECONDS\' (or gna_interval).',
          ...end,
        });
      } else if (p.spec.path === 'vrrp_instance') {
        const vmac = has(['use_vmac', 'use_ipvlan']);
        if (!vmac || !has(UNICAST_KEYWORDS) || has(['vmac_xmit_base'])) continue;
        const name = p.expandedArgs[0] ?? s.args[0]?.value ?? '';
        const setting = vmac.spec!.name;
        out.push({
          file: path,
          rule: 'unicast-vmac-xmit-base',
          message: has(['interface'])
            ? `(${name}) unicast with ${setting} needs vmac_xmit_base: keepalived reports "unicast with use_vmac requires vmac_xmit_base - setting" here and turns it on, so adverts go out of the base interface, not the VMAC. Add 'vmac_xmit_base' to say so.`
            : `(${name}) unicast with ${setting} and no 'interface': keepalived reports "Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac" here and drops ${setting}.`,
          ...end,
        });
      }
    }
  }
  return out;
}

/**
 * check/check_file.c, file_end_handler(): a FILE_CHECK whose track_file lines name no defined track_file
 * (track_file_handler only sets the file when it finds the name) is dropped at its '}': "FILE_CHECK has
 * no track_file specified - ignoring". Undefined when one of its lines may name a defined one.
 */
function fileCheck(model: ConfigModel, inside: PlacedStatement[]): string | undefined {
  const lines = inside.filter((c) => c.role === 'keyword' && c.spec?.name === 'track_file');
  if (model.symbols.openKinds.has('track_file')) return undefined;
  for (const line of lines) {
    const name = line.expandedArgs[0];
    if (name === undefined && line.statement.args.length > 0) return undefined;
    if (name !== undefined && model.symbols.definitionsOf('track_file', name).some((d) => kept(model, d)))
      return undefined;
  }
  const why =
    lines.length === 0
      ? "has no 'track_file' line"
      : 'names no track_file keepalived keeps (none by that name, or one dropped for lacking a file line)';
  return `This FILE_CHECK ${why}: keepalived reports "FILE_CHECK has no track_file specified - ignoring" here and drops the checker, so the real server's weight does not follow any file.`;
}

/**
 * vrrp_parser.c garp_group_interface(s)_handler: an interface already in a garp_group is refused ("garp_group
 * already specified for X - ignoring"). An `interfaces` block is read whole (read_value_block), so keepalived
 * reports at its '}', and (a slip in 2.2.7) always names the block's second word.
 */
function garpInterfaces(
  path: string,
  p: PlacedStatement,
  inside: PlacedStatement[],
  seen: Map<string, number>,
  lineAt: (offset: number) => number,
  out: FileFinding[],
): void {
  const block = p.spec?.name === 'interfaces';
  if (block && !p.statement.block) return;
  const words = block ? inside.flatMap((c) => [c.expandedKeyword, ...c.expandedArgs]) : [p.expandedArgs[0]];
  if (words.some((w) => w === undefined)) return;
  const here = lineAt(p.statement.keyword.start);
  for (const name of words as string[]) {
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, here);
      continue;
    }
    const named = block ? ((words as string[])[1] ?? name) : name;
    out.push({
      file: path,
      rule: 'duplicate-garp-interface',
      message: `Interface '${name}' already has a garp_group (line ${first}): keepalived reports "garp_group already specified for ${named} - ignoring" and keeps the first group's delays for it.`,
      ...(block ? closing(p.statement) : { start: p.statement.keyword.start, end: p.statement.end }),
    });
  }
}

/** A track_file keepalived keeps: its block has a `file` line (see REQUIREMENTS). */
function kept(model: ConfigModel, d: SymbolDefinition): boolean {
  const placed = model.files.get(d.file)?.placed ?? [];
  return placed.some(
    (c) => !c.inactive && c.parent === d.statement && c.role === 'keyword' && c.spec?.name === 'file',
  );
}

/**
 * core/global_parser.c: a keepalived built with nftables and without iptables (Debian's and Ubuntu's
 * packages) answers `vrrp_iptables` with "iptables not supported, using nftables instead" and uses its
 * nftables table. What happens depends on the build, so this is information, not an error.
 */
function iptablesBuild(file: string, p: PlacedStatement): FileFinding {
  const s = p.statement;
  return {
    file,
    rule: 'vrrp-iptables-build',
    message:
      "What vrrp_iptables does depends on how keepalived was built: one built with nftables and without iptables (Debian's and Ubuntu's packages) reports \"iptables not supported, using nftables instead\" and uses the nftables table 'keepalived'; one built with iptables uses the chains named here. On an nftables build, write 'nftables' instead.",
    start: s.keyword.start,
    end: s.keyword.end,
  };
}

/**
 * core/global_parser.c installs `vrrp_ipsets` only `#ifdef _HAVE_LIBIPSET_`, which configure.ac defines
 * only with iptables support and libipset: a build with nftables and without iptables (Debian's and
 * Ubuntu's packages) reports "Unknown keyword 'vrrp_ipsets'" and ignores the line. It depends on the
 * build, so it is a warning that says so.
 */
function ipsetsBuild(file: string, p: PlacedStatement): FileFinding {
  const s = p.statement;
  return {
    file,
    rule: 'vrrp-ipsets-build',
    message:
      "vrrp_ipsets is read only by a keepalived built with iptables and libipset: one built with nftables and without iptables (Debian's and Ubuntu's packages) reports \"Unknown keyword 'vrrp_ipsets'\" and ignores this line. On an nftables build, the 'nftables' line sets up what the ipsets did; on a build with iptables and ipset support, nothing needs to change.",
    start: s.keyword.start,
    end: s.keyword.end,
  };
}

/**
 * vrrp_iproute.c / vrrp_iprule.c, at the end of a route or rule line: keepalived tracks a route unless it
 * says `no_track`, which needs an interface (`dev`/`oif` before any `nexthop`) and its own protocol; a
 * rule without a preference gets the next one counting down from 16384.
 */
function routeOrRule(file: string, p: PlacedStatement, out: FileFinding[]): void {
  if (p.valueLines !== 'route' && p.valueLines !== 'rule') return;
  const s = p.statement;
  const values = [s.keyword.value.includes('$') ? p.expandedKeyword : s.keyword.value, ...p.expandedArgs];
  if (values.some((v) => v === undefined)) return;
  const words = values as string[];
  const at = { start: s.keyword.start, end: (s.args[s.args.length - 1] ?? s.keyword).end };
  if (p.valueLines === 'rule') {
    // A track_group off a static_rules line drops the rule (the value check reports it).
    const dropped = unreadRuleOption(words, p.owner?.name ?? '') >= 0;
    if (!dropped && !words.some((w) => ruleOption(w)?.value === 'preference'))
      out.push({
        file,
        rule: 'rule-without-preference',
        message:
          'This rule has no preference: keepalived reports "Rule has no preference specified - setting to N" and gives it the next one down from 16384, so its place among the rules depends on the order of the configuration. Add \'preference N\'.',
        ...at,
      });
    return;
  }
  if (words.includes('no_track')) return;
  // A route keepalived drops while reading it is never tracked either (the value check reports why).
  const block = p.owner?.name;
  if (readRouteLine(words, block === 'static_routes').some((r) => r.severity === 'error')) return;
  const nexthop = words.indexOf('nexthop');
  const head = nexthop >= 0 ? words.slice(0, nexthop) : words;
  const protocol = head.indexOf('protocol');
  const proto = protocol >= 0 ? head[protocol + 1] : undefined;
  if (proto !== undefined && proto !== 'keepalived' && proto !== '18')
    out.push({
      file,
      rule: 'route-tracking',
      message: `keepalived tracks this route, so it reports "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol" and installs it with protocol keepalived, not '${proto}'. Add 'no_track' to keep the protocol.`,
      ...at,
    });
  if (!head.some((w) => routeOption(w)?.value === 'interface'))
    out.push({
      file,
      rule: 'route-tracking',
      message:
        "keepalived tracks a route through its interface, and this one names none: it reports \"cannot track route ... with no interface specified, not tracking\". Add 'dev IFNAME' to track it, or 'no_track' to say it is not tracked.",
      ...at,
    });
}

/** Where keepalived reports a block's end handler: its '}' (or its keyword when the file ends first). */
function closing(s: Statement): Span {
  const close = s.block?.close;
  return close === undefined
    ? { start: s.keyword.start, end: s.keyword.end }
    : { start: close, end: close + 1 };
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'vrrp-script-without-script',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: "A vrrp_script with no 'script' line: keepalived removes it and ignores what tracks it.",
  },
  {
    id: 'file-check-without-track-file',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A FILE_CHECK whose track_file lines name no defined track_file: keepalived drops the checker.',
  },
  {
    id: 'track-file-without-file',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: "A track_file with no 'file' line: keepalived drops it and ignores what tracks it.",
  },
  {
    id: 'track-process-without-process',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      "A vrrp_track_process with no 'process' line: keepalived removes it and ignores what tracks it.",
  },
  {
    id: 'http-check-without-url',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'An HTTP_GET or SSL_GET with no url block: keepalived drops the checker.',
  },
  {
    id: 'sorry-server-option-without-server',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description:
      'sorry_server_inhibit or sorry_server_lvs_method before any sorry_server line: keepalived ignores it.',
  },
  {
    id: 'bfd-without-neighbor',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: "A bfd_instance with no 'neighbor_ip': keepalived disables it and ignores what tracks it.",
  },
  {
    id: 'garp-group-without-delay',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'A garp_group with neither garp_interval nor gna_interval: keepalived removes it.',
  },
  {
    id: 'unicast-vmac-xmit-base',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description:
      'use_vmac (or use_ipvlan) with unicast and no vmac_xmit_base: keepalived turns vmac_xmit_base on.',
  },
  {
    id: 'vrrp-iptables-build',
    severity: 'info',
    category: 'correctness',
    scope: 'line',
    description: "vrrp_iptables, which an nftables-only build (Debian's, Ubuntu's) replaces with nftables.",
  },
  {
    id: 'vrrp-ipsets-build',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description:
      "vrrp_ipsets, which a build without iptables and libipset (Debian's, Ubuntu's) does not know.",
  },
  {
    id: 'route-tracking',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'A route keepalived cannot track as written (no interface), or whose protocol it resets.',
  },
  {
    id: 'rule-without-preference',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'An ip rule with no preference: keepalived picks one, counting down from 16384.',
  },
  {
    id: 'empty-notification-email',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'A notification_email block with no address in it.',
  },
  {
    id: 'duplicate-garp-interface',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'An interface in a second garp_group (or twice in one): keepalived ignores the later one.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    consequences: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'consequences',
  rules,
  checks: [{ over: 'configuration', check: checkConsequences }],
};
