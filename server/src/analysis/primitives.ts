// Value grammars keepalived applies to single words: numbers, timers, booleans, addresses, prefixes.
// Each returns undefined when the word is fine, or a message saying what is wrong and what would be right.

import { booleanValue } from '../schema/vocabulary';
import { IFNAMSIZ } from '../schema/limits';

export type Verdict = string | undefined;

export function checkBool(word: string): Verdict {
  if (booleanValue(word) !== undefined) return undefined;
  return `'${word}' is not a boolean: use true/false, on/off or yes/no (lower case), or the keyword alone for true.`;
}

/** strtol/strtoul base 10, as keepalived's read_int/read_unsigned do. */
export function checkInt(word: string, min: number, max: number): Verdict {
  if (!/^[+-]?\d+$/.test(word))
    return `invalid number '${word}': expected a whole number from ${min} to ${max}.`;
  const value = Number(word);
  if (min >= 0 && value < 0) return `negative number '${word}': expected ${min} to ${max}.`;
  if (value < min || value > max) return `number '${word}' is outside the range [${min}, ${max}].`;
  return undefined;
}

/** Decimal seconds with at most 6 decimal places (keepalived's read_timer / read_decimal_unsigned). */
export function checkTimer(word: string, min: number, max: number): Verdict {
  const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(word);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
    return `invalid number '${word}': expected a time in seconds such as 1 or 0.5.`;
  }
  if ((m[2] ?? '').length > 6)
    return `number '${word}' has too many decimal places: keepalived keeps at most 6.`;
  const value = Number(word);
  if (value < min || value > max) return `number '${word}' is outside the range [${min}, ${max}].`;
  return undefined;
}

/**
 * Four dot-separated groups of one to three digits, each at most 255 (what
 * /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/ with the bounds says), read in one pass over the
 * characters: it runs on every address, and a match would allocate its groups.
 */
export function isIPv4(text: string): boolean {
  let dots = 0;
  let digits = 0;
  let group = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
      group = group * 10 + (c - 48);
    } else if (c === 46) {
      if (digits === 0 || group > 255 || ++dots > 3) return false;
      digits = 0;
      group = 0;
    } else return false;
  }
  return dots === 3 && digits > 0 && group <= 255;
}

export function isIPv6(text: string): boolean {
  const zone = text.indexOf('%');
  const addr = zone >= 0 ? text.slice(0, zone) : text;
  if (!/^[0-9A-Fa-f:.]+$/.test(addr) || !addr.includes(':')) return false;
  let groups = addr.split(':');
  // An embedded IPv4 tail counts as two groups.
  const tail = groups[groups.length - 1]!;
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    groups = [...groups.slice(0, -1), '0', '0'];
  }
  const doubles = addr.split('::').length - 1;
  if (doubles > 1) return false;
  if (doubles === 0) return groups.length === 8 && groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
  const nonEmpty = groups.filter((g) => g !== '');
  return nonEmpty.length <= 7 && nonEmpty.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
}

/** The family of an address as inet_stosockaddr() reads it (up to a '-' or '/'); undefined when not one. */
export function sockaddrFamily(word: string): 4 | 6 | undefined {
  const address = sockaddrPart(word);
  return isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
}

/**
 * The family of a virtual_ipaddress line's address as parse_ipaddress() reads it (vrrp_ipaddress.c 2.2.7
 * l.382-426): the part before '/', IPv6 when it has a ':', and only if inet_pton takes it; undefined when
 * keepalived skips the line ("VRRP parsed invalid IP"). Unlike a socket address, nothing is cut at '-'.
 */
export function vipFamily(word: string): 4 | 6 | undefined {
  const slash = word.indexOf('/');
  const address = slash >= 0 ? word.slice(0, slash) : word;
  // inet_pton takes no zone (fe80::1%eth0), which isIPv6 allows.
  if (address.includes('%')) return undefined;
  if (address.includes(':')) return isIPv6(address) ? 6 : undefined;
  return isIPv4(address) ? 4 : undefined;
}

/** IN6_IS_ADDR_LINKLOCAL: an IPv6 address in fe80::/10 (its first 16 bits masked with 0xffc0). */
export function isIPv6LinkLocal(text: string): boolean {
  if (!isIPv6(text)) return false;
  const first = text.startsWith('::') ? '0' : text.split(':')[0]!;
  return (parseInt(first, 16) & 0xffc0) === 0xfe80;
}

/**
 * Whether a text of digits and dots is an address to inet_aton(), which getaddrinfo() tries before it
 * looks a name up: one to four parts, decimal or (led by 0) octal, the last filling the bytes left
 * (`10.1` is 10.0.0.1). Such a text that is not one is no name either: no resolver answers for it.
 */
export function isNumericHost(text: string): boolean {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p))) return false;
  const values = parts.map((p) =>
    p.length > 1 && p.startsWith('0') ? (/^[0-7]+$/.test(p) ? parseInt(p, 8) : NaN) : +p,
  );
  if (values.some((v) => Number.isNaN(v))) return false;
  const last = values.pop()!;
  return values.every((v) => v <= 255) && last < 2 ** (8 * (4 - values.length));
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** `IP` or `IP/PREFIX` with the prefix in range for the family. */
export function checkAddressWithPrefix(word: string): Verdict {
  const slash = word.indexOf('/');
  const addr = slash >= 0 ? word.slice(0, slash) : word;
  if (!isIP(addr)) return `'${addr}' is not a valid IPv4 or IPv6 address.`;
  if (slash >= 0) {
    const prefix = word.slice(slash + 1);
    const max = isIPv4(addr) ? 32 : 128;
    if (!/^\d+$/.test(prefix) || Number(prefix) > max) {
      return `'/${prefix}' is not a valid prefix length for ${addr}: expected 0 to ${max}.`;
    }
  }
  return undefined;
}

