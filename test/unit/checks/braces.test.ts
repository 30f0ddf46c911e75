// The reader and the parser record brace events; checks/braces.ts alone words them. The words users see.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

/** `line:rule:severity message` of the brace findings (and the depth's syntax-error). */
function braces(text: string): string[] {
  return lint(text)
    .filter((d) => /block|brace|syntax/.test(d.rule) && d.rule !== 'wrong-block')
    .map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity} ${d.message}`);
}

describe('brace findings', () => {
  it('word a block never closed', () => {
    expect(braces(conf('vrrp_instance VI_1 {', ' state MASTER'))).toEqual([
      `1:unclosed-block:error The block of 'vrrp_instance' opened here is never closed: add '}' (keepalived: "missing '}'s or extra '{'s").`,
    ]);
  });

  it("word an extra '}'", () => {
    expect(braces(conf('global_defs {', '}', '}'))).toEqual([
      "3:extra-closing-brace:error Extra '}': no block is open here, so keepalived reports it (often a '{' earlier was ignored, see the findings above).",
    ]);
  });

  it("word a block keyword without its '{'", () => {
    expect(braces(conf('virtual_server 192.0.2.1 80', ' delay_loop 5'))).toEqual([
      "2:missing-block:error 'virtual_server' opens a block, so keepalived expects '{' before this (Missing '{' at beginning of configuration block); without it, 'virtual_server' is ignored.",
    ]);
  });

  it("word a value block without its '{', and a '{' among its values", () => {
    expect(
      braces(conf('vrrp_instance VI_1 {', ' track_interface', '  eth0', '  {', '  eth1', ' }', '}')),
    ).toEqual([
      `2:missing-block:warning 'track_interface' is a block of values: write 'track_interface {'. Without the '{' keepalived logs "'{' missing" and reads the next lines as its values, but the '}' that should end them closes the enclosing block instead.`,
      "4:unexpected-block:warning keepalived reads this '{' as one more value of 'track_interface' (which has no '{' of its own), and the '}' that matches it ends 'track_interface'. Put the '{' right after 'track_interface'.",
    ]);
  });

  it("word a '{' keepalived ignores: after nothing, after a keyword that takes none, after an unknown one", () => {
    expect(braces(conf('{', ' a 1'))).toEqual([
      "1:unexpected-block:error Unexpected '{' - keepalived ignores it; the lines inside are read at the current level.",
    ]);
    expect(braces(conf('vrrp_instance VI_1 {', ' state MASTER {', ' }', '}'))).toEqual([
      "2:unexpected-block:error Unexpected '{': 'state' takes no block, so keepalived ignores this brace, reads the lines inside at the current level, and the matching '}' closes 'vrrp_instance'.",
      "4:extra-closing-brace:error Extra '}': no block is open here, so keepalived reports it (often a '{' earlier was ignored, see the findings above).",
    ]);
    expect(braces(conf('foo {', '}'))[0]).toBe(
      "1:unexpected-block:error Unexpected '{': 'foo' is not a keyword here, so keepalived ignores this brace, reads the lines inside at the current level, and the matching '}' closes nothing (an extra brace).",
    );
  });

  it('word blocks nested deeper than the parser follows', () => {
    const depth = 100;
    const text = conf(...Array.from({ length: depth }, (_, i) => `a${i} {`), ...Array(depth).fill('}'));
    expect(braces(text).filter((f) => f.includes('syntax-error'))).toEqual([
      '65:syntax-error:error Blocks are nested more than 64 levels deep; deeper braces are ignored.',
    ]);
  });
});
