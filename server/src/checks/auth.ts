// VRRP authentication: cleartext passwords on the wire, and HMAC key files others can read.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { FileSystem } from '../analysis/fs';
import type { ConfigModel } from '../analysis/model';
import type { FileFinding } from './references';
import { authIgnored } from './strict-mode';

export function authFindings(model: ConfigModel, fs: FileSystem): FileFinding[] {
  const out: FileFinding[] = [];
  // No password goes on the wire where keepalived drops the authentication (strict-mode-override says so).
  const ignored = new Set([...authIgnored(model).keys()].map((i) => i.authTypeLine?.statement));
  for (const [path, file] of model.files) {
    for (const placed of file.placed) {
      if (placed.inactive || placed.role !== 'keyword' || !placed.spec) continue;
      const s = placed.statement;
      if (placed.spec.name === 'auth_type' && placed.expandedArgs[0] === 'PASS' && !ignored.has(s)) {
        out.push({
          file: path,
          rule: 'cleartext-auth',
          message:
            'auth_type PASS sends the password in clear text in every VRRP advertisement, so anyone on the segment can read it and forge adverts. Prefer unicast peers and a firewall that only accepts VRRP from your nodes.',
          start: s.args[0]!.start,
          end: s.args[0]!.end,
        });
      }
      if (placed.spec.path === 'vrrp_instance/auth_hmac/key') {
        const value = s.args.find((a) => a.value.startsWith('file:'));
        const keyPath = value?.value.slice(5);
        if (!value || !keyPath) continue;
        const entry = fs.stat(keyPath);
        if (entry.kind === 'file' && (entry.mode & 0o077) !== 0) {
          out.push({
            file: path,
            rule: 'insecure-key-file',
            message: `The HMAC key file ${keyPath} can be read or written by users other than its owner (mode ${(entry.mode & 0o777).toString(8)}); keepalived treats that as a security error. chmod 600 it.`,
            start: value.start,
            end: value.end,
          });
        }
      }
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
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
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    auth: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'auth',
  rules,
  // No check of its own: security.ts calls authFindings with the machine's file system.
  checks: [],
};
