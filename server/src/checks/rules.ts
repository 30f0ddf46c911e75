// The one rule table. Ids are stable public contract (docs/rules.md, suppressions, settings, SARIF).
// Each record carries everything said about a rule outside its check: default severity, category, scope
// and the one-line description; `--help`, SARIF and the docs read them from here.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOrOff = Severity | 'off';

/**
 * What kind of problem a rule reports: SARIF tags (GitHub code scanning groups alerts by them) and the
 * docs table. A small fixed set, each explained in CATEGORIES and in docs/rules.md.
 */
export type Category = 'syntax' | 'correctness' | 'cluster' | 'scripts' | 'security' | 'style' | 'linter';

/** What a rule has to see to decide: how far an edit elsewhere can change its findings. */
export type Scope = 'line' | 'file' | 'configuration' | 'nodes' | 'machine';

export const CATEGORIES: Readonly<Record<Category, string>> = {
  syntax: 'keepalived cannot read the text as written (braces, quotes, line length)',
  correctness: 'keepalived rejects, ignores or misreads a keyword, a value, an include or a name',
  cluster: 'which node holds the virtual addresses: VRRP ids, addresses, preemption, failover',
  scripts: 'whether keepalived runs a script at all, as which account and with which arguments',
  security: 'scripts run as root, root scripts others can change, VRRP secrets others can read',
  style: 'keepalived does what is meant, but the configuration could say it more plainly',
  linter: 'about the linter itself: what it could not analyse',
};

export const SCOPES: Readonly<Record<Scope, string>> = {
  line: 'the line itself, in the block it is in',
  file: 'the whole file',
  configuration: 'the whole configuration, with every file it includes',
  nodes: 'the configurations of several nodes checked together',
  machine:
    "files and accounts on the machine the linter runs on, which are the node's own only with --this-host",
};

export interface Rule {
  id: string;
  severity: Severity;
  category: Category;
  scope: Scope;
  /** One line, for `--help`, SARIF and the docs table. */
  description: string;
}

