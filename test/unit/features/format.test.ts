import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { formatDocument, formatOnType, formatRange } from '../../../server/src/features/format';
import { lex, Newline } from '../../../server/src/syntax/lexer';
import { conf } from '../../helpers';

const spaces = { tabSize: 2, insertSpaces: true };
const tabs = { tabSize: 4, insertSpaces: false };

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///k.conf', 'keepalived', 1, text), edits);
}

function format(text: string, options = spaces): string {
  return apply(text, formatDocument(text, options));
}

/** Token types and images, line breaks left out; trailing blanks of a token are not part of its meaning. */
function tokenImages(text: string): string[] {
  const lexed = lex(text);
  return [...lexed.tokens.filter((t) => t.tokenType !== Newline), ...lexed.comments]
    .sort((a, b) => a.startOffset - b.startOffset)
    .map((t) => `${t.tokenType.name}:${t.image.replace(/[ \t\f\v]+$/, '')}`);
}

/** What every formatting must guarantee, whatever the input. */
function expectSafe(text: string): void {
  const once = format(text);
  expect(format(once), 'idempotent').toBe(once);
  expect(tokenImages(once), 'same tokens').toEqual(tokenImages(text));
  expect(format(text, tabs)).toBe(format(format(text, tabs), tabs));
}

