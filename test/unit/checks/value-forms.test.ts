// Values whose accepted form changed between releases, checked against the targeted one (schema/value-forms.ts).
// Each expectation was confirmed with Debian's keepalived 2.2.7 (`keepalived -t`) where 2.2 is targeted.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const config = (interval: string, garp: string) =>
  [
    'vrrp_script chk {',
    '    script "/usr/bin/true"',
    `    interval ${interval}`,
    '}',
    'garp_group {',
    `    garp_interval ${garp}`,
    '    interface eth0',
    '}',
    '',
  ].join('\n');

function invalid(text: string, keepalivedVersion?: string): string[] {
  const file = analyzeText('/t/keepalived.conf', text);
  return lintFile(file, { keepalivedVersion })
    .filter((d) => d.rule === 'invalid-value')
    .map((d) => `${d.range.start.line + 1} ${d.message}`);
}

describe('value forms by release', () => {
  it('vrrp_script interval takes whole seconds before 2.3.2 and milliseconds since', () => {
    const found = invalid(config('0.5', '1'), '2.2.7');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^3 keepalived 2\.2\.7 reads whole seconds/);
    expect(found[0]).toContain(`"vrrp script interval '0.5' must be between 1 and 4294 - ignoring"`);
    expect(invalid(config('0.5', '1'), '2.3.2')).toEqual([]);
    expect(invalid(config('0.5', '1'))).toEqual([]);
    // Trailing zeros are not finer: 2.0 is two whole seconds.
    expect(invalid(config('2.0', '1'), '2.2')).toEqual([]);
  });

  it('vrrp_script interval is at most 4294 s with three decimals in every release', () => {
    expect(invalid(config('5000', '1'))).toHaveLength(1);
    expect(invalid(config('1.0005', '1'), '2.4.3')[0]).toContain('at most 3 decimal places');
    expect(invalid(config('4294', '1'), '2.2')).toEqual([]);
  });

  it('garp_group intervals stop at INT_MAX microseconds before 2.3.2, UINT_MAX since', () => {
    expect(invalid(config('1', '3000'), '2.2')).toHaveLength(1);
    expect(invalid(config('1', '3000'), '2.3.2')).toEqual([]);
    expect(invalid(config('1', '2147.48'), '2.2')).toEqual([]);
  });
});
