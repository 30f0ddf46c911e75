// defined-after-use: keepalived looks a tracked name up as it reads the line naming it, so an object
// defined further down is not found ("(VI_1) track script chk not found, ignoring...", keepalived -t 2.2.7
// exit 5; for track files the 2.2.7 daemon, as its -t crashed). analysis/lookup-order.ts has the sources.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { Workspace } from '../../../server/src/analysis/workspace';
import { lintFile } from '../../../server/src/checks';
import { applyEdits } from '../../../server/src/checks/fixes';
import { objectsOf } from '../../../server/src/analysis/objects';

const found = (text: string) =>
  lint(text)
    .filter((d) => d.rule === 'defined-after-use')
    .map((d) => `${d.range.start.line + 1}:${d.message.match(/reports "([^"]*)"/)?.[1]}`);

const instance = (...track: string[]) => [
  'vrrp_instance VI_1 {',
  '  interface eth0',
  '  virtual_router_id 51',
  '  priority 100',
  '  virtual_ipaddress {',
  '    192.0.2.10/24',
  '  }',
  ...track,
  '}',
];
const script = ['vrrp_script chk {', '  script "/bin/true"', '  user nobody', '}'];

describe('a tracked object defined after the line that names it', () => {
  it('is not found by any of the track blocks, in keepalived words', () => {
    const text = conf(
      ...instance(
        '  track_script {',
        '    chk',
        '  }',
        '  track_file {',
        '    TF',
        '  }',
        '  track_process {',
        '    proc',
        '  }',
        '  track_bfd {',
        '    bfd1',
        '  }',
      ),
      ...script,
      'track_file TF {',
      '  file /tmp/tf',
      '}',
      'vrrp_track_process proc {',
      '  process sshd',
      '}',
      'bfd_instance bfd1 {',
      '  neighbor_ip 192.0.2.9',
      '}',
    );
    expect(found(text)).toEqual([
      '9:(VI_1) track script chk not found, ignoring...',
      '12:(VI_1) track file TF not found, ignoring...',
      '15:(VI_1) track process proc not found, ignoring...',
      '18:(VI_1) track bfd bfd1 not found, ignoring...',
    ]);
    const message = lint(text).find((d) => d.rule === 'defined-after-use')!.message;
    expect(message).toContain("vrrp_script 'chk' is defined only further down (line 21)");
    expect(message).toContain('VI_1 does not track it');
    // The same lines after the definitions: nothing.
    const ordered = conf(...script, ...instance('  track_script {', '    chk', '  }'));
    expect(found(ordered)).toEqual([]);
  });

  it('in a sync group, a FILE_CHECK, a BFD_CHECK and a static track_group', () => {
    const text = conf(
      'vrrp_sync_group SG {',
      '  group {',
      '    VI_1',
      '  }',
      '  track_script {',
      '    chk',
      '  }',
      '}',
      'virtual_server 192.0.2.1 80 {',
      '  lvs_method NAT',
      '  protocol TCP',
      '  real_server 192.0.2.5 80 {',
      '    FILE_CHECK {',
      '      track_file TF',
      '    }',
      '    BFD_CHECK {',
      '      name bfd1',
      '    }',
      '  }',
      '}',
      'static_ipaddress {',
      '  192.0.2.50/24 dev eth0 track_group TG',
      '}',
      ...instance(),
      ...script,
      'track_file TF {',
      '  file /tmp/tf',
      '}',
      'bfd_instance bfd1 {',
      '  neighbor_ip 192.0.2.9',
      '}',
      'track_group TG {',
      '  group {',
      '    VI_1',
      '  }',
      '}',
    );
    expect(found(text)).toEqual([
      '6:(SG) track script chk not found, ignoring...',
      '14:track_file TF not found',
      '17:BFD_CHECK - BFD bfd1 not configured',
      '22:track_group TG not found',
    ]);
    expect(lint(text).find((d) => d.range.start.line === 13)!.message).toContain(
      'FILE_CHECK has no track_file',
    );
  });

  it('leaves alone what keepalived resolves at the end, and a VIP track_group', () => {
    // Sync group members and a virtual_server's group are linked once everything is read; a VIP takes
    // no track_group in 2.2.7 ("Unknown configuration entry 'track_group' for ip address").
    const text = conf(
      'vrrp_sync_group SG {',
      '  group {',
      '    VI_1',
      '  }',
      '}',
      ...instance(),
      'vrrp_instance VI_2 {',
      '  interface eth0',
      '  virtual_router_id 52',
      '  virtual_ipaddress {',
      '    192.0.2.11/24 track_group TG',
      '  }',
      '}',
      'track_group TG {',
      '  group {',
      '    VI_1',
      '  }',
      '}',
    );
    expect(found(text)).toEqual([]);
  });

  it('judges a name a parameter makes by its value, where the expansion is read', () => {
    // devel/bfd_several.conf's shape: a multi-line instance naming TF_$NUM, expanded before the track file.
    const text = conf(
      '$VI= \\',
      'vrrp_instance VI_$NUM { \\',
      '  interface eth0 \\',
      '  virtual_router_id 5$NUM \\',
      '  virtual_ipaddress { \\',
      '    192.0.2.1$NUM/24 \\',
      '  } \\',
      '  track_file { \\',
      '    TF_$NUM \\',
      '  } \\',
      '}',
      '$TF= \\',
      'track_file TF_$NUM { \\',
      '  file /tmp/tf_$NUM \\',
      '}',
      '$NUM=0',
      '$TF',
      '$VI',
      '$NUM=1',
      '$VI',
      '$TF',
    );
    expect(found(text)).toEqual(['20:(VI_1) track file TF_1 not found, ignoring...']);
    // The reference counts as one (TF_0 is used: no unused-definition).
    expect(lint(text).map((d) => d.rule)).not.toContain('unused-definition');
  });

  it('counts an included file where its include line is', () => {
    const vi = conf(...instance('  track_script {', '    chk', '  }'));
    const scripts = conf(...script);
    const run = (main: string) => {
      const ws = new Workspace(
        new MemoryFileSystem({ '/k/keepalived.conf': main, '/k/vi.conf': vi, '/k/scripts.conf': scripts }),
      );
      const model = ws.modelFor('/k/keepalived.conf')!;
      const findings = [...model.files.values()].flatMap((f) =>
        lintFile(f).filter((d) => d.rule === 'defined-after-use'),
      );
      return { findings, tracks: objectsOf(model).instances[0]!.tracks.map((t) => t.name) };
    };
    const early = run(conf('include vi.conf', 'include scripts.conf'));
    expect(early.findings.map((d) => `${d.file}:${d.range.start.line + 1}`)).toEqual(['/k/vi.conf:9']);
    // keepalived does not track it, and neither does the model the failover analysis reads.
    expect(early.tracks).toEqual([]);
    const late = run(conf('include scripts.conf', 'include vi.conf'));
    expect(late.findings).toEqual([]);
    expect(late.tracks).toEqual(['chk']);
  });

  it('moves a plain definition above the block that names it', () => {
    const text = conf(...instance('  track_script {', '    chk', '  }'), '', ...script);
    const d = lint(text).find((x) => x.rule === 'defined-after-use')!;
    const fix = d.fixes![0]!;
    expect(fix.title).toBe("Move vrrp_script 'chk' above the block that names it");
    expect(fix.preferred).toBe(true);
    const fixed = applyEdits(text, fix.edits);
    expect(fixed.startsWith(conf(...script))).toBe(true);
    expect(found(fixed)).toEqual([]);
    expect(lint(fixed).map((x) => x.rule)).toEqual(
      lint(conf(...script, '', ...instance('  track_script {', '    chk', '  }'))).map((x) => x.rule),
    );
    // A definition with a parameter in it is not moved (its value could change where it lands).
    const withParam = conf(
      ...instance('  track_script {', '    chk', '  }'),
      '$S=/bin/true',
      'vrrp_script chk {',
      '  script $S',
      '}',
    );
    expect(lint(withParam).find((x) => x.rule === 'defined-after-use')!.fixes).toBeUndefined();
  });
});
