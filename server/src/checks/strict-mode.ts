// What keepalived changes in an instance that runs in strict mode (global vrrp_strict or its own
// strict_mode), and authentication it drops: vrrp.c vrrp_complete_instance(), 2.2.7 l.2913-2966 and
// l.3150-3160. keepalived reports each as a configuration error and runs on with its own value, except
// unicast peers, which stop the VRRP process.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { ConfigModel } from '../analysis/model';
import { basePriority, priorityKnown } from '../analysis/election';
import { isIPv6LinkLocal, readVmacAddress } from '../analysis/primitives';
import {
  inStrictMode,
  isIpv6Instance,
  objectsOf,
  vrrpVersionOf,
  type ConfigObjects,
  type Located,
  type VrrpInstance,
} from '../analysis/objects';
import { booleanValue } from '../schema/vocabulary';
import { compareVersions } from '../schema/version';
import type { FileFinding } from './references';
import { findingsPerNode } from './per-node';

/** Why keepalived drops an instance's authentication (vrrp.c 2.2.7 l.2922-2946: one if/else chain). */
export type AuthDropped = 'strict' | 'v3' | 'no-password' | 'ah-ipv6';

export function authDropped(objects: ConfigObjects, i: VrrpInstance): AuthDropped | undefined {
  if (!i.authType || i.authType === 'NONE') return undefined;
  if (inStrictMode(objects, i)) return 'strict';
  if (vrrpVersionOf(objects, i) === 3) return 'v3';
  // vrrp_auth_pass_handler copies the value: none written, or an empty one, leaves no password.
  if (!i.authPassWritten || i.authPass === '') return 'no-password';
  if (i.authType === 'AH' && isIpv6Instance(i)) return 'ah-ipv6';
  return undefined;
}

/** The instances whose authentication keepalived ignores, and why. */
export function authIgnored(model: ConfigModel): Map<VrrpInstance, AuthDropped> {
  const objects = objectsOf(model);
  const out = new Map<VrrpInstance, AuthDropped>();
  for (const i of objects.instances) {
    const why = authDropped(objects, i);
    if (why) out.set(i, why);
  }
  return out;
}

/**
 * Instance settings strict mode forces (vrrp.c vrrp_complete_instance(), 2.2.7 l.3139-3143, l.3204-3235):
 * written on the instance with another value, keepalived reports each and resets it. Set only in
 * global_defs, the instance takes strict mode's value without a word.
 */
const STRICT_VALUES: readonly {
  keyword: string;
  /** Whether the value written (the first word, undefined when none) is one strict mode resets. */
  resets(value: string | undefined): boolean;
  said: string;
  means: string;
}[] = [
  {
    keyword: 'garp_lower_prio_repeat',
    resets: (v) => v !== undefined && /^\d+$/.test(v) && Number(v) > 0,
    said: 'Strict mode requires no repeat garps. resetting',
    means: 'it sends no gratuitous ARPs on a lower-priority advert',
  },
  {
    keyword: 'garp_lower_prio_delay',
    resets: (v) => v !== undefined && /^\d+$/.test(v) && Number(v) > 0,
    said: 'Strict mode requires no repeat garp delay. resetting',
    means: 'the delay is 0',
  },
  {
    keyword: 'lower_prio_no_advert',
    resets: (v) => v !== undefined && booleanValue(v) === false,
    said: 'Strict mode requires no lower priority advert. resetting',
    means: 'a master that receives a lower-priority advert does not answer it',
  },
  {
    keyword: 'higher_prio_send_advert',
    resets: (v) => v === undefined || booleanValue(v) === true,
    said: 'strict mode requires higher_prio_send_advert to be clear. resetting',
    means: 'a master does not send an advert on seeing a higher priority',
  },
  {
    keyword: 'down_timer_adverts',
    resets: (v) =>
      v !== undefined && /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100 && Number(v) !== 3,
    said: 'down_timer_adverts is incompatible with strict mode - resetting',
    means: 'a backup takes over after 3 missed adverts (RFC 5798)',
  },
];