describe('formatDocument', () => {
  it('indents by block depth, one space between words, no trailing blanks', () => {
    const text = conf(
      'global_defs {',
      'router_id    LVS_1   ',
      '      notification_email {',
      '  a@b.c',
      '        }',
      '}',
      '   vrrp_instance\tVI_1 {',
      'state MASTER',
      '}',
    );
    expect(format(text)).toBe(
      conf(
        'global_defs {',
        '  router_id LVS_1',
        '  notification_email {',
        '    a@b.c',
        '  }',
        '}',
        'vrrp_instance VI_1 {',
        '  state MASTER',
        '}',
      ),
    );
    expect(format(text, tabs)).toBe(
      conf(
        'global_defs {',
        '\trouter_id LVS_1',
        '\tnotification_email {',
        '\t\ta@b.c',
        '\t}',
        '}',
        'vrrp_instance VI_1 {',
        '\tstate MASTER',
        '}',
      ),
    );
  });

  it('rewrites lines that are nearly laid out: one character off in the indent, a gap or the end', () => {
    // Each line differs from its layout by one detail the quick check of a laid-out line must see.
    const text = conf(
      'global_defs {',
      '  router_id a ',
      '  router_id a # note ',
      '  router_id\ta',
      '  router_id  a',
      '\t router_id a',
      '   router_id a',
      '  router_id a    # aligned',
      '  router_id "unterminated ',
      '}',
    );
    expect(format(text)).toBe(
      conf(
        'global_defs {',
        '  router_id a',
        '  router_id a # note',
        '  router_id a',
        '  router_id a',
        '  router_id a',
        '  router_id a',
        '  router_id a    # aligned',
        '  router_id "unterminated',
        '}',
      ),
    );
    expect(formatDocument(text, spaces).map((e) => e.range.start.line)).toEqual([1, 2, 3, 4, 5, 6, 8]);
  });

  it('returns one edit per changed line, with exact ranges, and none for a formatted file', () => {
    const text = conf('vrrp_instance VI_1 {', 'state   MASTER', '  priority 100', '}');
    expect(formatDocument(text, spaces)).toEqual([
      {
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } },
        newText: '  state MASTER',
      },
    ]);
    expect(formatDocument(format(text), spaces)).toEqual([]);
  });

  it('puts a { alone on the next line at the keyword level and } lines at the block level', () => {
    const text = conf('vrrp_instance VI_1', '    {', 'track_script', '{', 'chk', '      }  }', 'x');
    expect(format(text)).toBe(
      conf('vrrp_instance VI_1', '{', '  track_script', '  {', '    chk', '  } }', 'x'),
    );
  });

  it('keeps one-line blocks, braces glued to words, and indents comments with their block', () => {
    const text = conf(
      'vrrp_script chk{script "true"}',
      'vrrp_instance X {   state MASTER   }',
      'virtual_server 10.0.0.1 80 {',
      '# a comment',
      '        real_server 10.0.0.2 80 {',
      '   ! another',
      '   weight 1 # trailing   comment   ',
      ' delay_loop   5    # aligned',
      '}',
      '}',
    );
    expect(format(text)).toBe(
      conf(
        'vrrp_script chk{script "true"}',
        'vrrp_instance X { state MASTER }',
        'virtual_server 10.0.0.1 80 {',
        '  # a comment',
        '  real_server 10.0.0.2 80 {',
        '    ! another',
        '    weight 1 # trailing   comment',
        '    delay_loop 5    # aligned',
        '  }',
        '}',
      ),
    );
  });

  it('never touches blanks inside quotes, comments, ~SEQ prefixes or definition values', () => {
    const text = conf(
      'vrrp_script   chk {',
      '    script   "/bin/check   --fast"   # keep   these',
      '}',
      '~SEQ(i,  1,   3)    vrrp_instance   VI_$i {',
      '}',
      '@host1    $PRIO=150   200',
      '  $ADDR=10.0.0.1     dev eth0',
      'x "unterminated   quote  ',
    );
    expect(format(text)).toBe(
      conf(
        'vrrp_script chk {',
        '  script "/bin/check   --fast"   # keep   these',
        '}',
        '~SEQ(i,  1,   3) vrrp_instance VI_$i {',
        '}',
        '@host1 $PRIO=150   200',
        '$ADDR=10.0.0.1     dev eth0',
        'x "unterminated   quote',
      ),
    );
  });

  it('keeps the continuation lines of a multi-line definition exactly', () => {
    const text = conf(
      'global_defs {',
      '      $BLOCK= \\',
      '   router_id   A \\',
      '        script_user  root   ',
      '   x    y',
      '}',
    );
    expect(format(text)).toBe(
      conf(
        'global_defs {',
        '  $BLOCK= \\',
        '   router_id   A \\',
        '        script_user  root   ',
        '  x y',
        '}',
      ),
    );
  });

  it('keeps blank lines but collapses runs of three or more to two, and empties blank lines', () => {
    const text = 'a\n   \n\n\n\t\nb {\n\n\n\n}\n\n\n\n';
    expect(format(text)).toBe('a\n\n\nb {\n\n\n}\n\n\n');
    expect(formatDocument(text, spaces)).toEqual([
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }, newText: '' },
      { range: { start: { line: 3, character: 0 }, end: { line: 5, character: 0 } }, newText: '' },
      { range: { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } }, newText: '' },
      { range: { start: { line: 12, character: 0 }, end: { line: 13, character: 0 } }, newText: '' },
    ]);
    // A run that reaches the end of a text without a final line break.
    expect(format('a\n\n\n\n  ')).toBe('a\n\n\n');
  });

  it('keeps CRLF line breaks and a byte order mark', () => {
    const text = '\uFEFFvrrp_instance X {\r\n state   MASTER  \r\n\r\n\r\n\r\n}\r\n';
    expect(format(text)).toBe('\uFEFFvrrp_instance X {\r\n  state MASTER\r\n\r\n\r\n}\r\n');
  });

  it('survives unbalanced and garbage input, and stays safe on it', () => {
    const samples = [
      '}\n}}\n  a {\n',
      'a {\n b {\n c\n',
      '{\n{\n x \n}\n',
      '"\n"" "\n#\n!\n\\\n$=\n$A=\\\n',
      '$A=\\\n\\\n\\',
      '@\n@x\n~\n~SEQ(\n~LST(a, {1,2}) b {\n}',
      '\u0000\u0001 \u00a0x\u2028 y\r\r\n\r',
      '{'.repeat(100) + '\nx\n' + '}'.repeat(100),
      '',
      '   ',
    ];
    for (const text of samples) {
      expect(() => formatDocument(text, spaces)).not.toThrow();
      expectSafe(text);
    }
    expect(format('a {\n b {\n c\n')).toBe('a {\n  b {\n    c\n');
  });

  it('is idempotent and keeps every token on random mixes of fragments', () => {
    const fragments = [
      'vrrp_instance X {',
      '}',
      '{',
      ' } ',
      '  state   MASTER ',
      '"a  b"',
      '# c  d',
      '! e',
      '$P=1  2',
      '$M= \\',
      '  v \\',
      'w',
      '@id   x',
      '~SEQ(i, 1, 2)  y',
      '\t',
      '',
      ' ',
      'z "q',
      '} {',
      '${P}  k',
    ];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const lines: string[] = [];
      for (let i = random(12); i >= 0; i--) {
        let line = '';
        for (let j = random(3); j >= 0; j--)
          line += fragments[random(fragments.length)]! + ' '.repeat(random(3));
        lines.push(line);
      }
      expectSafe(lines.join(random(2) ? '\r\n' : '\n'));
    }
  });
});