const table = [
  {
    id: 'syntax-error',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description: 'A line keepalived cannot read (stray text the grammar cannot place).',
  },
  {
    id: 'unclosed-block',
    severity: 'error',
    category: 'syntax',
    scope: 'file',
    description: "A block opened with '{' is never closed with '}'.",
  },
  {
    id: 'extra-closing-brace',
    severity: 'error',
    category: 'syntax',
    scope: 'file',
    description: "A '}' that closes no block.",
  },
  {
    id: 'unexpected-block',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description:
      "A '{' block after a keyword that takes none, or after nothing; keepalived ignores the brace.",
  },
  {
    id: 'missing-block',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description: "A block keyword without its '{ ... }'.",
  },
  {
    id: 'unterminated-quote',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description: 'A quoted string with no closing quote on its line.',
  },
  {
    id: 'unknown-keyword',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A keyword keepalived does not know anywhere.',
  },
  {
    id: 'wrong-block',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A known keyword used in a block where keepalived does not accept it.',
  },
  {
    id: 'unsupported-keyword',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A keyword newer than the targeted keepalived version (keepalived reports it as unknown).',
  },
  {
    id: 'missing-argument',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A keyword without a value it needs.',
  },
  {
    id: 'extra-argument',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'Words after a keyword that keepalived ignores.',
  },
  {
    id: 'invalid-value',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description:
      'A value keepalived rejects: out of range, not a number, unknown choice, malformed address or timer.',
  },
  {
    id: 'deprecated-keyword',
    severity: 'warning',
    category: 'style',
    scope: 'line',
    description: 'A keyword keepalived deprecated, with its replacement.',
  },
  {
    id: 'legacy-keyword',
    severity: 'hint',
    category: 'style',
    scope: 'line',
    description: 'An old spelling keepalived still accepts silently (lb_algo, lb_kind).',
  },
  {
    id: 'auth-pass-too-long',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'auth_pass longer than 8 bytes; keepalived truncates it.',
  },
  {
    id: 'line-too-long',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description:
      'A line keepalived cannot read whole: fgets() into its 1024-byte buffer takes 1023 bytes; before 2.4.0 the rest is read as a new line, from 2.4.0 a line that does not fit with its line break is dropped ("line too long - ignoring").',
  },
  {
    id: 'template-lines-joined',
    severity: 'warning',
    category: 'syntax',
    scope: 'line',
    description:
      "In an Ansible template (.j2 under templates/), a block tag that ends a line of keepalived text: Jinja's trim_blocks drops its line break, so the next line is rendered onto this one.",
  },
  {
    id: 'include-not-found',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'An include whose file or glob matches nothing or only partly, or matches entries keepalived skips; an error where the include variant makes keepalived -t fail.',
  },
  {
    id: 'include-cycle',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      'An include that leads back to a file already being read: keepalived has no depth limit and reads the files again at every level until it runs out of file descriptors.',
  },
  {
    id: 'analysis-limit',
    severity: 'warning',
    category: 'linter',
    scope: 'configuration',
    description:
      'The linter stopped short of analysing everything: a file too large, an include too deep or too wide, a runaway glob or parameter. Findings that depend on what was skipped are downgraded.',
  },
  {
    id: 'undefined-reference',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description: 'A reference (track_script, track_file, sync-group member, ...) to a name defined nowhere.',
  },
  {
    id: 'instance-missing-required',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A vrrp_instance without virtual_router_id or interface (or, with VRRP version 3 or strict mode, without a VIP): keepalived stops.',
  },
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
    id: 'duplicate-definition',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'Two definitions of one name (two vrrp_script chk, two vrrp_instance VI_1, ...).',
  },
  {
    id: 'unused-definition',
    severity: 'hint',
    category: 'style',
    scope: 'configuration',
    description: 'A vrrp_script, track_file, process tracker or group no one references.',
  },
  {
    id: 'parameter-cycle',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description: 'A $PARAMETER whose value leads back to itself: keepalived hangs or garbles the line.',
  },
  {
    id: 'undefined-parameter',
    severity: 'hint',
    category: 'correctness',
    scope: 'configuration',
    description: 'A $PARAMETER used but never defined; keepalived keeps it literally.',
  },
  {
    id: 'unused-parameter',
    severity: 'hint',
    category: 'style',
    scope: 'configuration',
    description: 'A $PARAMETER defined but never used.',
  },
  {
    id: 'duplicate-vrid',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      'Two VRRP instances with the same virtual_router_id on the same interface and address family.',
  },
  {
    id: 'duplicate-vip',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'The same virtual IP in two VRRP instances.',
  },
  {
    id: 'duplicate-garp-interface',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'An interface in a second garp_group (or twice in one): keepalived ignores the later one.',
  },
  {
    id: 'duplicate-virtual-server',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'Two virtual_server blocks for the same address, port and protocol.',
  },
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
    id: 'server-port-ignored',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A DR or TUN real or sorry server whose port keepalived replaces with the port of the service (or clears, for fwmark).',
  },
  {
    id: 'scheduler-flag-ignored',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description:
      'A virtual_server scheduler flag (sh-port, mh-fallback, hashed, ...) keepalived drops: wrong scheduler, or read before lvs_sched.',
  },
  {
    id: 'strict-mode-override',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'An instance in strict mode (or on VRRPv3) with settings keepalived overrides: authentication, state MASTER without priority 255, accept, unicast peers.',
  },
  {
    id: 'setting-overridden',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A one-value instance setting (state, priority, virtual_router_id, advert_int, version, preempt_delay, interface, unicast_src_ip, auth_type, auth_pass) written again: keepalived keeps one line and ignores the other.',
  },
  {
    id: 'address-family-mismatch',
    severity: 'warning',
    category: 'correctness',
    scope: 'file',
    description:
      "An address of the other family than the VRRP instance's first address (a VIP, a unicast peer, a source or multicast address): keepalived skips it.",
  },
  {
    id: 'vmac-setting-ignored',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A use_vmac interface name or MAC address keepalived ignores: the instance already has one, or another instance uses the name.',
  },
  {
    id: 'nopreempt-with-master',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'nopreempt with state MASTER: keepalived clears nopreempt.',
  },
  {
    id: 'sync-group-overlap',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'A VRRP instance listed in more than one sync group.',
  },
  {
    id: 'failover-never-happens',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes checked together: a failing tracked object that does not move the VIP (weight too small or ignored, or nopreempt on the peer).',
  },
  {
    id: 'failover-ip-tiebreak',
    severity: 'info',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: two nodes with the same priority, so the higher primary IP address decides who holds the VIP.',
  },
  {
    id: 'failover-to-failing-node',
    severity: 'info',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: a check failing on every node moves the VIP to a node where it fails too.',
  },
  {
    id: 'failover-own-interface-ignored',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: "A track_interface naming the instance's own interface: keepalived ignores the line.",
  },
  {
    id: 'cluster-vrid-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: instances sharing a VIP with different virtual_router_ids (split brain).',
  },
  {
    id: 'cluster-vip-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: the instances of one virtual router list different VIPs.',
  },
  {
    id: 'cluster-vrid-collision',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: unrelated instances (no VIP in common) use one virtual_router_id on one interface.',
  },
  {
    id: 'cluster-advert-int-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: the instances of one virtual router advertise at different intervals.',
  },
  {
    id: 'cluster-version-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: the instances of one virtual router speak different VRRP versions (split brain).',
  },
  {
    id: 'cluster-auth-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: the instances of one virtual router use different authentication (split brain).',
  },
  {
    id: 'cluster-unicast-asymmetric',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: "Across nodes: a node's unicast_peer list misses a peer that lists it.",
  },
  {
    id: 'cluster-unicast-self',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'An instance lists its own unicast_src_ip as a unicast_peer.',
  },
  {
    id: 'cluster-unicast-unknown-peer',
    severity: 'info',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: a unicast_peer address that no node checked together uses as unicast_src_ip.',
  },
  {
    id: 'cluster-multiple-owners',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: more than one address owner (priority 255) in one virtual router.',
  },
  {
    id: 'cluster-nopreempt-peer-master',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: nopreempt on one node while a peer has state MASTER, which preempts anyway.',
  },
  {
    id: 'script-runs-as-root',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description:
      'A script keepalived will run as root: root named, or no user, no script_user and no keepalived_script account on the node.',
  },
  {
    id: 'script-user-template',
    severity: 'info',
    category: 'security',
    scope: 'configuration',
    description:
      'In a template, the account a script runs as is a template expression: whether it is root depends on that variable.',
  },
  {
    id: 'script-disabled',
    severity: 'error',
    category: 'scripts',
    scope: 'configuration',
    description:
      'A script keepalived removes: enable_script_security is set, the script names no user and the node has no keepalived_script account.',
  },
  {
    id: 'script-account-missing',
    severity: 'error',
    category: 'scripts',
    scope: 'machine',
    description:
      'A user, group or script_user that does not exist on this machine (--this-host): keepalived removes the scripts that use it.',
  },
  {
    id: 'script-user-numeric',
    severity: 'error',
    category: 'scripts',
    scope: 'configuration',
    description:
      'A numeric user or group (`user 0`): keepalived looks names up only by name, so it removes the script.',
  },
  {
    id: 'script-account-unverified',
    severity: 'info',
    category: 'scripts',
    scope: 'configuration',
    description:
      'An account scripts run as, which must exist on every node (checked with --this-host); keepalived removes the scripts where it does not.',
  },
  {
    id: 'script-args-as-user',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description:
      'An unquoted notify command whose next word keepalived reads as the user (`notify_master /x.sh MASTER`): the script is removed.',
  },
  {
    id: 'script-args-ignored',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description:
      'Words after an unquoted command that keepalived drops (`script /x.sh arg` runs /x.sh alone).',
  },
  {
    id: 'script-user-after-script',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description:
      'A script read before global_defs script_user: it runs as root (or the default) after a reload.',
  },
  {
    id: 'script-bare-command',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description:
      'A command without a path run as a non-root account: keepalived\u2019s PATH search then fails and disables it.',
  },
  {
    id: 'script-security-disabled',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description:
      'Scripts would run but enable_script_security is not set (keepalived -t: SECURITY VIOLATION).',
  },
  {
    id: 'unsafe-script-path',
    severity: 'warning',
    category: 'security',
    scope: 'machine',
    description:
      'A root script in a place someone other than root can change (writable folders, /tmp, non-root owners).',
  },
  {
    id: 'script-not-found',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description: 'A script that does not exist on this machine (--this-host): keepalived disables it.',
  },
  {
    id: 'script-not-executable',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description: 'A script the account it runs as cannot execute (--this-host): keepalived disables it.',
  },
  {
    id: 'script-no-shebang',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description: 'A script file with no #! line and no ELF header (--this-host): it can never be executed.',
  },
  {
    id: 'script-symlink-renamed',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description:
      'Before 2.3.0: a symlink to a program of another name (pidof -> killall5), which keepalived runs under the target\u2019s name.',
  },
  {
    id: 'startup-script-kills-keepalived',
    severity: 'error',
    category: 'scripts',
    scope: 'configuration',
    description:
      'Before 2.3.0: a startup_script or shutdown_script run as a non-root account stops keepalived at start-up.',
  },
  {
    id: 'script-shell-syntax',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description: 'Shell operators in a script command; keepalived runs scripts without a shell.',
  },
  {
    id: 'cleartext-auth',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description: 'auth_type PASS: the VRRP password travels in clear text.',
  },
  {
    id: 'insecure-key-file',
    severity: 'warning',
    category: 'security',
    scope: 'machine',
    description: 'An auth_hmac key file readable or writable by others.',
  },
  {
    id: 'invalid-settings',
    severity: 'error',
    category: 'linter',
    scope: 'file',
    description:
      'A problem in a .keepalived-lint.json settings file (or the keepalived-lint key of package.json); what is at fault is not used.',
  },
] as const satisfies readonly Rule[];

export type RuleId = (typeof table)[number]['id'];

export const RULES: ReadonlyMap<string, Rule> = new Map(table.map((r) => [r.id, r]));

export const RULE_IDS: readonly RuleId[] = table.map((r) => r.id);

export const DOCS_BASE =
  'https://github.com/keepalived-tools/keepalived-language-tools/blob/main/docs/rules.md';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}#${id}`;
}
