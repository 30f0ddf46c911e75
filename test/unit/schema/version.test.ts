// A target version X.Y means X.Y.0, the oldest release of that line: a machine that says "2.2" may run any
// 2.2.z (Debian 12 ships 2.2.7), so a keyword added in a later patch release must be reported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { completions } from '../../../server/src/features/completion';
import { compareVersions, parseVersion } from '../../../server/src/schema/version';
import { conf, lint } from '../../helpers';

const since: Record<string, string> = JSON.parse(
  readFileSync(join(__dirname, '../../../server/src/schema/since.json'), 'utf8'),
);

/** A vrrp_instance keyword that keepalived 2.2.8 added. */
const NEW_IN_228 = 'no_virtual_ipaddress';
const text = conf('vrrp_instance VI_1 {', ` ${NEW_IN_228}`, '}');

function unsupported(keepalivedVersion: string): string[] {
  return lint(text, { keepalivedVersion })
    .filter((d) => d.rule === 'unsupported-keyword')
    .map((d) => `${d.range.start.line + 1}:${d.message}`);
}

describe('keepalived version targets', () => {
  it('reads X.Y as X.Y.0 and X.Y.Z as given', () => {
    expect(parseVersion('2.2')).toEqual([2, 2, 0]);
    expect(parseVersion('v2.2.7')).toEqual([2, 2, 7]);
    expect(compareVersions('2.2.0', '2.2')).toBe(0);
    expect(compareVersions('2.2.8', '2.2')).toBeGreaterThan(0);
    expect(compareVersions('2.2.8', '2.2.8')).toBe(0);
    expect(compareVersions('2.1.5', '2.2')).toBeLessThan(0);
  });

  it(`reports ${NEW_IN_228} (since 2.2.8) under 2.2, because 2.2 means the oldest 2.2 release`, () => {
    expect(since[`vrrp_instance/${NEW_IN_228}`]).toBe('2.2.8');
    expect(unsupported('2.2')).toEqual([
      `2:'${NEW_IN_228}' was added in keepalived 2.2.8; keepalived 2.2 reports "Unknown keyword '${NEW_IN_228}'" and ignores it.`,
    ]);
    expect(unsupported('2.2.7')).toHaveLength(1);
  });

  it(`accepts ${NEW_IN_228} under 2.2.8 and later`, () => {
    expect(unsupported('2.2.8')).toEqual([]);
    expect(unsupported('2.3')).toEqual([]);
    expect(unsupported('2.2.9')).toEqual([]);
  });

  it(`completion offers ${NEW_IN_228} under 2.2.8 but not under 2.2`, () => {
    const body = conf('vrrp_instance VI_1 {', ' ', '}');
    const file = analyzeText('/etc/keepalived/keepalived.conf', body);
    const labels = (keepalivedVersion: string) =>
      completions(
        file,
        { line: 1, character: 1 },
        { users: () => [], interfaces: () => [], listDir: () => undefined, keepalivedVersion },
      ).map((i) => i.label);
    expect(labels('2.2')).not.toContain(NEW_IN_228);
    expect(labels('2.2.8')).toContain(NEW_IN_228);
  });
});
