// The one rule table. Ids are stable public contract (docs/rules.md, suppressions, settings, SARIF).

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOrOff = Severity | 'off';

export interface Rule {
  id: string;
  severity: Severity;
  /** One line, for `--help`, SARIF and the docs table. */
  description: string;
}

const table = [
  {
    id: 'syntax-error',
    severity: 'error',
    description: 'A line keepalived cannot read (stray text the grammar cannot place).',
  },
  {
    id: 'unclosed-block',
    severity: 'error',
    description: "A block opened with '{' is never closed with '}'.",
  },
  { id: 'extra-closing-brace', severity: 'error', description: "A '}' that closes no block." },
  {
    id: 'unexpected-block',
    severity: 'error',
    description:
      "A '{' block after a keyword that takes none, or after nothing; keepalived ignores the brace.",
  },
  { id: 'missing-block', severity: 'error', description: "A block keyword without its '{ ... }'." },
  {
    id: 'unterminated-quote',
    severity: 'error',
    description: 'A quoted string with no closing quote on its line.',
  },
  { id: 'unknown-keyword', severity: 'error', description: 'A keyword keepalived does not know anywhere.' },
  {
    id: 'wrong-block',
    severity: 'error',
    description: 'A known keyword used in a block where keepalived does not accept it.',
  },
  {
    id: 'unsupported-keyword',
    severity: 'error',
    description: 'A keyword newer than the targeted keepalived version (keepalived reports it as unknown).',
  },
  { id: 'missing-argument', severity: 'error', description: 'A keyword without a value it needs.' },
  {
    id: 'extra-argument',
    severity: 'warning',
    description: 'Words after a keyword that keepalived ignores.',
  },
  {
    id: 'invalid-value',
    severity: 'error',
    description:
      'A value keepalived rejects: out of range, not a number, unknown choice, malformed address or timer.',
  },
  {
    id: 'deprecated-keyword',
    severity: 'warning',
    description: 'A keyword keepalived deprecated, with its replacement.',
  },
  {
    id: 'legacy-keyword',
    severity: 'hint',
    description: 'An old spelling keepalived still accepts silently (lb_algo, lb_kind).',
  },
  {
    id: 'auth-pass-too-long',
    severity: 'warning',
    description: 'auth_pass longer than 8 bytes; keepalived truncates it.',
  },
  {
    id: 'line-too-long',
    severity: 'error',
    description:
      'A line keepalived cannot read whole: fgets() into its 1024-byte buffer takes 1023 bytes; before 2.4.0 the rest is read as a new line, from 2.4.0 a line that does not fit with its line break is dropped ("line too long - ignoring").',
  },
  {
    id: 'include-not-found',
    severity: 'warning',
    description:
      'An include whose file or glob matches nothing or only partly, or matches entries keepalived skips; an error where the include variant makes keepalived -t fail.',
  },
  {
    id: 'include-cycle',
    severity: 'error',
    description:
      'An include that leads back to a file already being read: keepalived has no depth limit and reads the files again at every level until it runs out of file descriptors.',
  },
  {
    id: 'analysis-limit',
    severity: 'warning',
    description:
      'The linter stopped short of analysing everything: a file too large, an include too deep or too wide, a runaway glob or parameter. Findings that depend on what was skipped are downgraded.',
  },
  {
    id: 'undefined-reference',
    severity: 'error',
    description: 'A reference (track_script, track_file, sync-group member, ...) to a name defined nowhere.',
  },
  {
    id: 'duplicate-definition',
    severity: 'warning',
    description: 'Two definitions of one name (two vrrp_script chk, two vrrp_instance VI_1, ...).',
  },
  {
    id: 'unused-definition',
    severity: 'hint',
    description: 'A vrrp_script, track_file, process tracker or group no one references.',
  },
  {
    id: 'undefined-parameter',
    severity: 'hint',
    description: 'A $PARAMETER used but never defined; keepalived keeps it literally.',
  },
  { id: 'unused-parameter', severity: 'hint', description: 'A $PARAMETER defined but never used.' },
  {
    id: 'duplicate-vrid',
    severity: 'warning',
    description:
      'Two VRRP instances with the same virtual_router_id on the same interface and address family.',
  },
  { id: 'duplicate-vip', severity: 'warning', description: 'The same virtual IP in two VRRP instances.' },
  {
    id: 'duplicate-virtual-server',
    severity: 'warning',
    description: 'Two virtual_server blocks for the same address, port and protocol.',
  },
  {
    id: 'nopreempt-with-master',
    severity: 'warning',
    description: 'nopreempt with state MASTER: keepalived clears nopreempt.',
  },
  {
    id: 'sync-group-overlap',
    severity: 'warning',
    description: 'A VRRP instance listed in more than one sync group.',
  },
  {
    id: 'failover-never-happens',
    severity: 'warning',
    description:
      'Across nodes checked together: a failing tracked script that does not move the VIP (weight too small, or nopreempt on the peer).',
  },
  {
    id: 'script-runs-as-root',
    severity: 'warning',
    description:
      'A script keepalived will run as root: root named, or no user, no script_user and no keepalived_script account on the node.',
  },
  {
    id: 'script-user-template',
    severity: 'info',
    description:
      'In a template, the account a script runs as is a template expression: whether it is root depends on that variable.',
  },
  {
    id: 'script-disabled',
    severity: 'error',
    description:
      'A script keepalived removes: enable_script_security is set, the script names no user and the node has no keepalived_script account.',
  },
  {
    id: 'script-account-missing',
    severity: 'error',
    description:
      'A user, group or script_user that does not exist on this machine (--this-host): keepalived removes the scripts that use it.',
  },
  {
    id: 'script-user-numeric',
    severity: 'error',
    description:
      'A numeric user or group (`user 0`): keepalived looks names up only by name, so it removes the script.',
  },
  {
    id: 'script-account-unverified',
    severity: 'info',
    description:
      'An account scripts run as, which must exist on every node (checked with --this-host); keepalived removes the scripts where it does not.',
  },
  {
    id: 'script-args-as-user',
    severity: 'warning',
    description:
      'An unquoted notify command whose next word keepalived reads as the user (`notify_master /x.sh MASTER`): the script is removed.',
  },
  {
    id: 'script-args-ignored',
    severity: 'warning',
    description:
      'Words after an unquoted command that keepalived drops (`script /x.sh arg` runs /x.sh alone).',
  },
  {
    id: 'script-user-after-script',
    severity: 'warning',
    description:
      'A script read before global_defs script_user: it runs as root (or the default) after a reload.',
  },
  {
    id: 'script-bare-command',
    severity: 'warning',
    description:
      'A command without a path run as a non-root account: keepalived\u2019s PATH search then fails and disables it.',
  },
  {
    id: 'script-security-disabled',
    severity: 'warning',
    description:
      'Scripts would run but enable_script_security is not set (keepalived -t: SECURITY VIOLATION).',
  },
  {
    id: 'unsafe-script-path',
    severity: 'warning',
    description:
      'A root script in a place someone other than root can change (writable folders, /tmp, non-root owners).',
  },
  {
    id: 'script-not-found',
    severity: 'warning',
    description: 'A script that does not exist on this machine (--this-host): keepalived disables it.',
  },
  {
    id: 'script-not-executable',
    severity: 'warning',
    description: 'A script the account it runs as cannot execute (--this-host): keepalived disables it.',
  },
  {
    id: 'script-no-shebang',
    severity: 'warning',
    description: 'A script file with no #! line and no ELF header (--this-host): it can never be executed.',
  },
  {
    id: 'script-symlink-renamed',
    severity: 'warning',
    description:
      'Before 2.3.0: a symlink to a program of another name (pidof -> killall5), which keepalived runs under the target\u2019s name.',
  },
  {
    id: 'startup-script-kills-keepalived',
    severity: 'error',
    description:
      'Before 2.3.0: a startup_script or shutdown_script run as a non-root account stops keepalived at start-up.',
  },
  {
    id: 'script-shell-syntax',
    severity: 'warning',
    description: 'Shell operators in a script command; keepalived runs scripts without a shell.',
  },
  {
    id: 'cleartext-auth',
    severity: 'warning',
    description: 'auth_type PASS: the VRRP password travels in clear text.',
  },
  {
    id: 'insecure-key-file',
    severity: 'warning',
    description: 'An auth_hmac key file readable or writable by others.',
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