describe('formatting deep nesting at a large indentation', () => {
  it('indents 2,000 lines 60 blocks deep at tabSize 32 (trailing blanks are trimmed in linear time)', () => {
    // 1,920 spaces of indentation per line: the regular expression that trimmed trailing blanks tried each
    // of them as a start, some 2 million steps a line.
    const open = 'vrrp_instance VI {\n'.repeat(60);
    const body = Array.from({ length: 2000 }, (_, i) => `priority ${i}`).join('\n');
    const out = format(open + body + '\n', { tabSize: 32, insertSpaces: true });
    const lines = out.split('\n');
    expect(lines[60]).toBe(`${' '.repeat(60 * 32)}priority 0`);
    expect(lines[2059]).toBe(`${' '.repeat(60 * 32)}priority 1999`);
  });
});

describe('formatRange', () => {
  const text = conf('a {', 'b   1', 'c   2', '', '', '', 'd   3', '}');

  it('edits only the lines the range touches', () => {
    const range = { start: { line: 1, character: 3 }, end: { line: 2, character: 0 } };
    expect(apply(text, formatRange(text, range, spaces))).toBe(
      conf('a {', '  b 1', 'c   2', '', '', '', 'd   3', '}'),
    );
  });

  it('collapses blank lines inside the range only', () => {
    const range = { start: { line: 2, character: 0 }, end: { line: 6, character: 2 } };
    expect(apply(text, formatRange(text, range, spaces))).toBe(
      conf('a {', 'b   1', '  c 2', '', '', '  d 3', '}'),
    );
  });
});

describe('formatOnType', () => {
  it('indents the new line after a line break, and tidies the line before', () => {
    const text = 'vrrp_instance X {\n  state   MASTER\n\n}\n';
    expect(formatOnType(text, { line: 2, character: 0 }, '\n', spaces)).toEqual([
      {
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 16 } },
        newText: '  state MASTER',
      },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '  ' },
    ]);
    // Enter pressed before a closing brace: the brace line is re-indented instead.
    const split = 'a {\n    b {\n    }\n}\n';
    expect(apply(split, formatOnType(split, { line: 2, character: 0 }, '\n', spaces))).toBe(
      'a {\n  b {\n  }\n}\n',
    );
    // In an unclosed block (the user is still typing it).
    expect(formatOnType('a {\n', { line: 1, character: 0 }, '\n', tabs)).toEqual([
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '\t' },
    ]);
  });

  it('dedents a typed } and re-indents a line where { was typed', () => {
    const text = 'a {\n  b 1\n  }\n';
    expect(formatOnType(text, { line: 2, character: 3 }, '}', spaces)).toEqual([
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } }, newText: '}' },
    ]);
    const open = 'a {\n     b   {\n}\n';
    expect(apply(open, formatOnType(open, { line: 1, character: 11 }, '{', spaces))).toBe('a {\n  b {\n}\n');
  });

  it('never deletes blank lines while typing', () => {
    const text = 'a\n\n\n\n\n';
    expect(formatOnType(text, { line: 4, character: 0 }, '\n', spaces)).toEqual([]);
  });
});

describe('formatting real configurations', () => {
  // The corpus beside the checkout when present (CI), and always the project's own examples.
  const corpus = join(__dirname, '../../../../shared/corpus');
  const folders = [
    ...['real', 'keepalived-samples', 'templates']
      .filter((f) => existsSync(join(corpus, f)))
      .map((f) => join(corpus, f)),
    ...['nginx-failover', 'secure', 'typos'].map((f) => join(__dirname, '../../../examples', f)),
  ];

  it('is idempotent and keeps every token of every corpus file', () => {
    let files = 0;
    for (const folder of folders) {
      for (const name of readdirSync(folder)) {
        const text = readFileSync(join(folder, name), 'utf8');
        const once = format(text);
        expect(format(once), `${folder}/${name} idempotent`).toBe(once);
        expect(tokenImages(once), `${folder}/${name} tokens`).toEqual(tokenImages(text));
        files++;
      }
    }
    expect(files).toBeGreaterThanOrEqual(4);
  });
});
