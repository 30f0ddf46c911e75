// The TextMate grammar, loaded the way VS Code loads it (vscode-textmate + the Oniguruma WebAssembly build),
// tokenizes a fixture config; each test names a line, a piece of it and the scope that piece must carry.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';
import { grammarPath, has, loadGrammar, root, scopesOf, tokenizeWith, type Line } from './textmate';

let grammar: IGrammar;

beforeAll(async () => {
  grammar = await loadGrammar();
});

const tokenize = (text: string): Line[] => tokenizeWith(grammar, text);

describe('keepalived TextMate grammar', () => {
  let lines: Line[];
  beforeAll(() => {
    lines = tokenize(readFileSync(join(root, 'test/fixtures/grammar/sample.conf'), 'utf8'));
  });

  /** Every token of `fragment` carries `scope`. */
  const expectScope = (lineMarker: string, fragment: string, scope: string): void => {
    const found = scopesOf(lines, lineMarker, fragment);
    expect(found.length, `tokens of '${fragment}'`).toBeGreaterThan(0);
    for (const scopes of found)
      expect(scopes, `'${fragment}' in '${lineMarker}'`).toSatisfy((s: string[]) => has(s, scope));
  };
  /** No token of `fragment` carries `scope`. */
  const expectNoScope = (lineMarker: string, fragment: string, scope: string): void => {
    for (const scopes of scopesOf(lines, lineMarker, fragment)) {
      expect(scopes, `'${fragment}' in '${lineMarker}'`).not.toSatisfy((s: string[]) => has(s, scope));
    }
  };

  it('has the scope name of the public contract', () => {
    expect(grammar).toBeDefined();
    expect(JSON.parse(readFileSync(grammarPath, 'utf8')).scopeName).toBe('source.keepalived');
  });

  it('marks comments started by # and by !', () => {
    expectScope('# keepalived grammar fixture', '# keepalived grammar fixture', 'comment.line.number-sign');
    expectScope('! a comment', '! a comment that starts with a bang', 'comment.line.exclamation');
    expectScope('router_id lb01', '# trailing comment', 'comment.line.number-sign');
    expectNoScope('router_id lb01', 'lb01', 'comment');
  });

  it('treats \\# as an escape, not a comment', () => {
    expectNoScope('notification_email_from', 'ops\\#1@example.com', 'comment');
    expectScope('notification_email_from', '\\#', 'constant.character.escape');
  });

  it('keeps # inside a quoted string part of the string', () => {
    const quoted = '"/usr/bin/pgrep -x nginx # not a comment"';
    expectScope('script "/usr/bin/pgrep', quoted, 'string.quoted.double');
    expectNoScope('script "/usr/bin/pgrep', quoted, 'comment');
  });

  it('tells block keywords, other keywords and section names apart', () => {
    expectScope('global_defs {', 'global_defs', 'keyword.other.block');
    expectScope('global_defs {', '{', 'punctuation.section.block.begin');
    expectScope('virtual_ipaddress {', 'virtual_ipaddress', 'keyword.other.block');
    expectScope('vrrp_instance VI_1', 'vrrp_instance', 'keyword.other.block');
    expectScope('vrrp_instance VI_1', 'VI_1', 'entity.name.section');
    expectScope('vrrp_script chk_nginx', 'chk_nginx', 'entity.name.section');
    expectScope('interval 2', 'interval', 'keyword.other.keepalived');
    expectScope('script_user keepalived_script', 'script_user', 'keyword.other.keepalived');
    expectScope('virtual_server 192.0.2.100 80', 'virtual_server', 'keyword.other.block');
  });

  it('does not take unknown words or value words for keywords', () => {
    expectNoScope('nopreempt_typo', 'nopreempt_typo', 'keyword');
    // `weight` is a keyword of vrrp_script, but in a track_script line it is a value word.
    expectNoScope('chk_nginx weight 10', 'weight', 'keyword');
    expectScope('chk_nginx weight 10', 'weight', 'support.constant.option');
    expectNoScope('chk_nginx weight 10', 'chk_nginx', 'keyword');
  });

  it('marks numbers and timers', () => {
    expectScope('virtual_router_id 51', '51', 'constant.numeric.integer');
    expectScope('weight -20 reverse', '-20', 'constant.numeric.integer');
    expectScope('timeout 0.5', '0.5', 'constant.numeric.decimal');
    expectScope('virtual_server 192.0.2.100 80', '80', 'constant.numeric.integer');
  });

  it('marks IPv4 and IPv6 addresses with prefixes and ranges', () => {
    expectScope('192.168.50.100/24', '192.168.50.100/24', 'constant.numeric.ip.ipv4');
    expectScope('10.0.0.1-5', '10.0.0.1-5', 'constant.numeric.ip.ipv4');
    expectScope('virtual_server 192.0.2.100', '192.0.2.100', 'constant.numeric.ip.ipv4');
    expectScope('fe80::1/64', 'fe80::1/64', 'constant.numeric.ip.ipv6');
    // An interface label has one colon: not an address, and its digits are not numbers either.
    expectNoScope('label eth0:1', 'eth0:1', 'constant.numeric');
  });

  it('marks value words from the enums and value lines', () => {
    expectScope('state MASTER', 'MASTER', 'constant.language');
    expectScope('lvs_sched wrr', 'wrr', 'constant.language');
    expectScope('lvs_method DR', 'DR', 'constant.language');
    expectScope('protocol TCP', 'TCP', 'constant.language');
    expectScope('weight -20 reverse', 'reverse', 'support.constant.option');
    expectScope('192.168.50.100/24 dev', 'dev', 'support.constant.option');
    expectScope('192.168.50.100/24 dev', 'label', 'support.constant.option');
  });

  it('marks @id and @^id conditions and the keyword after them', () => {
    expectScope('@node1 priority 150', '@node1', 'keyword.control.conditional');
    expectScope('@node1 priority 150', 'priority', 'keyword.other.keepalived');
    expectScope('@^node1 priority 100', '@^node1', 'keyword.control.conditional');
    expectScope('@^node1 priority 100', 'priority', 'keyword.other.keepalived');
  });

  it('marks $PARAM and ${PARAM} uses and $NAME= definitions', () => {
    expectScope('interface $IFACE', '$IFACE', 'variable.parameter');
    expectScope('advert_int ${PRIO}', '${PRIO}', 'variable.parameter');
    expectScope('$IFACE=eth0', '$IFACE', 'variable.other.definition');
    expectScope('$IFACE=eth0', '=', 'keyword.operator.assignment');
    expectScope('@node1 $PRIO=150', '@node1', 'keyword.control.conditional');
    expectScope('@node1 $PRIO=150', '$PRIO', 'variable.other.definition');
    expectScope('@node1 $PRIO=150', '150', 'constant.numeric');
  });

  it('marks ~SEQ loops, their variable and its uses', () => {
    expectScope('~SEQ(n, 10, 12)', '~SEQ', 'keyword.control.loop');
    expectScope('~SEQ(n, 10, 12)', 'n', 'variable.other.loop');
    expectScope('~SEQ(n, 10, 12)', '12', 'constant.numeric');
    expectScope('~SEQ(n, 10, 12)', '${n}', 'variable.parameter');
  });

  it('marks include keywords and their paths', () => {
    expectScope('include /etc', 'include', 'keyword.control.include');
    expectScope('include /etc', '/etc/keepalived/conf.d/*.conf', 'string.unquoted.path');
    expectScope('includea vrrp', 'includea', 'keyword.control.include');
    expectScope('includea vrrp', 'vrrp/{a,b}.conf', 'string.unquoted.path');
    expectScope('includea vrrp', '# the path ends before a comment', 'comment.line.number-sign');
  });

  it('recognises keywords after a brace, after ~SEQ, and only as whole words', () => {
    const inline = tokenize(
      [
        'vrrp_instance VI_2 { state BACKUP }',
        '~LST(w, 1, 2) priority $w',
        'interval_x 2',
        'notify_master "/bin/true" keepalived_script',
      ].join('\n'),
    );
    const scopeOf = (marker: string, fragment: string) => scopesOf(inline, marker, fragment);
    expect(scopeOf('{ state', 'state').every((s) => has(s, 'keyword.other.keepalived'))).toBe(true);
    expect(scopeOf('{ state', 'BACKUP').every((s) => has(s, 'constant.language'))).toBe(true);
    expect(scopeOf('~LST', '~LST').every((s) => has(s, 'keyword.control.loop'))).toBe(true);
    expect(scopeOf('~LST', 'priority').every((s) => has(s, 'keyword.other.keepalived'))).toBe(true);
    expect(scopeOf('interval_x', 'interval').some((s) => has(s, 'keyword'))).toBe(false);
    expect(scopeOf('notify_master', 'notify_master').every((s) => has(s, 'keyword.other.keepalived'))).toBe(
      true,
    );
  });

  it('is in step with the keyword schema (scripts/gen-grammar.mjs --check)', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/gen-grammar.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
