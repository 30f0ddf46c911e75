// Checks the words after a keyword against its argument spec.
import type { KeywordSpec, SpecialShape } from '../../schema';
import type { Word } from '../../syntax/ast';
import type { Finding } from '../finding';
import type { Severity } from '../rules';
import { listed, LVS_METHOD_NAMES, lvsMethod } from '../../schema/vocabulary';
import {
  checkBool,
  checkInt,
  checkInterfaceName,
  checkSockaddrIP,
  checkPort,
  checkTimer,
  isIPv4,
  isIPv6,
  isNumericHost,
  isIPv4Multicast,
  isIPv6Multicast,
  type Verdict,
  sockaddrPart,
} from '../../analysis/primitives';
import { STORED_SETTINGS } from '../../analysis/stored-settings';

/** A word with its value after `$PARAM` expansion. */
export interface Arg {
  word: Word;
  value: string;
}

export type ArgFinding = Finding & { severity?: Severity };

/** What the value checks return for a line without findings (most lines): shared, never added to. */
export const NO_ARG_FINDINGS: readonly ArgFinding[] = Object.freeze([]);

export function checkArgs(spec: KeywordSpec, keyword: Word, args: Arg[]): ArgFinding[] {
  const a = spec.args;
  // One reporter per line (not three closures): this runs on every keyword line.
  const r = new ArgReport(spec, keyword, args);
  switch (a.kind) {
    case 'none':
      // The message is built only for a line that has values (every block line would pay for it).
      if (args.length > 0)
        r.extra(
          0,
          spec.block === 'values'
            ? `its values go inside '${spec.name} { ... }'; keepalived reports "Block ${spec.name} has extra parameters" and reads the following lines as values up to the next '}'`
            : 'it takes no value, so keepalived ignores them',
        );
      break;
    case 'bool':
      if (args[0]) r.invalid(args[0], checkBool(args[0].value));
      r.extra(1);
      break;
    case 'string':
    case 'name':
      if (!args[0]) {
        // For loosely typed keywords the inventory cannot tell a required value from an optional one
        // (`use_vmac` alone is fine): say nothing rather than raise a false alarm.
        const loose = a.kind === 'string' && (a.optional || a.strict === false);
        if (!loose) r.missing('a value');
      } else if (!(a.kind === 'string' && (a.rest || a.strict === false))) r.extra(1);
      break;
    case 'int':
      if (!args[0]) {
        if (!a.optional) r.missing(`a number from ${a.min} to ${a.max}`);
        break;
      }
      r.invalid(args[0], checkInt(args[0].value, a.min, a.max));
      if (a.trailing && args[1] && a.trailing.includes(args[1].value)) r.extra(2);
      else if (a.trailing && args[1]) {
        r.invalid(args[1], `'${args[1].value}' is not understood here: expected ${a.trailing.join(' or ')}.`);
        r.extra(2);
      } else r.extra(1);
      break;
    case 'timer':
      if (!args[0]) r.missing('a time in seconds');
      else {
        r.invalid(args[0], checkTimer(args[0].value, a.min, a.max));
        r.extra(1);
      }
      break;
    case 'enum': {
      if (!args[0]) {
        r.missing(`one of ${a.values.join(', ')}`);
        break;
      }
      const v = a.caseInsensitive ? args[0].value.toUpperCase() : args[0].value;
      const values = a.caseInsensitive ? a.values.map((x) => x.toUpperCase()) : a.values;
      if (!values.includes(v))
        r.invalid(
          args[0],
          `'${args[0].value}' is not valid for '${spec.name}': use one of ${a.values.join(', ')}.`,
        );
      r.extra(1);
      break;
    }
    case 'script':
      if (!args[0] && !a.optional) r.missing('a script command (quote it if it has arguments)');
      break;
    case 'user':
      if (!args[0]) r.missing('a user name');
      else r.extra(2);
      break;
    case 'ip':
      if (!args[0]) r.missing('an IP address');
      else {
        // Every 'ip' keyword is read with inet_stosockaddr, which ignores a '/prefix' or '-range'.
        r.invalid(args[0], checkSockaddrIP(args[0].value));
        r.extra(1);
      }
      break;
    case 'interface':
      if (!args[0]) r.missing('an interface name');
      else {
        // A name too long is refused (the setting's consequence follows); one with a '/' is looked up
        // like any other and never found, which the verdict says.
        r.invalid(args[0], checkInterfaceName(args[0].value), !args[0].value.includes('/'));
        r.extra(1);
      }
      break;
    case 'special':
      checkSpecial(a.shape, spec, args, r);
      break;
  }
  // A keyword the schema types loosely whose handler still says something without a value.
  if (!args.length && spec.emptyValue && !r.out.some((f) => f.rule === 'missing-argument'))
    r.missing(a.kind === 'int' ? 'a number' : 'a value');
  return r.out;
}

/** The findings of one line's words, with what they say about the keyword (see checkArgs). */
class ArgReport {
  readonly out: ArgFinding[] = [];

  constructor(
    private readonly spec: KeywordSpec,
    private readonly keyword: Word,
    private readonly args: Arg[],
  ) {}

  /** `refused`: keepalived's handler refuses the word, so the setting's onInvalid says what it keeps instead. */
  invalid(arg: Arg, verdict: Verdict, refused = true): void {
    if (!verdict) return;
    // What keepalived then stores, for the settings whose handler is known (analysis/stored-settings.ts).
    const consequence = refused ? STORED_SETTINGS[this.spec.path]?.onInvalid : undefined;
    const message =
      consequence && arg === this.args[0]
        ? `${verdict.replace(/\.$/, '')}${verdict.includes(': ') ? ';' : ':'} ${consequence}.`
        : verdict;
    this.out.push({ rule: 'invalid-value', message, start: arg.word.start, end: arg.word.end });
  }

