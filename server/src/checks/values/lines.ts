// Checks one line of a `{ ... }` value block (virtual_ipaddress, track_script, unicast_peer, ...).
import type { ValueLines } from '../../schema';
import type { ArgFinding, Arg } from './args';
import { ADDRESS_OPTION_REJECTS, addressOptionTooNew } from '../../schema/value-since';
import {
  addressOptionsReadIn,
  ADDRESS_SCOPE_IDS,
  ADDRESS_SCOPES,
  addressOption,
  addressOptionReadIn,
  type AddressOptionValue,
  type AddressScope,
} from '../../schema/vocabulary';
import {
  checkAddressWithPrefix,
  checkInt,
  checkInterfaceName,
  checkSockaddrIP,
  checkPort,
  checkTimer,
  isIPv4,
  vipFamily,
} from '../../analysis/primitives';
import { readTrackLine, TRACK_BLOCKS } from '../../analysis/track-lines';
import { readRouteLine } from './route';
import { vsgEntryProblem } from '../../analysis/vs-groups';
import { ruleOption, unicastPeerOption, unreadRuleOption } from '../../schema/line-options';
import { IFNAMSIZ } from '../../schema/limits';

/** What is wrong with the value of an address option, by what the option takes (scope: see scopeNumber). */
function checkOptionValue(kind: AddressOptionValue, value: string): string | undefined {
  switch (kind) {
    case 'address':
      return value === '+' || value === '-' ? undefined : checkAddressWithPrefix(value);
    case 'interface':
      return checkInterfaceName(value);
    case 'scope':
    case 'none':
    case 'label':
    case 'lifetime':
    case 'track_group':
      return undefined;
  }
}

