// Facts about the machine the linter runs on that script checks need: which accounts exist and their uids.
// Read from /etc/passwd (metadata only); tests inject their own.
import { readFileSync } from 'node:fs';

export interface HostInfo {
  /** uid of an account, or undefined when the account does not exist here. */
  uidOf(user: string): number | undefined;
  /** Directories searched for bare command names (keepalived's own PATH search). */
  searchPath: string[];
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

export function passwdHost(passwdPath = '/etc/passwd'): HostInfo {
  let users: Map<string, number> | undefined;
  const load = (): Map<string, number> => {
    if (users) return users;
    users = new Map();
    try {
      for (const line of readFileSync(passwdPath, 'utf8').split('\n')) {
        const [name, , uid] = line.split(':');
        if (name && uid !== undefined && /^\d+$/.test(uid)) users.set(name, Number(uid));
      }
    } catch {
      // No passwd file: no accounts are known.
    }
    return users;
  };
  return {
    uidOf: (user) => (/^\d+$/.test(user) ? Number(user) : load().get(user)),
    searchPath: DEFAULT_SEARCH_PATH,
  };
}

/** A host with exactly these accounts (for tests and for "assume the target host" settings). */
export function fixedHost(accounts: Record<string, number>, searchPath = DEFAULT_SEARCH_PATH): HostInfo {
  return { uidOf: (user) => (/^\d+$/.test(user) ? Number(user) : accounts[user]), searchPath };
}