  missing(what: string, severity?: Severity): void {
    const spec = this.spec;
    this.out.push({
      rule: 'missing-argument',
      message: `'${spec.name}' needs ${what}${emptyConsequence(spec)}.${spec.doc ? ` Syntax: ${spec.doc.syntax}` : ''}`,
      start: this.keyword.start,
      end: this.keyword.end,
      severity,
    });
  }

  extra(from: number, why = 'keepalived ignores them'): void {
    const args = this.args;
    if (args.length <= from) return;
    const first = args[from]!.word;
    const last = args[args.length - 1]!.word;
    const words = args
      .slice(from)
      .map((x) => x.word.text)
      .join(' ');
    this.out.push({
      rule: 'extra-argument',
      message: `'${this.spec.name}' does not take '${words}': ${why}.`,
      start: first.start,
      end: last.end,
      tags: ['unnecessary'],
    });
  }
}

/** What keepalived does with the line when the value is missing, in its words (`emptyValue`). */
function emptyConsequence(spec: KeywordSpec): string {
  const e = spec.emptyValue;
  if (e?.stops)
    return `: keepalived reports that the line "is missing a parameter after keyword \`${spec.name}\`" and stops reading the configuration here`;
  if (e?.message) return `: keepalived reports "${e.message}" and ignores this line`;
  return '';
}

interface Reporters {
  invalid: (arg: Arg, verdict: Verdict) => void;
  missing: (what: string, severity?: Severity) => void;
  extra: (from: number, why?: string) => void;
}

function checkSpecial(shape: SpecialShape, spec: KeywordSpec, args: Arg[], r: Reporters): void {
  const first = args[0];
  switch (shape) {
    case 'lvs_method':
      if (!first) return r.missing(`a forwarding method: ${listed(LVS_METHOD_NAMES)}`);
      if (!lvsMethod(first.value)) {
        r.invalid(first, `'${first.value}' is not a forwarding method: use ${listed(LVS_METHOD_NAMES)}.`);
      }
      return;
    case 'mcast4':
    case 'mcast6':
    case 'mcast':
      if (!first) return r.missing('a multicast address');
      // Read with inet_stosockaddr too: a '/prefix' or '-range' is ignored.
      if (shape !== 'mcast6' && isIPv4(sockaddrPart(first.value))) {
        if (!isIPv4Multicast(sockaddrPart(first.value)))
          r.invalid(
            first,
            `'${first.value}' is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255).`,
          );
      } else if (shape !== 'mcast4' && first.value.includes(':')) {
        if (!isIPv6Multicast(sockaddrPart(first.value)))
          r.invalid(first, `'${first.value}' is not an IPv6 multicast address (ff00::/8).`);
      } else r.invalid(first, `'${first.value}' is not a multicast address.`);
      return r.extra(1);
    case 'ip_port':
      if (!first || !args[1]) return r.missing('an IP address and a port');
      r.invalid(first, checkSockaddrIP(first.value));
      r.invalid(args[1], checkPort(args[1].value));
      return r.extra(2);
    case 'ip_optional_port':
      if (!first) return r.missing('an IP address and optionally a port');
      r.invalid(first, checkSockaddrIP(first.value));
      if (args[1]) r.invalid(args[1], checkPort(args[1].value));
      return r.extra(2);
    case 'virtual_server':
      if (!first) return r.missing("an address and port, 'fwmark N' or 'group NAME'");
      if (first.value === 'fwmark') {
        if (!args[1]) return r.missing("a firewall mark number after 'fwmark'");
        r.invalid(args[1], checkInt(args[1].value, 0, 4294967295));
        return;
      }
      if (first.value === 'group') {
        if (!args[1]) return r.missing("a virtual_server_group name after 'group'");
        return r.extra(2);
      }
      r.invalid(first, checkSockaddrIP(first.value));
      if (args[1]) r.invalid(args[1], checkPort(args[1].value));
      return r.extra(2);
    case 'persistence_granularity':
      if (!first) return r.missing('a netmask or prefix length');
      if (!isIPv4(first.value) && checkInt(first.value, 1, 128)) {
        r.invalid(
          first,
          `'${first.value}' is not a netmask (like 255.255.255.0) or a prefix length from 1 to 128.`,
        );
      }
      return r.extra(1);
    case 'status_codes':
      if (!first) return r.missing('one or more HTTP status codes or ranges such as 200-299');
      for (const arg of args) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(arg.value);
        const bad = !m || [m[1], m[2]].some((n) => n !== undefined && (Number(n) < 100 || Number(n) > 599));
        if (bad)
          r.invalid(arg, `'${arg.value}' is not an HTTP status code or range (100 to 599, e.g. 200-299).`);
      }
      return;
    case 'host_optional_port':
      if (!first) return r.missing('a host name or address');
      // smtpserver_handler(): an address (inet_stosockaddr), else a name getaddrinfo() resolves on the
      // node. Digits and dots that are no address, or a colon outside an IPv6 address, resolve nowhere.
      if (
        /^[\d.]+$/.test(first.value)
          ? !isNumericHost(first.value)
          : first.value.includes(':') && !isIPv6(first.value)
      )
        r.invalid(
          first,
          `'${first.value}' is not an address, nor a name any resolver answers for: keepalived reports "Invalid smtp server" and has no SMTP server, so it sends no notification email.`,
        );
      if (args[1]) r.invalid(args[1], checkPort(args[1].value));
      return r.extra(2);
    case 'init_file':
    case 'include_check':
      return;
    case 'hmac_key':
    case 'lvs_sync_daemon':
    case 'notify_fifo':
      if (!first) r.missing(spec.doc ? 'its value' : 'a value');
      return;
  }
}
