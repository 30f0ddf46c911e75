// lib/parser.c read_line() drops a line whose `@id` is not the configured id before it looks for braces:
// a `{` or `}` on that line goes with it (keepalived 2.2.7 -t agrees: npm run test:parity:mutants).
import { describe, expect, it } from 'vitest';
import { conf, rulesAt } from '../../helpers';

const errors = (text: string, configId?: string) =>
  rulesAt(text, { configId }).filter((r) => !/cleartext|failover|script-security/.test(r));

/** What keepalived requires of an instance (here without a VIP, which no_virtual_ipaddress says is meant). */
const instanceB = ['  interface eth0', '  virtual_router_id 6', '  no_virtual_ipaddress'];

const peers = (last: string) =>
  conf(
    'vrrp_instance A {',
    '  interface eth0',
    '  virtual_router_id 5',
    '  virtual_ipaddress {',
    '    10.0.0.1',
    '  }',
    '  unicast_peer {',
    last,
    '    10.0.0.3',
    '  }',
    '}',
  );

describe('braces on a line switched off by @id', () => {
  it('a } on a line of another node closes nothing', () => {
    const text = peers('@b  10.0.0.2 }');
    expect(errors(text, 'a')).toEqual([]);
    // on node b the '}' closes unicast_peer, and the next address is an unknown keyword of the instance
    expect(errors(text, 'b')).toContain('9:unknown-keyword');
    expect(errors(text, 'b')).toContain('11:extra-closing-brace');
  });

  it('a { on a line of another node opens nothing: the lines after it are read where they stand', () => {
    const text = conf('@b vrrp_instance B {', ...instanceB, '}');
    expect(errors(text, 'a')).toEqual([
      '2:wrong-block',
      '3:wrong-block',
      '4:wrong-block',
      '5:extra-closing-brace',
    ]);
    expect(errors(text, 'b')).toEqual([]);
  });

  it('with no configured id every node is possible, and the braces are read as written', () => {
    expect(errors(peers('@b  10.0.0.2 }'))).toContain('11:extra-closing-brace');
    expect(errors(conf('@b vrrp_instance B {', ...instanceB, '}'))).toEqual([]);
  });

  it('a } on the line after a switched-off line still counts', () => {
    const text = peers('@b  10.0.0.2');
    expect(errors(text, 'a')).toEqual([]);
  });
});
