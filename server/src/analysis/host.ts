// Facts about the nodes a configuration runs on that script checks need: which accounts and groups exist.
// keepalived resolves every script user and group by name only (getpwnam_r/getgrnam_r in lib/notify.c), so
// a numeric name like `0` is an account name, not a uid. Without facts about the nodes (the default), the
// accounts are unknown and findings that depend on them say so; `--this-host` reads this machine's
// /etc/passwd and /etc/group (metadata only, node/host.ts). Tests inject their own.

export interface Account {
  uid: number;
  /** Primary group: keepalived runs the script with it unless a group is named. */
  gid: number;
}

export interface HostInfo {
  /** The facts describe the nodes (this machine with --this-host, or a test's machine). */
  known: boolean;
  /** The account of that name, or undefined when it does not exist (or is unknown). */
  account(name: string): Account | undefined;
  /** The gid of a group of that name, or undefined when it does not exist (or is unknown). */
  groupId(name: string): number | undefined;
  /** Directories searched for bare command names (keepalived's own PATH search). */
  searchPath: string[];
  /**
   * Whether a network interface of that name exists there now (/sys/class/net); absent, or undefined for
   * a name, when the interfaces are not known.
   */
  interfaceExists?(name: string): boolean | undefined;
}

/** The PATH keepalived usually runs with (systemd's default for services). */
export const DEFAULT_SEARCH_PATH = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

const ROOT: Account = { uid: 0, gid: 0 };

/** Nothing is known about the nodes but that root exists there. */
export const UNKNOWN_HOST: HostInfo = {
  known: false,
  account: (name) => (name === 'root' ? ROOT : undefined),
  groupId: (name) => (name === 'root' ? 0 : undefined),
  searchPath: DEFAULT_SEARCH_PATH,
};

/**
 * A machine with exactly these accounts (name -> uid, or uid and primary gid) and groups, and these network
 * interfaces when given. Without an explicit gid an account's primary group has the uid's number; root and
 * group root always exist.
 */
export function fixedHost(
  accounts: Record<string, number | Account>,
  searchPath = DEFAULT_SEARCH_PATH,
  groups: Record<string, number> = {},
  interfaces?: readonly string[],
): HostInfo {
  const all: Record<string, Account> = { root: ROOT };
  for (const [name, a] of Object.entries(accounts))
    all[name] = typeof a === 'number' ? { uid: a, gid: a } : a;
  const groupIds: Record<string, number> = { root: 0, ...groups };
  return {
    known: true,
    account: (name) => (Object.hasOwn(all, name) ? all[name] : undefined),
    groupId: (name) => (Object.hasOwn(groupIds, name) ? groupIds[name] : undefined),
    searchPath,
    ...(interfaces ? { interfaceExists: (name: string) => interfaces.includes(name) } : {}),
  };
}
