// How keepalived 2.2.7 reads a track_* line (vrrp_track.c alloc_track_*, trackers/track_file.c): which lines
// it drops, which weight it stores, and that the election model and the line check agree on it.
import { describe, expect, it } from 'vitest';
import { readOwnWeight, readTrackLine } from '../../../server/src/analysis/track-lines';
import { electionNode } from '../../../server/src/analysis/election';
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

  it('names a tracked object by the line after its parameters are replaced, and drops one defined too late', () => {
    const text = [
      '$NUM=1',
      '$W=7',
      'vrrp_script chk_1 {',
      '    script "/usr/bin/true"',
      '}',
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    virtual_router_id 51',
      '    priority 100',
      '    track_script {',
      '        chk_$NUM weight $W',
      '        chk_late',
      '    }',
      '}',
      'vrrp_script chk_late {',
      '    script "/usr/bin/true"',
      '}',
      '',
    ].join('\n');
    const vi = objectsOf(analyzeText('/t/keepalived.conf', text).model, undefined).instances[0]!;
    expect(vi.tracks.map((t) => `${t.name}:${t.weight}`)).toEqual(['chk_1:7']);
  });

  it('reports the dropped line and the changed weight on their words', () => {
    const { model } = analyzeText('/t/keepalived.conf', config);
    const found = lintFile(model.files.get('/t/keepalived.conf')!)
      .filter((d) => d.rule === 'invalid-value')
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character} ${d.severity}`);
    expect(found).toEqual(['16:14 warning', '17:21 warning']);
  });
});

describe('readOwnWeight: the weight a tracked object keeps from its own weight lines', () => {
  it('stores what strtol reads for a vrrp_script, even a value keepalived reports, and the last line wins', () => {
    expect(readOwnWeight('script', [['254']])).toEqual({ weight: 254, reverse: false });
    expect(readOwnWeight('script', [['abc']])).toEqual({ weight: 0, reverse: false });
    expect(readOwnWeight('script', [['-10x']])).toEqual({ weight: -10, reverse: false });
    expect(readOwnWeight('script', [['10'], ['-20', 'reverse']])).toEqual({ weight: -20, reverse: true });
  });

  it('keeps the first valid non-zero weight of a process, and ignores an invalid one', () => {
    expect(readOwnWeight('process', [['254']])).toEqual({ weight: 254, reverse: false });
    expect(readOwnWeight('process', [['300', 'reverse'], ['5']])).toEqual({ weight: 5, reverse: false });
    expect(readOwnWeight('process', [['5'], ['7']])).toEqual({ weight: 5, reverse: false });
  });

  it('turns an invalid track_file weight into 1 and keeps the first weight other than 1', () => {
    expect(readOwnWeight('file', [])).toEqual({ weight: 1, reverse: false });
    expect(readOwnWeight('file', [['x']])).toEqual({ weight: 1, reverse: false });
    expect(readOwnWeight('file', [['-254'], ['3']])).toEqual({ weight: -254, reverse: false });
  });

  it('does not guess a weight it cannot read', () => {
    expect(readOwnWeight('script', [[undefined]]).weight).toBeUndefined();
    expect(readOwnWeight('script', [[undefined], ['5']]).weight).toBe(5);
    expect(readOwnWeight('process', [[undefined], ['5']]).weight).toBeUndefined();
  });

  it('makes a vrrp_script with an unreadable weight a FAULT tracker in the election, as keepalived does', () => {
    const text = [
      'vrrp_script chk {',
      ' script "/bin/true"',
      ' weight abc',
      '}',
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id 1',
      ' priority 100',
      ' track_script {',
      '  chk',
      ' }',
      '}',
      '',
    ].join('\n');
    const { model } = analyzeText('/t/keepalived.conf', text);
    const vi = objectsOf(model, undefined).instances[0]!;
    const node = electionNode(model, undefined, vi, 'n');
    expect(node.uncertain).toBe(false);
    expect(node.trackers.map((t) => `${t.name}:${t.weight}:${t.effect}`)).toEqual(['chk:0:fault']);
  });
});
