// `~SEQ` / `~LST` loops read as lib/parser.c reads them (add_seq(), add_lst(), read_line()): keepalived
// 2.2.7 -t gives the same passes (checked on its test configs by npm run test:parity).
import { describe, expect, it } from 'vitest';
import { MAX_LOOP_PASSES } from '../../../server/src/analysis/budget';
import {
  expandLoops,
  loopIterations,
  nestedIterations,
  TOO_MANY_PASSES,
} from '../../../server/src/analysis/sequences';
import type { Word } from '../../../server/src/syntax/ast';
import { conf, lint } from '../../helpers';

const prefix = (value: string): Word => ({ value, text: value, start: 0, end: value.length }) as Word;
const values = (value: string) =>
  loopIterations(prefix(value))?.map((pass) => pass.map((b) => `${b.name}=${b.value}`).join(' '));

describe('loopIterations', () => {
  it('~SEQ with one, two or three numbers, as strtol(..., 0) reads them', () => {
    expect(values('~SEQ(i,3)')).toEqual(['i=1', 'i=2', 'i=3']);
    expect(values('~SEQ(i,0)')).toEqual(['i=1', 'i=0']);
    expect(values('~SEQ(i, 4, 2)')).toEqual(['i=4', 'i=3', 'i=2']);
    expect(values('~SEQ(i,1,2,5)')).toEqual(['i=1', 'i=3', 'i=5']);
    expect(values('~SEQ(i,0x10,0x11)')).toEqual(['i=16', 'i=17']);
    expect(values('~SEQ(i,010,011)')).toEqual(['i=8', 'i=9']);
    expect(values('~SEQx(i,9,11)')).toEqual(['i=9', 'i=a', 'i=b']);
  });

  it('rejects what add_seq() rejects', () => {
    expect(values('~SEQ(i,1,0,5)')).toBeUndefined(); // step 0
    expect(values('~SEQ(i,1,-1,5)')).toBeUndefined(); // step away from the end
    expect(values('~SEQx(i,-2,2)')).toBeUndefined(); // ~SEQx needs non-negative bounds
    expect(values('~SEQ(i)')).toBeUndefined();
  });

  it('~LST with one variable, and with several in braces (missing values are blank)', () => {
    expect(values('~LST(v, a, b)')).toEqual(['v=a', 'v=b']);
    expect(values('~LST({A,B,C},{,10.1.7.,1}, {6,fd00::,3})')).toEqual([
      'A= B=10.1.7. C=1',
      'A=6 B=fd00:: C=3',
    ]);
    expect(values('~LST({A,B},{x}, y)')).toEqual(['A=x B=', 'A=y B=']);
    expect(values('~LST({A,B},{x,y,z})')).toBeUndefined(); // too many values
  });

  it('nests several prefixes, the first outermost', () => {
    const passes = nestedIterations([prefix('~SEQ(A,0,1)'), prefix('~LST(B,x,y)')]);
    expect(passes).not.toBe(TOO_MANY_PASSES);
    expect(Array.isArray(passes) && passes.map((p) => p.map((b) => b.value).join(''))).toEqual([
      '0x',
      '0y',
      '1x',
      '1y',
    ]);
    expect(expandLoops('VI_${A}_$B', [prefix('~SEQ(A,0,1)'), prefix('~LST(B,x,y)')])).toEqual([
      'VI_0_x',
      'VI_0_y',
      'VI_1_x',
      'VI_1_y',
    ]);
  });

  it('more passes than MAX_LOOP_PASSES, alone or nested, are told apart from a prefix not understood', () => {
    expect(nestedIterations([prefix(`~SEQ(A,${MAX_LOOP_PASSES})`)])).toHaveLength(MAX_LOOP_PASSES);
    expect(nestedIterations([prefix(`~SEQ(A,${MAX_LOOP_PASSES + 1})`)])).toBe(TOO_MANY_PASSES);
    expect(nestedIterations([prefix('~SEQ(A,40)'), prefix('~SEQ(B,40)')])).toBe(TOO_MANY_PASSES);
    expect(nestedIterations([prefix('~SEQ(A,x)')])).toBeUndefined();
  });
});

describe('loops in a configuration', () => {
  const problems = (text: string) =>
    lint(text, { keepalivedVersion: '2.2.7', template: 'none', configId: 'vm' }).map(
      (d) => `${d.range.start.line + 1}:${d.rule}`,
    );

  it('a multi-line definition read by ~LST with several variables; @id lines inside it are judged per node', () => {
    const text = conf(
      '$BFD= \\',
      'bfd_instance test${INST} { \\',
      '@low    neighbor_ip ${PREF}${LOW} \\',
      '        weight 20 reverse \\',
      '}',
      '~LST({INST,PREF,LOW},{,10.1.7.,1}, {6,fd00:0:1:107::,1}) $BFD',
    );
    // keepalived 2.2.7: "BFD instance test has no neighbor address set, disabling instance", and test6.
    expect(problems(text)).toEqual(['6:bfd-without-neighbor', '6:bfd-without-neighbor']);
    // The loop's variables are set by the ~LST line: no "not defined anywhere" on the definition.
    expect(problems(text).some((p) => p.endsWith('undefined-parameter'))).toBe(false);
  });

  it('nested ~SEQ prefixes make every combination', () => {
    const text = conf(
      '$S= \\',
      'vrrp_script chk${A}_${B} { \\',
      '  weight 20 \\',
      '}',
      '~SEQ(A,0,1) ~SEQ(B,1,2) $S',
    );
    const out = lint(text, { keepalivedVersion: '2.2.7', template: 'none' }).filter(
      (d) => d.rule === 'vrrp-script-without-script',
    );
    expect(out.map((d) => /'(chk\w+)'/.exec(d.message)?.[1])).toEqual([
      'chk0_1',
      'chk0_2',
      'chk1_1',
      'chk1_2',
    ]);
  });

  it("a pass that uses another multi-line value expands it with that pass's values; blanks before ( are allowed", () => {
    const text = conf(
      '$S= \\',
      'vrrp_script chk${A}_${B} { \\',
      '  weight 20 \\',
      '}',
      '$T= \\',
      '$S',
      '~SEQ ( A , 0 , 1 ) ~SEQ ( B , 1  , 2 \t) $T',
    );
    const out = lint(text, { keepalivedVersion: '2.2.7', template: 'none' }).filter(
      (d) => d.rule === 'vrrp-script-without-script',
    );
    // keepalived 2.2.7: "No script set for vrrp_script chk0_1 - removing", chk0_2, chk1_1, chk1_2.
    expect(out.map((d) => /'(chk\w+)'/.exec(d.message)?.[1])).toEqual([
      'chk0_1',
      'chk0_2',
      'chk1_1',
      'chk1_2',
    ]);
  });

  it('a loop of more passes than the linter follows is an analysis-limit on its line, not a silent skip', () => {
    const text = conf(
      '$S= \\',
      'vrrp_script chk${A} { \\',
      '  weight 20 \\',
      '}',
      `~SEQ(A,${MAX_LOOP_PASSES + 1}) $S`,
      `~SEQ(B,${MAX_LOOP_PASSES + 1}) $S`,
    );
    const found = lint(text, { keepalivedVersion: '2.2.7', template: 'none' });
    const limits = found.filter((d) => d.rule === 'analysis-limit');
    expect(limits.map((d) => d.range.start.line + 1)).toEqual([5, 6]);
    expect(limits[0]!.message).toContain('MAX_LOOP_PASSES');
    expect(found.filter((d) => d.rule === 'vrrp-script-without-script')).toEqual([]);
  });
});
