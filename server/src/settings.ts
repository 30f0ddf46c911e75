// The language server's settings (VS Code: `keepalived.*`). The same names feed the CLI's options; the
// extension's package.json `contributes.configuration` must list exactly these (a test compares them).
import type { LintOptions } from './checks';
import { machineSecurity } from './machine';
import type { SeverityOrOff } from './checks/rules';
import { RULES } from './checks/families';
import { DEFAULT_SCRIPT_USER } from './analysis/scripts';

export interface Settings {
  /** Rule id -> severity or 'off'. */
  rules: Record<string, SeverityOrOff>;
  /** keepalived's --config-id; empty = treat every @id variant as possible. */
  configId: string;
  /** Target keepalived version (X.Y or X.Y.Z); empty = the newest. */
  keepalivedVersion: string;
  /** Account the fixes put on scripts. */
  scriptUser: string;
  /** The configs are for this machine: report missing scripts and check every script path. */
  thisHost: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  configId: '',
  keepalivedVersion: '',
  scriptUser: DEFAULT_SCRIPT_USER,
  thisHost: false,
};

/** Setting names (without the `keepalived.` prefix) the server reads. */
export const SERVER_SETTING_NAMES = Object.keys(DEFAULT_SETTINGS);

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Settings from an untrusted client object: unknown keys and bad values fall back to defaults. */
export function readSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, SeverityOrOff> = {};
  if (r['rules'] && typeof r['rules'] === 'object') {
    for (const [id, sev] of Object.entries(r['rules'] as Record<string, unknown>)) {
      if (RULES.has(id) && typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeverityOrOff;
    }
  }
  const str = (key: string, fallback: string): string =>
    typeof r[key] === 'string' ? r[key].trim() : fallback;
  return {
    rules,
    configId: str('configId', ''),
    keepalivedVersion: /^\d+\.\d+(\.\d+)?$/.test(str('keepalivedVersion', ''))
      ? str('keepalivedVersion', '')
      : '',
    scriptUser: str('scriptUser', DEFAULT_SCRIPT_USER) || DEFAULT_SCRIPT_USER,
    thisHost: r['thisHost'] === true,
  };
}

export function lintOptionsOf(settings: Settings): LintOptions {
  return {
    rules: settings.rules,
    keepalivedVersion: settings.keepalivedVersion || undefined,
    security: {
      scriptUser: settings.scriptUser,
      thisHost: settings.thisHost,
      ...machineSecurity(settings.thisHost),
    },
  };
}