export function checkIP(word: string): Verdict {
  return isIP(word) ? undefined : `'${word}' is not a valid IPv4 or IPv6 address.`;
}

/**
 * The address part keepalived parses where it reads a socket address (lib/utils.c 2.2.7 inet_stosockaddr
 * l.567-570): it cuts the text at the first '-', or if there is none at the first '/' ("remove range and
 * mask stuff"), so `10.0.0.1/24` is 10.0.0.1 and `10.0.0.0/24-5` is `10.0.0.0/24`.
 */
export function sockaddrPart(word: string): string {
  const dash = word.indexOf('-');
  const cut = dash >= 0 ? dash : word.indexOf('/');
  return cut >= 0 ? word.slice(0, cut) : word;
}

/** An address as inet_stosockaddr reads it: anything from '-' or '/' on is ignored. */
export function checkSockaddrIP(word: string): Verdict {
  return checkIP(sockaddrPart(word));
}

export function checkPort(word: string): Verdict {
  return checkInt(word, 0, 65535) ? `'${word}' is not a valid port: expected 0 to 65535.` : undefined;
}

export function isIPv4Multicast(text: string): boolean {
  return isIPv4(text) && Number(text.split('.')[0]) >= 224 && Number(text.split('.')[0]) <= 239;
}

export function isIPv6Multicast(text: string): boolean {
  return isIPv6(text) && /^ff/i.test(text);
}

/** Linux takes at most IFNAMSIZ - 1 bytes for an interface name; keepalived refuses a longer one unread. */
export function tooLongForIfName(word: string): boolean {
  return Buffer.byteLength(word) >= IFNAMSIZ;
}

/** Linux interface names: 1 to IFNAMSIZ - 1 bytes, no '/' or whitespace. */
export function checkInterfaceName(word: string): Verdict {
  if (tooLongForIfName(word))
    return `Interface name '${word}' is too long: Linux allows at most ${IFNAMSIZ - 1} characters.`;
  if (word.includes('/'))
    return `Interface name '${word}' cannot contain '/': Linux gives no interface such a name, so keepalived looks it up and never finds one.`;
  return undefined;
}

/** What keepalived makes of a use_vmac MAC address (a word with a ':'). */
export type VmacAddress = (
  | /** Taken. */ { ok: true }
    /** Refused with this message of keepalived's. */
  | { ok: false; says: string }
) & {
  /**
   * Five octets were read: keepalived sets VRRP_VMAC_MAC_USE_VRID (the sixth octet is the VRID) before it
   * checks the address, so the flag stays set when it then refuses it (vrrp_parser.c 2.2.7 l.521-525).
   */
  sixthIsVrid: boolean;
};

/**
 * vrrp_vmac_handler's reading of a MAC address (vrrp_parser.c 2.2.7 l.497-542): hex digits and ':' only,
 * then six octets of one or two hex digits each, or five and a trailing ':' or nothing (the sixth is then
 * the VRID); anything after the sixth octet is not read. It refuses a multicast address and the RFC 5798
 * VRRP ranges 00:00:5e:00:01:xx and 00:00:5e:00:02:xx.
 */
export function readVmacAddress(word: string): VmacAddress {
  const invalid = (says: string): VmacAddress => ({ ok: false, says, sixthIsVrid: false });
  if (/[^0-9A-Fa-f:]/.test(word)) return invalid(`VMAC invalid MAC address ${word}`);
  const octets: number[] = [];
  let p = 0;
  for (let j = 0; j < 6; j++) {
    const digits = /^[0-9A-Fa-f]*/.exec(word.slice(p))![0];
    const end = p + digits.length;
    const next = word[end];
    // strtoul read nothing or more than two digits; or the octet is not followed by ':' (the end of the
    // word is allowed only from the fifth octet on).
    if (digits.length === 0 || digits.length > 2 || (next !== ':' && (next !== undefined || j < 4))) {
      return invalid(`VMAC invalid MAC address ${word} - ignored`);
    }
    octets.push(parseInt(digits, 16));
    // Five octets and the end of the word (or a last ':'): the sixth is the VRID (VRRP_VMAC_MAC_USE_VRID).
    if (j === 4 && (next === undefined || end + 1 === word.length)) break;
    p = end + 1;
    if (p >= word.length && j < 5) return invalid(`VMAC invalid MAC address ${word} - ignored`);
  }
  const sixthIsVrid = octets.length === 5;
  if ((octets[0]! & 1) !== 0)
    return { ok: false, says: `VMAC MAC address is multicast ${word} - ignoring`, sixthIsVrid };
  const [a, b, c, d, e] = octets;
  if (a === 0 && b === 0 && c === 0x5e && d === 0 && (e === 1 || e === 2))
    return {
      ok: false,
      says: `VMAC MAC address not allowed to be RFC5798 address (${word}) - ignoring`,
      sixthIsVrid,
    };
  return { ok: true, sixthIsVrid };
}
