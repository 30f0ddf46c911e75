// Lines read the way keepalived reads them when parameters change their shape (lib/parser.c:
// decomment(), check_definition(), replace_param(), read_line()): each case is one cause of the false
// alarms the parity harness found on keepalived's own test configs.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { lex } from '../../../server/src/syntax/lexer';
import { decommentLine } from '../../../server/src/syntax/decomment';
import { expandWord, newExpansionBudget } from '../../../server/src/analysis/params';
import { MAX_EXPANSION_STEPS } from '../../../server/src/analysis/budget';
import type { Word } from '../../../server/src/syntax/ast';
import { conf, lint, vrrpInstance } from '../../helpers';

/**
 * Errors and warnings as "line:rule" (hints and infos about unused parameters left out), read as keepalived
 * reads the file (`--template none`: in `auto`, a file whose only `${NAME}`s are undefined is taken for a
 * shell-style template, whose placeholders are masked instead).
 */
const problems = (text: string) =>
  lint(text, { keepalivedVersion: '2.2.7', template: 'none' })
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.range.start.line + 1}:${d.rule}`);

const vs = (first: string) =>
  conf(
    `${first} virtual_server 10.0.0.1 80 {`,
    `${first}   delay_loop 3`,
    `${first}   lvs_sched rr`,
    `${first}   protocol TCP`,
    `${first}   lvs_method NAT`,
    `${first}   real_server 10.0.0.2 80 {`,
    `${first}     weight 1`,
    `${first}   }`,
    `${first} }`,
  );

describe('decommentLine', () => {
  it('keeps a final backslash even when it ends the comment', () => {
    expect(decommentLine('  value # note \\')).toEqual({ text: 'value\\', continues: true });
    expect(decommentLine('# old line \\')).toEqual({ text: '\\', continues: true });
    expect(decommentLine('# just a comment')).toEqual({ text: '', continues: false });
    expect(decommentLine('a \\# b "x # y" # c')).toEqual({ text: 'a # b "x # y"', continues: false });
  });
});

describe('multi-line definitions end where keepalived ends them', () => {
  it('a comment ending in a backslash continues the definition', () => {
    const text = conf('$D=a \\', '# old line \\', '  b # note \\', '  c', 'bogus_after');
    const defs = lex(text).tokens.filter((t) => t.tokenType.name === 'ParamDefinition');
    expect(defs.map((t) => t.image)).toEqual(['$D=a \\\n# old line \\\n  b # note \\\n  c']);
    expect(problems(text)).toEqual(['5:unknown-keyword']);
  });

  it('a comment line or a blank line without a final backslash ends it', () => {
    const text = conf('$D=a \\', '# a comment', 'bogus_one', '$E=b \\', '', 'bogus_two');
    expect(problems(text)).toEqual(['3:unknown-keyword', '6:unknown-keyword']);
  });
});

describe('parameters that change the shape of a line', () => {
  it('an empty value at the start of a line leaves an ordinary line', () => {
    expect(problems(conf('$X=# nothing left once the comment is removed') + vs('$X'))).toEqual([]);
    const file = analyzeText('t.conf', conf('$X=') + vs('$X'));
    const placed = file.placed.filter((p) => p.role === 'keyword' && !p.expandedFrom);
    expect(placed.map((p) => `${p.parentPath}:${p.statement.keyword.value}`)).toEqual([
      ':virtual_server',
      'virtual_server:delay_loop',
      'virtual_server:lvs_sched',
      'virtual_server:protocol',
      'virtual_server:lvs_method',
      'virtual_server:real_server',
      'virtual_server/real_server:weight',
    ]);
  });

  it('a value of ${_HASH} comments out the rest of the line, braces included', () => {
    const text = conf('$H=${_HASH}', '$H bogus_kw {', '$H   more_bogus', '$H }', ...vrrpInstance('V'));
    expect(problems(text)).toEqual([]);
  });

  it('a multi-line definition used alone on a line reads as its lines, reported on the use line', () => {
    const text = conf(
      '$VI=vrrp_instance VI_1 { \\',
      '  interface eth0 \\',
      '  virtual_router_id 51 \\',
      '  virtual_ipaddress { \\',
      '    192.0.2.10 \\',
      '  } \\',
      '  bogus_inner \\',
      '}',
      '$VI',
    );
    expect(problems(text)).toEqual(['9:unknown-keyword']);
    // The lines the definition makes are the instance's: without its virtual_router_id keepalived stops.
    expect(problems(text.replace('  virtual_router_id 51 \\\n', ''))).toEqual([
      '8:instance-missing-required',
      '8:unknown-keyword',
    ]);
    expect(analyzeText('t.conf', text).model.symbols.definitionsOf('vrrp_instance', 'VI_1')).toHaveLength(1);
  });

  it('names a definition builds are known, with the values in force where it is used', () => {
    const text = conf(
      '$B=bfd_instance BFD_$NUM { \\',
      '  neighbor_ip 10.0.0.$NUM \\',
      '}',
      '$NUM=6',
      '$B',
      '$NUM=7',
      '$B',
    );
    const symbols = analyzeText('t.conf', text).model.symbols;
    expect(symbols.definitionsOf('bfd_instance', 'BFD_6')).toHaveLength(1);
    expect(symbols.definitionsOf('bfd_instance', 'BFD_7')).toHaveLength(1);
    expect(problems(text)).toEqual([]);
  });

  it('a ~SEQ line over a multi-line definition reads it once per value', () => {
    const text = conf(
      '$TF= \\',
      'track_file tf${NUM} { \\',
      '  file /tmp/tf${NUM} \\',
      '}',
      '~SEQ(NUM,0,2) $TF',
    );
    const symbols = analyzeText('t.conf', text).model.symbols;
    for (const name of ['tf0', 'tf1', 'tf2'])
      expect(symbols.definitionsOf('track_file', name)).toHaveLength(1);
  });

  it('an undefined ${NAME} is split at its braces, as keepalived splits it', () => {
    const text = conf(
      'global_defs {',
      '  notification_email_from keepalived_${INST}@example.com',
      '  router_id foo',
      '}',
    );
    expect(problems(text)).toEqual([
      '2:unexpected-block',
      '2:unknown-keyword',
      '3:wrong-block',
      '4:extra-closing-brace',
    ]);
    // Once INST is defined, the line is an ordinary one.
    expect(problems('$INST=a\n' + text)).toEqual([]);
  });

  it('offers no fix on a line whose words come from a parameter', () => {
    const text = conf('$E=', '$E vrrp_instnce X {', '$E }');
    const found = lintFile(analyzeText('t.conf', text)).filter((d) => d.rule === 'unknown-keyword');
    expect(found.map((d) => d.range.start.line + 1)).toEqual([2]);
    expect(found[0]!.fixes).toBeUndefined();
    // Without the parameter the same mistake gets its suggestion.
    const plain = lintFile(analyzeText('t.conf', 'vrrp_instnce X {\n}\n')).find(
      (d) => d.rule === 'unknown-keyword',
    );
    expect(plain?.fixes?.length).toBeGreaterThan(0);
  });

  it('leaves a line alone when an unresolved include may define what it uses', () => {
    const text = conf('include missing/*.conf', '$MAYBE virtual_server 10.0.0.1 80 {', '}');
    const file = analyzeText('t.conf', text);
    expect(file.placed.some((p) => p.expandedFrom)).toBe(false);
  });
});

describe('blocks keepalived skips at their first line', () => {
  it('a second vrrp_instance of the same name is skipped whole', () => {
    const text = conf(...vrrpInstance('VI_1'), 'vrrp_instance VI_1 {', '  priority 300x', '}');
    expect(problems(text)).toEqual(['8:duplicate-definition']);
  });

  it('a real server whose port keepalived cannot read is skipped whole', () => {
    const text = conf(
      'virtual_server 10.0.0.1 80 {',
      '  real_server 10.0.0.2 asd {',
      '    weight 100a',
      '  }',
      '  real_server 10.0.0.3 80 {',
      '    weight 100b',
      '  }',
      '}',
    );
    expect(problems(text).filter((p) => p.endsWith('invalid-value'))).toEqual([
      '2:invalid-value',
      '6:invalid-value',
    ]);
  });
});

describe('a comment line ending in a backslash', () => {
  it('leaves the keyword \\ behind, as keepalived reads it', () => {
    const text = conf('global_defs {', '# old line \\', '  router_id x # note \\', '}', '# fine \\\\');
    expect(problems(text)).toEqual(['2:unknown-keyword']);
  });
});

describe('findings of nested multi-line expansions stay on the line that used them', () => {
  // Found by the fuzz pass (seed 1): the words of a line an expansion made were mapped character by
  // character from their start, so findings ran past the use into the following lines.
  it('a definition made by a nested expansion is reported on the use, not past it', () => {
    const text = conf(
      '$INNER_LONG= \\',
      '$X=1 \\',
      '',
      '$OUT= \\',
      '$Y=3 \\',
      '$INNER_LONG',
      '$OUT',
      '# end',
    );
    const unused = lint(text, { keepalivedVersion: '2.2.7', template: 'none' }).filter(
      (d) => d.rule === 'unused-parameter' && d.message.includes("'$X'"),
    );
    expect(unused.map((d) => [d.range.start, d.range.end])).toContainEqual([
      { line: 6, character: 0 },
      { line: 6, character: 4 },
    ]);
    expect(unused.every((d) => d.range.end.line === d.range.start.line)).toBe(true);
  });

  it('an undefined ${NAME} in a line of a nested expansion is reported where it is written', () => {
    const text = conf(
      '$RS= \\',
      '    MISC_CHECK { \\',
      '\tmisc_path ${INST}.${VS_NUM} \\',
      '',
      '$VS= \\',
      '  $RS \\',
      '$VS_NUM=1',
      '$VS',
      '# end',
    );
    const undefinedRefs = lint(text, { keepalivedVersion: '2.2.7', template: 'none' }).filter(
      (d) => d.rule === 'undefined-parameter',
    );
    expect(undefinedRefs.map((d) => `${d.range.start.line}:${d.range.start.character}`)).toEqual(['2:13']);
  });
});

describe('a multi-line value used inside a word', () => {
  // keepalived substitutes a multi-line definition only at the end of a line and leaves any other use as
  // written, so a word that uses one has no value to work out (found by the fuzzer: two definitions using
  // each other, repeated by ~SEQ, spent the whole expansion budget of the configuration).
  it('is unknown, and costs no substitution', () => {
    const file = analyzeText(
      'test.conf',
      conf('$VS= \\', 'virtual_server 10.0.0.1 80 { \\', '  $RS', '$RS= \\', '  $VS 10.0.0.2 {'),
      { template: 'none' },
    );
    expect(file.model.params.get('VS')?.multiline).toBe(true);
    const budget = newExpansionBudget();
    const word = { value: '$VS', text: '$VS', start: 0, end: 3 } as Word;
    expect(expandWord(word, file.model.params, true, budget)).toBeUndefined();
    expect(budget.steps).toBe(MAX_EXPANSION_STEPS);
    expect(budget.hit).toBeUndefined();
  });
});