function strictResets(objects: ConfigObjects, i: VrrpInstance): { at: Located; message: string }[] {
  const out: { at: Located; message: string }[] = [];
  for (const setting of STRICT_VALUES) {
    // Each line's handler overwrites the one before: the last line written decides.
    const line = i.children.filter((c) => c.role === 'keyword' && c.spec?.name === setting.keyword).at(-1);
    if (!line || line.statement.args[0]?.template !== undefined) continue;
    const value = line.statement.args.length ? line.expandedArgs[0] : undefined;
    if (line.statement.args.length && value === undefined) continue; // an unknown parameter
    if (!setting.resets(value)) continue;
    const s = line.statement;
    out.push({
      at: { file: objects.fileOf(s, i.file), statement: s, span: s.keyword },
      message: `'${i.name}' runs in strict mode: keepalived reports "(${i.name}) ${setting.said}", so ${setting.means}. Remove the ${setting.keyword} line, or drop strict mode.`,
    });
  }
  return out;
}

/**
 * The use_vmac MAC address keepalived takes for the instance: the first one it does not refuse, over the
 * first two words of each use_vmac line (vrrp_vmac_handler, vrrp_parser.c 2.2.7 l.497-542). Strict mode then
 * clears it (vrrp.c l.2998-3002).
 */
function vmacAddressWord(
  objects: ConfigObjects,
  i: VrrpInstance,
): (Located & { address: string }) | undefined {
  for (const line of i.children) {
    if (line.role !== 'keyword' || line.spec?.name !== 'use_vmac') continue;
    const s = line.statement;
    for (let n = 0; n < Math.min(2, s.args.length); n++) {
      const word = line.expandedArgs[n];
      if (word === undefined) return undefined; // not known here: it may be the address
      if (word.includes(':') && readVmacAddress(word).ok)
        return { file: objects.fileOf(s, i.file), statement: s, span: s.args[n]!, address: word };
    }
  }
  return undefined;
}

/**
 * keepalived 2.2.5 to 2.3.x test VRRP_FLAG_UNICAST for "Unicast peers are not supported in strict mode"
 * before they set it (vrrp.c 2.2.7 l.2959 against l.2986), so the check never fires; 2.2.4 tested the peer
 * list, and 2.4.0 sets the flag first (l.3392 against l.3407). Confirmed by running the 2.2.7 daemon.
 */
function unicastStrictUnchecked(version: string | undefined): boolean {
  return (
    version !== undefined && compareVersions(version, '2.2.5') >= 0 && compareVersions(version, '2.4.0') < 0
  );
}

/** As each node reads the configuration (its `@id` lines): strict mode and the lines it overrides may be a node's own. */
export function checkStrictMode(model: ConfigModel): FileFinding[] {
  return findingsPerNode(model, (objects) => strictFindings(model, objects));
}

