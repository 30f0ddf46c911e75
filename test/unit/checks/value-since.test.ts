// Choice values newer than the targeted release (schema/value-since.ts).
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const config = (keyword: string, sched: string) =>
  [
    'virtual_server 10.0.0.1 80 {',
    `    ${keyword} ${sched}`,
    '    protocol TCP',
    '    real_server 10.0.0.2 80 {',
    '    }',
    '}',
    '',
  ].join('\n');

function invalid(text: string, keepalivedVersion?: string): string[] {
  const file = analyzeText('/t/keepalived.conf', text);
  return lintFile(file, { keepalivedVersion })
    .filter((d) => d.rule === 'invalid-value')
    .map((d) => `${d.range.start.line + 1} ${d.message}`);
}

describe('choice values by release', () => {
  it('the twos scheduler is unknown before 2.2.5 and names the release that added it', () => {
    for (const keyword of ['lvs_sched', 'lb_algo']) {
      const found = invalid(config(keyword, 'twos'), '2.2.4');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^2 'twos' is accepted from keepalived 2\.2\.5/);
      expect(found[0]).toContain(`keepalived 2.2.4 reports "Invalid lvs_scheduler 'twos' - ignoring"`);
      expect(found[0]).toContain('ip_vs_twos');
    }
  });

  it('says nothing when the release knows it, checks no names, or no release is targeted', () => {
    expect(invalid(config('lvs_sched', 'twos'), '2.2.5')).toEqual([]);
    expect(invalid(config('lvs_sched', 'twos'), '2.2.7')).toEqual([]);
    // 2.0.0 to 2.0.6 pass any scheduler name to the kernel unread.
    expect(invalid(config('lvs_sched', 'twos'), '2.0.6')).toEqual([]);
    expect(invalid(config('lvs_sched', 'twos'))).toEqual([]);
    // Older choices are not flagged for old targets.
    expect(invalid(config('lvs_sched', 'mh'), '2.0.7')).toEqual([]);
  });
});

const vip = (options: string) =>
  [
    'vrrp_instance VI_1 {',
    '    state BACKUP',
    '    interface eth0',
    '    virtual_router_id 51',
    '    priority 100',
    '    virtual_ipaddress {',
    `        192.168.1.10/24 ${options}`,
    '    }',
    '}',
    '',
  ].join('\n');

describe('address options by release', () => {
  it('an option newer than the target is reported with the release that reads it', () => {
    const found = invalid(vip('use_vmac'), '2.1.5');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^7 'use_vmac' is read from keepalived 2\.2\.0; keepalived 2\.1\.5 reports/);
    expect(found[0]).toContain(`"Unknown configuration entry 'use_vmac' for ip address - ignoring"`);
    expect(invalid(vip('preferred_lft 0'), '2.0.19')[0]).toMatch(
      /'preferred_lft' is read from keepalived 2\.0\.20/,
    );
    expect(invalid(vip('no_track'), '2.0.2')[0]).toMatch(/'no_track' is read from keepalived 2\.0\.3/);
  });

  it('says nothing for a release that reads the option or when no release is targeted', () => {
    expect(invalid(vip('use_vmac'), '2.2.0')).toEqual([]);
    expect(invalid(vip('preferred_lft 0 no_track'), '2.2.7')).toEqual([]);
    expect(invalid(vip('use_vmac'))).toEqual([]);
    expect(invalid(vip('noprefixroute'), '2.0.0')).toEqual([]);
  });
});
