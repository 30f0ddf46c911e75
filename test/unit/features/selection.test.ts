import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Position, SelectionRange } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { selectionRanges } from '../../../server/src/features/selection';
import { LineIndex } from '../../../server/src/syntax/position';

/** The text of each range from the cursor (`<|>`) outwards, the whole document shown as `DOC`. */
function expand(marked: string): string[] {
  const offset = marked.indexOf('<|>');
  const text = marked.replace('<|>', '');
  const file = analyzeText('test.conf', text);
  const lines = new LineIndex(text);
  const [range] = selectionRanges(file, [lines.positionAt(offset)]);
  const out: string[] = [];
  for (let r: SelectionRange | undefined = range; r; r = r.parent) {
    const slice = text.slice(lines.offsetAt(r.range.start), lines.offsetAt(r.range.end));
    out.push(slice === text ? 'DOC' : slice);
  }
  return out;
}

const config = [
  'global_defs {',
  '  router_id LVS_1',
  '}',
  'vrrp_instance VI_1 {',
  '  state MASTER',
  '  track_script {',
  '    chk_<|>haproxy weight 2',
  '  }',
  '}',
  '',
].join('\n');

describe('selectionRanges', () => {
  it('goes word, line, block content, statement with block, ..., document', () => {
    expect(expand(config)).toEqual([
      'chk_haproxy',
      'chk_haproxy weight 2',
      'track_script {\n    chk_haproxy weight 2\n  }',
      'state MASTER\n  track_script {\n    chk_haproxy weight 2\n  }',
      'vrrp_instance VI_1 {\n  state MASTER\n  track_script {\n    chk_haproxy weight 2\n  }\n}',
      'DOC',
    ]);
  });

  it('selects the keyword line of a block statement before the whole statement', () => {
    expect(expand('virtual_server 10.0.0.1 <|>80 {\n  delay_loop 6\n}\n')).toEqual([
      '80',
      'virtual_server 10.0.0.1 80',
      'virtual_server 10.0.0.1 80 {\n  delay_loop 6\n}',
      'DOC',
    ]);
  });

  it('handles one-line blocks, a cursor right after a word, and blank lines inside a block', () => {
    expect(expand('a { b c<|> }\n')).toEqual(['c', 'b c', 'a { b c }', 'DOC']);
    expect(expand('a {\n<|>\n  b\n}\n')).toEqual(['\n\n  b\n', 'a {\n\n  b\n}', 'DOC']);
  });

  it('selects a $NAME use inside a word, and the name or value of a definition', () => {
    expect(expand('$NET=10.0.0\nvirtual_ipaddress {\n  ${N<|>ET}.1/24\n}\n')).toEqual([
      '${NET}',
      '${NET}.1/24',
      'virtual_ipaddress {\n  ${NET}.1/24\n}',
      'DOC',
    ]);
    expect(expand('@lb $P<|>RIO=150\n')).toEqual(['$PRIO', '$PRIO=150', '@lb $PRIO=150', 'DOC']);
    expect(expand('$PRIO=1<|>50\n')).toEqual(['150', '$PRIO=150', 'DOC']);
  });

  it('selects a comment inside its block, and only the document between statements', () => {
    expect(expand('a {\n  b 1 # no<|>te\n}\n')).toEqual([
      '# note',
      'b 1 # note',
      'a {\n  b 1 # note\n}',
      'DOC',
    ]);
    expect(expand('a 1\n<|>\nb 2\n')).toEqual(['DOC']);
  });

  it('keeps every range inside its parent when a word or comment ends in blanks', () => {
    expect(expand('a {\n  b "op<|>en  \n}\n')).toEqual([
      '"open  ',
      'b "open  ',
      'a {\n  b "open  \n}',
      'DOC',
    ]);
    expect(expand('a {\n  # no<|>te  \n}\n')).toEqual(['# note', 'a {\n  # note  \n}', 'DOC']);
  });

  it('descends into stray blocks and answers every position asked', () => {
    expect(expand('{\n  x <|>1\n}\n')).toEqual(['1', 'x 1', '{\n  x 1\n}', 'DOC']);
    const file = analyzeText('t.conf', 'a {\n b\n');
    const ranges = selectionRanges(file, [
      { line: 0, character: 0 },
      { line: 1, character: 1 },
      { line: 9, character: 9 },
    ]);
    expect(ranges.map((r) => r.range)).toEqual([
      { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } },
      { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } },
    ]);
  });
});

describe('selection ranges on real configurations', () => {
  // The corpus beside the checkout when present (CI), and always the project's own examples.
  const corpus = join(__dirname, '../../../../shared/corpus');
  const folders = [
    ...['real', 'keepalived-samples'].filter((f) => existsSync(join(corpus, f))).map((f) => join(corpus, f)),
    ...['nginx-failover', 'secure', 'typos'].map((f) => join(__dirname, '../../../examples', f)),
  ];

  it('always hold the position, each range inside its parent', () => {
    for (const folder of folders) {
      for (const name of readdirSync(folder)) {
        const text = readFileSync(join(folder, name), 'utf8');
        const file = analyzeText(name, text);
        const positions: Position[] = [];
        for (let line = 0; line < file.lines.lineCount; line++)
          for (let character = 0; character <= file.lines.lineText(line).length; character += 2)
            positions.push({ line, character });
        selectionRanges(file, positions).forEach((range, i) => {
          const at = file.lines.offsetAt(positions[i]!);
          let inner = { start: at, end: at };
          for (let r: SelectionRange | undefined = range; r; r = r.parent) {
            const outer = {
              start: file.lines.offsetAt(r.range.start),
              end: file.lines.offsetAt(r.range.end),
            };
            const holds = outer.start <= inner.start && inner.end <= outer.end;
            if (!holds) expect.fail(`${name} ${JSON.stringify(positions[i])}: ${JSON.stringify(r.range)}`);
            inner = outer;
          }
          expect(inner).toEqual({ start: 0, end: text.length });
        });
      }
    }
  });
});
