// The extension's settings must be exactly the server's settings (plus the client-only trace setting).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, readSettings, SERVER_SETTING_NAMES } from '../../server/src/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const properties: Record<string, { default: unknown }> = pkg.contributes.configuration.properties;

describe('settings', () => {
  it('package.json contributes exactly the server settings, with the same defaults', () => {
    const names = Object.keys(properties).map((n) => n.replace(/^keepalived\./, ''));
    expect(names.filter((n) => n !== 'trace.server').sort()).toEqual([...SERVER_SETTING_NAMES].sort());
    for (const name of SERVER_SETTING_NAMES) {
      expect(properties[`keepalived.${name}`]!.default, name).toEqual(
        DEFAULT_SETTINGS[name as keyof typeof DEFAULT_SETTINGS],
      );
    }
  });

  it('reads untrusted client values defensively', () => {
    const s = readSettings({
      rules: { 'cleartext-auth': 'off', 'no-such-rule': 'error', 'invalid-value': 'loud' },
      keepalivedVersion: 'latest',
      configId: ' node1 ',
      thisHost: 'yes',
    });
    expect(s).toEqual({ ...DEFAULT_SETTINGS, rules: { 'cleartext-auth': 'off' }, configId: 'node1' });
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
  });
});