function strictFindings(model: ConfigModel, objects: ConfigObjects): FileFinding[] {
  const out: FileFinding[] = [];
  const report = (
    at: { file: string; span: { start: number; end: number } },
    message: string,
    severity?: FileFinding['severity'],
  ) =>
    out.push({
      file: at.file,
      rule: 'strict-mode-override',
      message,
      start: at.span.start,
      end: at.span.end,
      ...(severity ? { severity } : {}),
    });
  for (const i of objects.instances) {
    const why = authDropped(objects, i);
    // The other reasons are not strict mode's: checks/vrrp-setup.ts (auth-ignored) words them.
    if (why !== 'strict' && why !== 'v3') continue;
    const at = i.authTypeLine ?? i;
    report(
      at,
      why === 'strict'
        ? `'${i.name}' runs in strict mode, which does not support authentication: keepalived reports "(${i.name}) Strict mode does not support authentication. Ignoring." and sends adverts with none, so peers that still authenticate reject them. Remove the authentication block (on every node).`
        : `'${i.name}' speaks VRRP version 3, which has no authentication: keepalived reports "(${i.name}) VRRP version 3 does not support authentication. Ignoring." and sends adverts with none, so peers on version 2 with a password reject them. Remove the authentication block, or use version 2 on every node.`,
    );
  }
  for (const i of objects.instances) {
    if (!inStrictMode(objects, i)) continue;
    if (isIpv6Instance(i) && i.version === 2) {
      const line = i.children.filter((c) => c.role === 'keyword' && c.spec?.name === 'version').at(-1)!;
      report(
        { file: objects.fileOf(line.statement, i.file), span: line.statement.keyword },
        `'${i.name}' has IPv6 addresses and runs in strict mode, where IPv6 needs VRRP version 3: keepalived reports "(${i.name}) cannot use IPv6 with VRRP version 2; setting version 3" and sends version 3 adverts, which a peer written with version 2 does not take for its own. Write version 3 (on every node).`,
      );
    }
    // Without a priority line, state MASTER makes the owner (vrrp.c l.2904-2910); one not known here decides nothing.
    const owner = basePriority(i) === 255;
    if (priorityKnown(i) && i.state !== undefined && (i.state === 'MASTER') !== owner) {
      report(
        i.stateLine ?? i,
        `In strict mode state MASTER must go with priority 255 (the address owner): keepalived reports "(${i.name}) State MASTER must match being address owner" and starts '${i.name}' as ${owner ? 'MASTER' : 'BACKUP'} instead. Write state ${owner ? 'MASTER' : 'BACKUP'}, or drop strict mode.`,
      );
    }
    if (i.accept?.on && !owner && vrrpVersionOf(objects, i) === 2) {
      report(
        i.accept,
        `'accept' is not allowed for a non-owner in strict mode with VRRP version 2: keepalived reports "(${i.name}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting" and turns it off, so this node drops traffic sent to the VIPs it holds (only the owner, priority 255, answers on them). Use version 3, or drop strict mode, if the VIPs must accept connections.`,
      );
    }
    for (const r of strictResets(objects, i)) report(r.at, r.message);
    const mac = vmacAddressWord(objects, i);
    if (mac)
      report(
        mac,
        `'${i.name}' runs in strict mode, which does not allow a VMAC address of your own: keepalived reports "(${i.name}): cannot specify MAC address with strict mode - clearing" and gives the VMAC the VRRP address 00:00:5e:00:0${isIpv6Instance(i) ? 2 : 1}:XX (XX = the virtual_router_id) instead of ${mac.address}. Remove the address from use_vmac, or drop strict mode.`,
      );
    // RFC 5798 5.2.9: an IPv6 advert's first address is the link-local one (vrrp.c l.3040-3048; with unicast
    // peers keepalived does not ask).
    // The first VIP keepalived keeps: one of another family is skipped (address-family-mismatch).
    const first = i.vips.find((v) => v.address.includes(':'));
    if (first && isIpv6Instance(i) && i.unicastPeers.length === 0 && !isIPv6LinkLocal(first.address))
      report(
        first,
        `'${i.name}' runs in strict mode and its first VIP ${first.address} is not an IPv6 link-local address: keepalived reports "(${i.name}) the first IPv6 VIP address must be link local" (a configuration error for keepalived -t), as RFC 5798 wants the first address of an IPv6 advert to be the link-local one. Put a link-local address (fe80::/10) first in virtual_ipaddress.`,
      );
    // Only with peers (VRRP_FLAG_UNICAST); an empty block is unicast-without-peers'.
    if (i.unicastPeerBlock && i.unicastPeerLinesKept > 0) {
      const remedy = `Remove vrrp_strict (or set strict_mode off in '${i.name}'), or use multicast.`;
      if (unicastStrictUnchecked(model.options.keepalivedVersion))
        report(
          i.unicastPeerBlock,
          `Strict mode does not allow unicast peers, but keepalived ${model.options.keepalivedVersion} does not enforce it: its check tests a flag it sets only afterwards (vrrp.c vrrp_complete_instance), so '${i.name}' runs with its peers. From 2.4.0 keepalived reports "(${i.name}) Unicast peers are not supported in strict mode" on an interface that supports multicast and the VRRP process stops. ${remedy}`,
          'info',
        );
      else
        report(
          i.unicastPeerBlock,
          `Strict mode does not allow unicast peers: on an interface that supports multicast (every Ethernet interface does) keepalived reports "(${i.name}) Unicast peers are not supported in strict mode" and the VRRP process stops, so no instance of this node brings up its VIPs. keepalived -t may not report it, because it does not read the interfaces' flags. ${remedy}`,
        );
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'strict-mode-override',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'An instance in strict mode (or on VRRPv3) with settings keepalived overrides or rejects: authentication, state MASTER without priority 255, accept, unicast peers, version 2 with IPv6, an IPv6 first VIP that is not link-local, a use_vmac MAC address.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'strict-mode': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'strict-mode',
  rules,
  checks: [{ over: 'configuration', check: checkStrictMode }],
};