/** lib/rttables.c find_entry(): a number (strtoul base 0) up to 255, or a default scope name. */
function scopeNumber(word: string): number | undefined {
  const named = Object.hasOwn(ADDRESS_SCOPE_IDS, word) ? ADDRESS_SCOPE_IDS[word as AddressScope] : undefined;
  if (named !== undefined) return named;
  if (!/^(0x[0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(word)) return undefined;
  const n = word.startsWith('0x')
    ? parseInt(word, 16)
    : word.startsWith('0')
      ? parseInt(word, 8)
      : Number(word);
  return n <= 255 ? n : undefined;
}

/** Digits and dots, or hex and colons: meant as an address, so worth validating. */
function looksLikeAddress(word: string): boolean {
  return /^[0-9.]+(\/\d*)?$/.test(word) || (/^[0-9A-Fa-f:.]+(\/\d*)?$/.test(word) && word.includes(':'));
}

/**
 * An address line's address as parse_ipaddress() reads it (vrrp_ipaddress.c, 2.2.7 to 2.4.3): inet_pton on
 * the part before '/', so a range (10.0.0.1-5, which only virtual_server_group takes) is no address.
 */
function checkIpAddressLine(word: string): string | undefined {
  const address = word.split('/')[0]!;
  if (/^[0-9A-Fa-f:.]+-[0-9A-Fa-f]+$/.test(address))
    return `'${word}' is a range, and an address line takes one address: keepalived reports "VRRP parsed invalid IP ${word}. skipping IP..." and adds none of them. Write one address per line (ranges are for virtual_server_group).`;
  if (address.includes('%') && vipFamily(address.replace(/%.*$/, '')) !== undefined)
    return `'${word}' has a zone, which an address line does not take: keepalived reports "VRRP parsed invalid IP ${word}. skipping IP..." and does not add it. Write the address without '%${address.replace(/^[^%]*%/, '')}' (the 'dev' option names the interface).`;
  return checkAddressWithPrefix(word);
}

/** `keepalivedVersion`: the targeted release (undefined = the newest), for address options added since 2.0. */
export function checkValueLine(
  kind: ValueLines | undefined,
  words: Arg[],
  blockName: string,
  keepalivedVersion?: string,
): ArgFinding[] {
  const out: ArgFinding[] = [];
  const invalid = (arg: Arg, message: string | undefined, severity?: ArgFinding['severity']): void => {
    if (message)
      out.push({ rule: 'invalid-value', message, start: arg.word.start, end: arg.word.end, severity });
  };
  const first = words[0];
  if (!first) return out;

  switch (kind) {
    case 'ipaddress': {
      invalid(first, checkIpAddressLine(first.value));
      // parse_ipaddress: a ':' in the address makes it IPv6.
      const ipv6 = first.value.includes(':');
      for (let i = 1; i < words.length; i++) {
        const option = words[i]!;
        const known = addressOption(option.value);
        if (known === undefined) {
          invalid(
            option,
            `'${option.value}' is not an address option keepalived knows; it ignores it. Known: ${addressOptionsReadIn(
              blockName,
            )
              .map(([name]) => name)
              .join(', ')}.`,
            'warning',
          );
          continue;
        }
        if (!addressOptionReadIn(known, blockName)) {
          // alloc_ipaddress reports the option, then its value word, as unknown entries (2.2.7 l.651-652).
          const readOn =
            known.onlyOn === 'static'
              ? 'static_ipaddress'
              : 'virtual_ipaddress and virtual_ipaddress_excluded';
          const value = known.arity === 1 ? words[i + 1] : undefined;
          invalid(
            option,
            `'${option.value}' is only read on ${readOn} lines: keepalived reports "Unknown configuration entry '${option.value}' for ip address - ignoring"${value ? ` (and the same for '${value.value}')` : ''} and adds ${first.value} without it.`,
            'warning',
          );
          if (value) i++;
          continue;
        }
        const since = addressOptionTooNew(option.value, keepalivedVersion);
        if (since) {
          invalid(
            option,
            `'${option.value}' is read from keepalived ${since}; keepalived ${keepalivedVersion} ${ADDRESS_OPTION_REJECTS.replace('%s', option.value)}.`,
            'warning',
          );
        }
        const value = words[i + 1];
        if (known.arity === 1 && value) {
          const scope = option.value === 'scope' ? scopeNumber(value.value) : undefined;
          if (option.value === 'scope' && scope === undefined) {
            // find_rttables_scope() also reads the names of /etc/iproute2/rt_scopes on the node.
            invalid(
              value,
              `'${value.value}' is not a scope: use ${ADDRESS_SCOPES.join(', ')} or a number up to 255. Unless /etc/iproute2/rt_scopes on the node names it, keepalived reports "Invalid scope '${value.value}' specified for ${first.value} - ignoring" and adds the address without it.`,
              'warning',
            );
          } else if (option.value === 'scope' && ipv6 && scope !== 0) {
            // alloc_ipaddress clears a non-zero scope of an IPv6 address once the line is read.
            invalid(
              option,
              `keepalived takes no scope for an IPv6 address: it reports "Cannot specify scope for IPv6 addresses (${first.value}) - ignoring scope" and adds the address with the scope the kernel gives it. Remove 'scope ${value.value}'.`,
              'warning',
            );
          }
          // vrrp_ipaddress.c alloc_ipaddress: a label takes at most IFNAMSIZ - 1 bytes.
          if (option.value === 'label' && Buffer.byteLength(value.value) >= IFNAMSIZ) {
            invalid(
              value,
              `label '${value.value}' is longer than ${IFNAMSIZ - 1} characters: keepalived reports "Address label ${value.value} is longer than maximum length ${IFNAMSIZ - 1} - removing address", so ${first.value} is not added.`,
            );
          } else if (option.value === 'label' && ipv6) {
            invalid(
              option,
              `keepalived takes no label for an IPv6 address: it reports "Cannot specify label for IPv6 addresses (${first.value}) - ignoring label" and adds the address without it. Remove 'label ${value.value}'.`,
              'warning',
            );
          }
          if ((option.value === 'brd' || option.value === 'broadcast') && ipv6) {
            invalid(
              option,
              `IPv6 addresses have no broadcast address: keepalived reports "VRRP is trying to assign a broadcast ${value.value} to the IPv6 address ${first.value}" and skips this address, so it is not added.`,
            );
          }
          if (
            (option.value === 'brd' || option.value === 'broadcast') &&
            !ipv6 &&
            value.value !== '+' &&
            value.value !== '-' &&
            !isIPv4(value.value)
          ) {
            // inet_pton(AF_INET): a plain IPv4 address, no prefix.
            invalid(
              value,
              `'${value.value}' is not an IPv4 broadcast address: keepalived reports "VRRP is trying to assign invalid broadcast ${value.value}. skipping VIP..." and does not add ${first.value}. Write an address, '+' or '-'.`,
            );
          }
          if (option.value !== 'scope' && option.value !== 'brd' && option.value !== 'broadcast')
            invalid(value, checkOptionValue(known.value, value.value));
        }
        i += known.arity;
      }
      break;
    }
    case 'unicast_peer':
      // vrrp_data.c reads the peer with inet_stosockaddr, which ignores a '/prefix' or '-range'.
      invalid(
        first,
        checkSockaddrIP(first.value)
          ? `malformed unicast peer address '${first.value}': expected an IPv4 or IPv6 address.`
          : undefined,
      );
      for (let i = 1; i + 1 < words.length; i += 2) {
        const option = unicastPeerOption(words[i]!.value);
        if (option) invalid(words[i + 1]!, checkInt(words[i + 1]!.value, option.min, option.max));
      }
      break;
    case 'track':
    case 'track_interface': {
      const trackKind = TRACK_BLOCKS[blockName];
      if (trackKind) {
        const reading = readTrackLine(
          trackKind,
          words.map((w) => w.value),
        );
        for (const p of reading.problems) {
          const at = words[p.word];
          if (at) invalid(at, p.message, p.severity);
        }
      }
      if (kind === 'track_interface') invalid(first, checkInterfaceName(first.value));
      break;
    }
    case 'vsg_entry':
      if (first.value === 'fwmark') {
        if (words[1]) invalid(words[1], checkInt(words[1].value, 0, 4294967295));
        break;
      }
      // An address, then a range or subnet, as alloc_vsg_entry() reads them (vs-groups.ts).
      {
        const problem = vsgEntryProblem(first.value, words[1]?.value);
        if (problem?.daemonKeeps)
          invalid(
            first,
            `keepalived -t reports "${problem.message}" and leaves this entry out of the group, while the running daemon only logs it as a warning and reads the range up to the extra characters. Write the range end as a number alone.`,
            'warning',
          );
        else if (problem)
          invalid(first, `keepalived reports "${problem.message}", so this entry is not part of the group.`);
      }
      if (words[1]) invalid(words[1], checkPort(words[1].value));
      break;
    case 'route':
      for (const p of readRouteLine(
        words.map((w) => w.value),
        blockName === 'static_routes',
        keepalivedVersion,
      )) {
        const at = words[p.word];
        if (at) invalid(at, p.message, p.severity);
      }
      break;
    case 'rule':
      {
        const option =
          words[
            unreadRuleOption(
              words.map((w) => w.value),
              blockName,
            )
          ];
        if (option)
          invalid(
            option,
            `'${option.value}' is only read on static_rules lines: keepalived reports "Unknown rule option ${option.value}" and drops this rule, so it is never installed. Remove '${option.value}' and its group, or move the rule to static_rules.`,
          );
      }
      // ip rule syntax is wide; only check the addresses that follow the options taking one.
      for (let i = 0; i + 1 < words.length; i++) {
        const next = words[i + 1]!;
        if (ruleOption(words[i]!.value)?.value === 'address' && looksLikeAddress(next.value)) {
          invalid(next, checkAddressWithPrefix(next.value));
        }
      }
      break;
    case 'up_down_delay':
      invalid(first, checkInterfaceName(first.value));
      for (const w of words.slice(1, 3)) invalid(w, checkTimer(w.value, 0, 255));
      break;
    case 'interface_names':
      for (const w of words) invalid(w, checkInterfaceName(w.value));
      break;
    default:
      break;
  }
  return out;
}
