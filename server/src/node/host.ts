// This machine's accounts, groups and network interfaces (the HostInfo port of analysis/host.ts), for
// --this-host and the language server: /etc/passwd, /etc/group and the names in /sys/class/net, metadata only.
import { readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_SEARCH_PATH, type Account, type HostInfo } from '../analysis/host';

/** This machine, from its account databases (read lazily, once). */
export function passwdHost(
  passwdPath = '/etc/passwd',
  groupPath = '/etc/group',
  netPath = '/sys/class/net',
): HostInfo {
  let users: Map<string, Account> | undefined;
  let interfaces: Set<string> | null | undefined;
  let groups: Map<string, number> | undefined;
  const table = (path: string): string[][] => {
    try {
      return readFileSync(path, 'utf8')
        .split('\n')
        .map((line) => line.split(':'));
    } catch {
      return []; // no database: no accounts are known
    }
  };
  const num = (s: string | undefined): number | undefined =>
    s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
  return {
    known: true,
    account(name) {
      if (!users) {
        users = new Map();
        for (const [user, , uid, gid] of table(passwdPath)) {
          const u = num(uid);
          const g = num(gid);
          if (user && u !== undefined && g !== undefined) users.set(user, { uid: u, gid: g });
        }
      }
      return users.get(name);
    },
    groupId(name) {
      if (!groups) {
        groups = new Map();
        for (const [group, , gid] of table(groupPath)) {
          const g = num(gid);
          if (group && g !== undefined) groups.set(group, g);
        }
      }
      return groups.get(name);
    },
    searchPath: DEFAULT_SEARCH_PATH,
    interfaceExists(name) {
      if (interfaces === undefined) {
        try {
          interfaces = new Set(readdirSync(netPath));
        } catch {
          interfaces = null; // not Linux, or no sysfs: the interfaces are unknown
        }
      }
      return interfaces === null ? undefined : interfaces.has(name);
    },
  };
}
