// Checks one line of a `{ ... }` value block (virtual_ipaddress, track_script, unicast_peer, ...).
import type { ValueLines } from '../../schema';
import type { ArgFinding, Arg } from './args';
import { ADDRESS_OPTION_REJECTS, addressOptionTooNew } from '../../schema/value-since';
import {
  ADDRESS_OPTIONS,
  ADDRESS_SCOPES,
  addressOption,
  type AddressOptionValue,
} from '../../schema/vocabulary';
import {
  checkAddressWithPrefix,
  checkInt,
  checkInterfaceName,
  checkIP,
  checkSockaddrIP,
  checkPort,
  checkTimer,
} from '../../analysis/primitives';
import { readTrackLine, TRACK_BLOCKS } from '../../analysis/track-lines';

const ADDRESS_WORDS = ['from', 'to', 'via', 'gw', 'src', 'nexthop'];

/** What is wrong with the value of an address option, by what the option takes. */
function checkOptionValue(kind: AddressOptionValue, value: string): string | undefined {
  switch (kind) {
    case 'scope':
      return (ADDRESS_SCOPES as readonly string[]).includes(value) || /^\d+$/.test(value)
        ? undefined
        : `'${value}' is not a scope: use ${ADDRESS_SCOPES.join(', ')}.`;
    case 'address':
      return value === '+' || value === '-' ? undefined : checkAddressWithPrefix(value);
    case 'interface':
      return checkInterfaceName(value);
    case 'none':
    case 'label':
    case 'lifetime':
    case 'track_group':
      return undefined;
  }
}

/** Digits and dots, or hex and colons: meant as an address, so worth validating. */
function looksLikeAddress(word: string): boolean {
  return /^[0-9.]+(\/\d*)?$/.test(word) || (/^[0-9A-Fa-f:.]+(\/\d*)?$/.test(word) && word.includes(':'));
}

/** keepalived accepts address ranges in the last group: 10.0.0.1-5, fe80::1-9 (optionally /PREFIX). */
function withoutRange(word: string): string {
  return word.replace(/-[0-9A-Fa-f]+(?=\/|$)/, '');
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
      invalid(first, checkAddressWithPrefix(withoutRange(first.value)));
      for (let i = 1; i < words.length; i++) {
        const option = words[i]!;
        const known = addressOption(option.value);
        if (known === undefined) {
          invalid(
            option,
            `'${option.value}' is not an address option keepalived knows; it ignores it. Known: ${Object.keys(ADDRESS_OPTIONS).join(', ')}.`,
            'warning',
          );
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
        if (known.arity === 1 && value) invalid(value, checkOptionValue(known.value, value.value));
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
        const option = words[i]!;
        if (option.value === 'min_ttl' || option.value === 'max_ttl')
          invalid(words[i + 1]!, checkInt(words[i + 1]!.value, 0, 255));
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
      // An address, or a range in its last group (10.0.0.1-10, ae00::2-9).
      invalid(first, checkIP(withoutRange(first.value)));
      if (words[1]) invalid(words[1], checkPort(words[1].value));
      break;
    case 'route':
    case 'rule':
      // ip route / ip rule syntax is wide; only check the addresses that follow these words.
      for (let i = 0; i + 1 < words.length; i++) {
        const next = words[i + 1]!;
        if (ADDRESS_WORDS.includes(words[i]!.value) && looksLikeAddress(next.value)) {
          invalid(next, checkAddressWithPrefix(next.value));
        }
      }
      if (kind === 'route' && looksLikeAddress(first.value))
        invalid(first, checkAddressWithPrefix(first.value));
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
