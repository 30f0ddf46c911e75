// From keepalived 2.2.0 the VRRP, checker and BFD processes read the parent's decommented copy of the
// configuration and decomment it again (lib/parser.c read_line(), write_conf_copy/read_conf_copy), so a
// `\#` in their blocks starts a comment for them. Before 2.2.0 every process read the file itself.
import { describe, expect, it } from 'vitest';
import { conf, rulesAt } from '../../helpers';

const instance = (name: string) =>
  conf(
    `vrrp_instance ${name} {`,
    ' interface eth0',
    ' virtual_router_id 51',
    ' priority 100',
    ' virtual_ipaddress {',
    '  192.0.2.10',
    ' }',
    '}',
  );

describe("a '\\#' read by keepalived's child processes", () => {
  it('2.2: `VI_\\#1 {` is `VI_` without its `{` (devel/one_hash.conf)', () => {
    // keepalived 2.2.7: Missing '{' and Unknown keyword 'interface' on line 2, ..., Unexpected '{' on 5,
    // Unknown keyword on 6, Extra '}' on 7 and 8.
    const found = rulesAt(instance('VI_\\#1'), { keepalivedVersion: '2.2.7' });
    expect(found).toContain('2:missing-block');
    expect(found).toContain('2:wrong-block');
    expect(found).toContain('5:unexpected-block');
    expect(found).toContain('6:unknown-keyword');
    expect(found).toContain('8:extra-closing-brace');
  });

  it('the newest release reads it the same way (unchanged up to 2.4.3)', () => {
    expect(rulesAt(instance('VI_\\#1'))).toContain('2:missing-block');
  });

  it('2.1: every process reads the file itself, so the name is `VI_#1` and the block opens', () => {
    expect(rulesAt(instance('VI_\\#1'), { keepalivedVersion: '2.1.5' })).toEqual([]);
  });

  it('an escaped `#` in a quoted word, or in global_defs (read by the parent), is left alone', () => {
    expect(rulesAt(instance('"VI_\\#1"'), { keepalivedVersion: '2.2.7' })).toEqual([]);
    expect(rulesAt(conf('global_defs {', ' router_id a\\#b', '}'), { keepalivedVersion: '2.2.7' })).toEqual(
      [],
    );
  });
});
