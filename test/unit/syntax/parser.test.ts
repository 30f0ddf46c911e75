import { describe, expect, it } from 'vitest';
import { walkStatements, type Statement } from '../../../server/src/syntax/ast';
import { MAX_BLOCK_DEPTH, parse } from '../../../server/src/syntax/parser';

const names = (statements: Statement[]) => statements.map((s) => s.keyword.value);

describe('parser', () => {
  it('builds nested blocks with exact offsets for keywords and arguments', () => {
    const text = 'vrrp_instance VI_1 {\n  priority 100\n}\n';
    const tree = parse(text);
    const instance = tree.statements[0]!;
    expect(instance.keyword).toMatchObject({ value: 'vrrp_instance', start: 0, end: 13 });
    expect(instance.args[0]).toMatchObject({ value: 'VI_1', start: 14, end: 18 });
    const priority = instance.block!.statements[0]!;
    expect(text.slice(priority.keyword.start, priority.keyword.end)).toBe('priority');
    expect(text.slice(priority.args[0]!.start, priority.args[0]!.end)).toBe('100');
    expect(instance.block).toMatchObject({ open: 19, close: text.lastIndexOf('}') });
    expect(instance.end).toBe(text.lastIndexOf('}') + 1);
  });

  it('attaches a { on the next line (after comments and blank lines) to the keyword', () => {
    const tree = parse('vrrp_instance VI_1\n# comment\n\n{\n state MASTER\n}\n');
    expect(tree.statements).toHaveLength(1);
    expect(names(tree.statements[0]!.block!.statements)).toEqual(['state']);
    expect(tree.problems).toEqual([]);
  });

  it('reads several statements on one line split by braces', () => {
    const tree = parse('vrrp_instance X { state MASTER } vrrp_script s { script "a b" }');
    expect(names(tree.statements)).toEqual(['vrrp_instance', 'vrrp_script']);
    expect(tree.statements[1]!.block!.statements[0]!.args[0]).toMatchObject({ value: 'a b', quoted: true });
  });

  it('recovers from a missing closing brace: the block ends at end of file', () => {
    const tree = parse('global_defs {\n router_id a\nvrrp_instance X {\n state MASTER\n}\n');
    expect(tree.statements).toHaveLength(1);
    expect(tree.statements[0]!.block!.close).toBeUndefined();
    expect(names(tree.statements[0]!.block!.statements)).toEqual(['router_id', 'vrrp_instance']);
  });

  it('recovers from an extra closing brace and keeps parsing after it', () => {
    const tree = parse('a {\n}\n}\nb 1\n');
    expect(names(tree.statements)).toEqual(['a', 'b']);
    expect(tree.problems.map((p) => p.kind)).toEqual(['extra-closing-brace']);
  });

  it('keeps a { that follows nothing as a stray block', () => {
    const tree = parse('{\n a 1\n}\nb 2');
    expect(tree.strayBlocks).toHaveLength(1);
    expect(names(tree.strayBlocks[0]!.statements)).toEqual(['a']);
    expect(names(tree.statements)).toEqual(['b']);
  });

  it('recognises include lines, definitions, conditions, sequences and ignored lines', () => {
    const tree = parse(
      'include /etc/k/*.conf\n$X=1\n@h1 priority 2\n@^h1 priority 3\n~SEQ(i,1,2) a $i\n~other\n@lonely\n',
    );
    expect(tree.statements.map((s) => s.kind)).toEqual([
      'include',
      'definition',
      'keyword',
      'keyword',
      'keyword',
      'ignored',
      'ignored',
    ]);
    expect(tree.statements[1]!.definition).toMatchObject({ name: 'X', value: '1' });
    expect(tree.statements[2]!.condition?.value).toBe('@h1');
    expect(tree.statements[3]!.condition?.value).toBe('@^h1');
    expect(tree.statements[4]!.sequences[0]!.value).toBe('~SEQ(i,1,2)');
    expect(tree.statements[4]!.keyword.value).toBe('a');
  });

  it('survives deep nesting without exhausting the stack', () => {
    const depth = 100000;
    const tree = parse('{'.repeat(depth) + '}'.repeat(depth));
    expect(tree.problems.some((p) => p.kind === 'too-deep' && p.depth === MAX_BLOCK_DEPTH)).toBe(true);
  });

  it('never throws on random input', () => {
    const alphabet = [
      '{',
      '}',
      '"',
      '#',
      '!',
      '\n',
      ' ',
      'a',
      '$X=',
      '@h ',
      '~SEQ(',
      '\\',
      '\r',
      '\u0000',
      'é',
    ];
    let seed = 42;
    for (let n = 0; n < 300; n++) {
      let text = '';
      for (let i = 0; i < 200; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += alphabet[seed % alphabet.length];
      }
      const tree = parse(text);
      let count = 0;
      walkStatements(tree.statements, (s) => {
        count++;
        expect(s.start).toBeLessThanOrEqual(s.end);
        expect(Number.isFinite(s.start) && Number.isFinite(s.end)).toBe(true);
      });
      expect(count).toBeGreaterThanOrEqual(0);
    }
  });
});
