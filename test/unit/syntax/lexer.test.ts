import { describe, expect, it } from 'vitest';
import { lex } from '../../../server/src/syntax/lexer';

const kinds = (text: string) => lex(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe('lexer', () => {
  it('splits words on blanks and keeps braces as their own tokens', () => {
    expect(kinds('vrrp_instance VI_1 {state MASTER}')).toEqual([
      'Word:vrrp_instance',
      'Word:VI_1',
      'LBrace:{',
      'Word:state',
      'Word:MASTER',
      'RBrace:}',
    ]);
  });

  it('treats # and ! as comments outside quotes only', () => {
    const result = lex('router_id "x # y" a#b "q" ! bang\n');
    expect(result.tokens.map((t) => t.image)).toEqual(['router_id', '"x # y"', 'a', '\n']);
    expect(result.comments.map((c) => c.image)).toEqual(['#b "q" ! bang']);
    expect(lex('a ! b').comments.map((c) => c.image)).toEqual(['! b']);
  });

  it('keeps escaped \\# and \\! inside words', () => {
    expect(kinds('auth_pass a\\#b\\!c')).toEqual(['Word:auth_pass', 'Word:a\\#b\\!c']);
  });

  it('makes an unterminated quote a token, not an error', () => {
    const result = lex('notify "/bin/x arg\nnext');
    expect(result.errors).toEqual([]);
    expect(result.tokens.map((t) => t.tokenType.name)).toEqual([
      'Word',
      'UnterminatedString',
      'Newline',
      'Word',
    ]);
  });

  it('reads a parameter definition at line start as one token, multi-line with backslashes', () => {
    const text = '$ADDR=10.0.0.1 # c\n$BLOCK= \\\n  a { \\\n  b }\nnext';
    const tokens = lex(text).tokens.filter((t) => t.tokenType.name === 'ParamDefinition');
    expect(tokens.map((t) => t.image)).toEqual(['$ADDR=10.0.0.1 ', '$BLOCK= \\\n  a { \\\n  b }']);
  });

  it('does not read $NAME= in the middle of a line as a definition', () => {
    expect(kinds('router_id $X=1')).toEqual(['Word:router_id', 'Word:$X=1']);
  });

  it('accepts a definition after an @id prefix', () => {
    expect(kinds('@host1 $P=1')).toEqual(['Word:@host1', 'ParamDefinition:$P=1']);
  });

  it('keeps ${NAME} uses whole even though they contain braces', () => {
    expect(kinds('interface ${IFACE}x')).toEqual(['Word:interface', 'Word:${IFACE}x']);
  });

  it('reads ~SEQ and ~LST prefixes with spaces and braces inside', () => {
    expect(kinds('~SEQ(i, 1, 3) x\n~LST({a,b}, {1,2}) y')).toEqual([
      'SequencePrefix:~SEQ(i, 1, 3)',
      'Word:x',
      'Newline:\n',
      'SequencePrefix:~LST({a,b}, {1,2})',
      'Word:y',
    ]);
  });

  it('handles CRLF, CR, a BOM, tabs and no trailing newline', () => {
    expect(kinds('\uFEFFa\tb\r\nc\rd')).toEqual([
      'Word:a',
      'Word:b',
      'Newline:\r\n',
      'Word:c',
      'Newline:\r',
      'Word:d',
    ]);
  });

  it('lexes binary garbage without errors', () => {
    const garbage = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    expect(lex(garbage).errors).toEqual([]);
  });
});
