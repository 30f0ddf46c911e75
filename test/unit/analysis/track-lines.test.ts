// How keepalived 2.2.7 reads a track_* line (vrrp_track.c alloc_track_*, trackers/track_file.c): which lines
// it drops, which weight it stores, and that the election model and the line check agree on it.
import { describe, expect, it } from 'vitest';
import { readTrackLine } from '../../../server/src/analysis/track-lines';
import { objectsOf } from '../../../server/src/analysis/objects';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const read = (kind: Parameters<typeof readTrackLine>[0], line: string) =>
  readTrackLine(kind, line.split(' '));

describe('readTrackLine', () => {
  it('drops the whole line when the word after the name is not weight (two names on one line)', () => {
    const r = read('script', 'chk_a chk_b');
    expect(r.tracked).toBe(false);
    expect(r.problems[0]).toMatchObject({ word: 1, severity: 'warning' });
    expect(r.problems[0]!.message).toContain('track_script chk_a is not tracked');
  });

  it('drops a line whose weight has no value, for every kind', () => {
    for (const kind of ['script', 'interface', 'file', 'process', 'bfd'] as const)
      expect(read(kind, 'x weight').tracked).toBe(false);
  });

  it('falls back to weight 0 for an interface and to the object’s own weight for the others', () => {
    expect(read('interface', 'eth0 weight 300')).toMatchObject({ tracked: true, weight: 0 });
    expect(read('script', 'chk weight 300')).toMatchObject({ tracked: true, weight: undefined });
    expect(read('bfd', 'b weight 254')).toMatchObject({ tracked: true, weight: undefined });
    expect(read('script', 'chk weight abc').problems[0]).toMatchObject({ word: 2, severity: 'error' });
  });

  it('stores ±254 as ±253 for scripts and interfaces only', () => {
    expect(read('script', 'chk weight 254')).toMatchObject({ weight: 253 });
    expect(read('interface', 'eth0 weight -254')).toMatchObject({ weight: -253 });
    expect(read('process', 'p weight 254')).toMatchObject({ weight: 254, problems: [] });
    expect(read('file', 'f weight -254')).toMatchObject({ weight: -254, problems: [] });
  });

  it('drops a file or bfd line with an unknown direction word, keeps the others', () => {
    expect(read('file', 'f weight 5 up').tracked).toBe(false);
    expect(read('bfd', 'b weight 5 up').tracked).toBe(false);
    expect(read('script', 'chk weight 5 up')).toMatchObject({ tracked: true, weight: 5, reverse: undefined });
    // track_interface knows only 'reverse': noreverse is an unknown word there, the entry stays.
    expect(read('interface', 'eth0 weight 5 noreverse')).toMatchObject({ tracked: true, reverse: false });
    expect(read('interface', 'eth0 weight 5 noreverse').problems).toHaveLength(1);
    expect(read('script', 'chk weight 5 noreverse')).toMatchObject({ reverse: false, problems: [] });
  });
});

describe('track lines in the model and the checks', () => {
  const config = [
    'vrrp_script chk_a {',
    '    script "/usr/bin/true"',
    '    weight -20',
    '}',
    'vrrp_script chk_b {',
    '    script "/usr/bin/true"',
    '}',
    'vrrp_instance VI_1 {',
    '    interface eth0',
    '    virtual_router_id 51',
    '    priority 100',
    '    virtual_ipaddress {',
    '        192.0.2.10/24',
    '    }',
    '    track_script {',
    '        chk_a chk_b',
    '        chk_b weight 254',
    '    }',
    '}',
    '',
  ].join('\n');

  it('leaves a dropped line out of the instance’s tracking and stores the weight keepalived stores', () => {
    const { model } = analyzeText('/t/keepalived.conf', config);
    const vi = objectsOf(model, undefined).instances[0]!;
    expect(vi.tracks.map((t) => `${t.name}:${t.weight}`)).toEqual(['chk_b:253']);
  });

  it('reports the dropped line and the changed weight on their words', () => {
    const { model } = analyzeText('/t/keepalived.conf', config);
    const found = lintFile(model.files.get('/t/keepalived.conf')!)
      .filter((d) => d.rule === 'invalid-value')
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character} ${d.severity}`);
    expect(found).toEqual(['16:14 warning', '17:21 warning']);
  });
});
