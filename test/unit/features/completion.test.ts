import { describe, expect, it } from 'vitest';
import {
  CompletionItemTag,
  InsertTextFormat,
  type CompletionItem,
  type TextEdit,
} from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { completions, type CompletionEnv } from '../../../server/src/features/completion';
import { hover } from '../../../server/src/features/hover';
import { UNKNOWN_HOST } from '../../../server/src/analysis/host';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { conf } from '../../helpers';

const PATH = '/etc/keepalived/keepalived.conf';

/** Removes the `<|>` marker; returns the analysed file and the marker's position. */
function atCursor(text: string) {
  const offset = text.indexOf('<|>');
  if (offset < 0) throw new Error('no <|> marker');
  const file = analyzeText(PATH, text.replace('<|>', ''));
  return { file, position: file.lines.positionAt(offset) };
}

const DIRS: Record<string, { name: string; dir: boolean }[]> = {
  '/etc/keepalived': [
    { name: 'conf.d', dir: true },
    { name: 'notify.sh', dir: false },
  ],
  '/etc/keepalived/conf.d': [{ name: 'vip.conf', dir: false }],
  '/usr/local/bin': [{ name: 'check.sh', dir: false }],
};

function env(version?: string): CompletionEnv {
  return {
    users: () => ['root', 'keepalived_script', 'www-data'],
    interfaces: () => ['eth0', 'eth1', 'bond0'],
    listDir: (path) => DIRS[path],
    keepalivedVersion: version,
  };
}

function complete(text: string, version?: string): CompletionItem[] {
  const { file, position } = atCursor(text);
  return completions(file, position, env(version));
}

const labels = (text: string, version?: string): string[] => complete(text, version).map((i) => i.label);
const item = (text: string, label: string): CompletionItem | undefined =>
  complete(text).find((i) => i.label === label);
const edit = (i: CompletionItem | undefined): TextEdit => i!.textEdit as TextEdit;

const DEFINITIONS = conf(
  'vrrp_script chk_nginx {',
  '  script "/usr/bin/pgrep nginx"',
  '}',
  'vrrp_script chk_disk {',
  '  script "/bin/true"',
  '}',
  'track_file tf_maint {',
  '  file /run/maint',
  '}',
  'bfd_instance bfd_a {',
  '  neighbor_ip 10.0.0.2',
  '}',
  'virtual_server_group web_vips {',
  '  10.0.0.10 80',
  '}',
  'vrrp_instance VI_1 {',
  '  interface eth0',
  '}',
  'vrrp_instance VI_2 {',
  '  interface eth1',
  '}',
);

describe('keyword completion', () => {
  it('offers the keywords of the enclosing block only', () => {
    const inside = labels('vrrp_instance X { <|> }\n');
    expect(inside).toEqual(
      expect.arrayContaining(['priority', 'state', 'track_script', 'virtual_ipaddress']),
    );
    expect(inside).not.toContain('global_defs');
    expect(inside).not.toContain('router_id');
    expect(inside).not.toContain('vrrp_instance');
  });

  it('offers top-level keywords at the top level, not block contents', () => {
    for (const text of ['<|>', conf('global_defs {', '  router_id A', '}', '<|>')]) {
      const top = labels(text);
      expect(top).toEqual(
        expect.arrayContaining(['vrrp_instance', 'global_defs', 'virtual_server', 'include']),
      );
      expect(top).not.toContain('priority');
      expect(top).not.toContain('router_id');
    }
  });

  it('finds the block on an empty line, after {, with { on the next line, and in an unclosed block', () => {
    expect(labels(conf('vrrp_instance X {', '  state BACKUP', '  <|>', '}'))).toContain('priority');
    expect(labels(conf('vrrp_instance X', '{', '<|>', '}'))).toContain('priority');
    expect(labels('vrrp_instance X {<|>\n}\n')).toContain('priority');
    expect(labels('global_defs {\n  router_id A\n  <|>')).toContain('script_user');
    expect(labels(conf('virtual_server 10.0.0.1 80 {', '  real_server 10.0.0.2 80 {', '    <|>'))).toEqual(
      expect.arrayContaining(['TCP_CHECK', 'HTTP_GET', 'weight']),
    );
  });

  it('replaces the whole word under the cursor, also from the start of a line', () => {
    const text = conf('vrrp_instance X {', '  pri<|>oritx 100', '}');
    expect(edit(item(text, 'priority')).range).toEqual({
      start: { line: 1, character: 2 },
      end: { line: 1, character: 10 },
    });
    const start = conf('vrrp_instance X {', '<|>state MASTER', '}');
    expect(edit(item(start, 'priority')).range).toEqual({
      start: { line: 1, character: 0 },
      end: { line: 1, character: 5 },
    });
  });

  it('inserts snippets with argument placeholders and blocks', () => {
    const top = complete('<|>');
    const snippet = (label: string, list = top) => edit(list.find((i) => i.label === label)).newText;
    expect(snippet('vrrp_script')).toBe('vrrp_script ${1:name} {\n\t$0\n}');
    expect(snippet('global_defs')).toBe('global_defs {\n\t$0\n}');
    expect(top.find((i) => i.label === 'vrrp_script')!.insertTextFormat).toBe(InsertTextFormat.Snippet);
    const inst = complete('vrrp_instance X {\n<|>\n}\n');
    expect(snippet('priority', inst)).toBe('priority ${1:100}');
    expect(snippet('state', inst)).toBe('state ${1|MASTER,BACKUP|}');
    expect(snippet('virtual_ipaddress', inst)).toBe('virtual_ipaddress {\n\t$0\n}');
    expect(snippet('nopreempt', inst)).toBe('nopreempt');
  });

  it('documents each keyword from the schema', () => {
    const priority = item('vrrp_instance X {\n<|>\n}\n', 'priority')!;
    expect(priority.detail).toBe('priority <1-255>');
    const doc = priority.documentation as { kind: string; value: string };
    expect(doc.kind).toBe('markdown');
    expect(doc.value).toContain('Base priority');
    expect(doc.value).toContain('**Default:** 100');
    expect(doc.value).toContain('```keepalived\npriority 150\n```');
  });

  it('documents a keyword with the same text as its hover', () => {
    const text = 'vrrp_instance X {\n  advert_int 1\n  nopreempt\n}\n';
    const file = analyzeText(PATH, text);
    for (const keyword of ['advert_int', 'nopreempt']) {
      const shown = hover(file, file.lines.positionAt(text.indexOf(keyword) + 1), {
        host: UNKNOWN_HOST,
        fs: new MemoryFileSystem(),
        thisHost: false,
      });
      const hoverText = (shown!.contents as { value: string }).value;
      const doc = item('vrrp_instance X {\n<|>\n}\n', keyword)!.documentation as { value: string };
      expect(doc.value.length).toBeGreaterThan(40);
      expect(hoverText).toBe(doc.value);
    }
  });

  it('hides keywords newer than the target keepalived version', () => {
    const text = 'vrrp_instance X {\n<|>\n}\n';
    expect(labels(text)).toContain('auth_hmac');
    expect(labels(text, '2.4')).toContain('auth_hmac');
    expect(labels(text, '2.2')).not.toContain('auth_hmac');
    expect(labels(text, '2.2.7')).toContain('priority');
  });

  it('offers deprecated keywords only once typed, tagged as deprecated', () => {
    expect(labels('virtual_server 10.0.0.1 80 {\n<|>\n}\n')).not.toContain('lb_algo');
    const old = item('virtual_server 10.0.0.1 80 {\n  lb_<|>\n}\n', 'lb_algo')!;
    expect(old.tags).toEqual([CompletionItemTag.Deprecated]);
    expect(labels('virtual_server 10.0.0.1 80 {\n  lb_<|>\n}\n')).toContain('lvs_sched');
  });

  it('offers nothing in a comment', () => {
    expect(complete('vrrp_instance X {\n  # pri<|>\n}\n')).toEqual([]);
  });

  // Every keyword offered, inserted where it was offered, must be one keepalived accepts there.
  const contexts: Record<string, string> = {
    top: '<|>\n',
    global_defs: conf('global_defs {', '<|>', '}'),
    vrrp_instance: conf('vrrp_instance VI {', '<|>', '}'),
    virtual_server: conf('virtual_server 10.0.0.1 80 {', '<|>', '}'),
    real_server: conf('virtual_server 10.0.0.1 80 {', '  real_server 10.0.0.2 80 {', '<|>', '  }', '}'),
    HTTP_GET: conf(
      'virtual_server 10.0.0.1 80 {',
      '  real_server 10.0.0.2 80 {',
      '    HTTP_GET {',
      '<|>',
      '    }',
      '  }',
      '}',
    ),
  };
  for (const [name, text] of Object.entries(contexts)) {
    it(`offers only keywords that are valid in ${name}`, () => {
      const version = '2.2.7';
      const items = complete(text, version);
      expect(items.length).toBeGreaterThan(0);
      const lines = items.map((i) => plain(edit(i).newText));
      const file = analyzeText(PATH, text.replace('<|>', lines.join('\n')));
      const wrong = lintFile(file, { keepalivedVersion: version }).filter((d) =>
        ['unknown-keyword', 'wrong-block', 'unsupported-keyword'].includes(d.rule),
      );
      expect(wrong.map((d) => d.message)).toEqual([]);
    });
  }
});

/** The text a snippet inserts when every placeholder is accepted as is. */
function plain(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

describe('argument completion', () => {
  it('offers exactly the choices of an enum', () => {
    expect(labels('vrrp_instance X {\n  state <|>\n}\n')).toEqual(['MASTER', 'BACKUP']);
    expect(labels('vrrp_instance X {\n  state BA<|>\n}\n')).toEqual(['MASTER', 'BACKUP']);
    expect(labels('virtual_server 10.0.0.1 80 {\n  protocol <|>\n}\n')).toEqual(['TCP', 'UDP', 'SCTP']);
    expect(labels('virtual_server 10.0.0.1 80 {\n  lvs_sched <|>\n}\n')).toEqual(
      expect.arrayContaining(['rr', 'wrr', 'wlc', 'sh', 'mh']),
    );
  });

  it('replaces the whole value word', () => {
    const mst = item('vrrp_instance X {\n  state BA<|>CKP\n}\n', 'BACKUP');
    expect(edit(mst)).toEqual({
      range: { start: { line: 1, character: 8 }, end: { line: 1, character: 13 } },
      newText: 'BACKUP',
    });
  });

  it('offers booleans and trailing words', () => {
    expect(labels('global_defs {\n  smtp_alert <|>\n}\n')).toEqual([
      'true',
      'false',
      'on',
      'off',
      'yes',
      'no',
    ]);
    expect(labels('vrrp_script s {\n  weight -20 <|>\n}\n')).toEqual(['reverse']);
  });

  it('offers the forwarding method grammar of lvs_method', () => {
    const vs = (line: string) => labels(`virtual_server 10.0.0.1 80 {\n  ${line}\n}\n`);
    expect(vs('lvs_method <|>')).toEqual(['NAT', 'DR', 'TUN']);
    expect(vs('lvs_method TUN <|>')).toEqual(['type', 'nocsum', 'csum', 'remcsum']);
    expect(vs('lvs_method TUN type <|>')).toEqual(['ipip', 'gue', 'gre']);
    expect(vs('lvs_method TUN type gue <|>')).toContain('port');
    expect(vs('lvs_method NAT <|>')).toEqual([]);
  });

  it('offers defined names in track blocks, with the defining file as detail', () => {
    const items = complete(DEFINITIONS + 'vrrp_instance X {\n  track_script {\n    <|>\n  }\n}\n');
    expect(items.map((i) => i.label)).toEqual(['chk_nginx', 'chk_disk']);
    expect(items[0]!.detail).toBe('vrrp_script (keepalived.conf)');
    expect(labels(DEFINITIONS + 'vrrp_instance X {\n  track_script { chk_nginx <|> }\n}\n')).toEqual([
      'weight',
    ]);
    expect(
      labels(DEFINITIONS + 'vrrp_instance X {\n  track_script { chk_nginx weight 10 <|> }\n}\n'),
    ).toEqual(['reverse', 'noreverse']);
    expect(labels(DEFINITIONS + 'vrrp_instance X {\n  track_file {\n    <|>\n  }\n}\n')).toEqual([
      'tf_maint',
    ]);
    expect(labels(DEFINITIONS + 'vrrp_instance X {\n  track_bfd {\n    <|>\n  }\n}\n')).toEqual(['bfd_a']);
  });

  it('offers instance names in sync group and track group members', () => {
    expect(labels(DEFINITIONS + 'vrrp_sync_group G {\n  group {\n    <|>\n  }\n}\n')).toEqual([
      'VI_1',
      'VI_2',
    ]);
    expect(labels(DEFINITIONS + 'vrrp_sync_group G { group { VI_1 <|> } }\n')).toEqual(['VI_1', 'VI_2']);
    expect(labels(DEFINITIONS + 'track_group T {\n  group {\n    <|>\n  }\n}\n')).toEqual(['VI_1', 'VI_2']);
  });

  it('offers virtual_server_group, track_file and bfd_instance names where they are referenced', () => {
    expect(labels(DEFINITIONS + 'virtual_server <|>')).toEqual(['fwmark', 'group']);
    expect(labels(DEFINITIONS + 'virtual_server group <|> {\n}\n')).toEqual(['web_vips']);
    const rs = (check: string) =>
      labels(
        DEFINITIONS + `virtual_server 10.0.0.1 80 {\n  real_server 10.0.0.2 80 {\n    ${check}\n  }\n}\n`,
      );
    expect(rs('FILE_CHECK {\n      track_file <|>\n    }')).toEqual(['tf_maint']);
    expect(rs('BFD_CHECK {\n      name <|>\n    }')).toEqual(['bfd_a']);
  });

  it('offers system users for script users', () => {
    const users = ['root', 'keepalived_script', 'www-data'];
    expect(labels('global_defs {\n  script_user <|>\n}\n')).toEqual(users);
    expect(labels('vrrp_script s {\n  user <|>\n}\n')).toEqual(users);
    expect(labels('vrrp_instance X {\n  notify_master "/etc/keepalived/notify.sh MASTER" <|>\n}\n')).toEqual(
      users,
    );
  });

  it('offers interfaces for interface, track_interface and dev', () => {
    const ifs = ['eth0', 'eth1', 'bond0'];
    expect(labels('vrrp_instance X {\n  interface <|>\n}\n')).toEqual(ifs);
    expect(labels('vrrp_instance X {\n  track_interface {\n    <|>\n  }\n}\n')).toEqual(ifs);
    expect(labels('vrrp_instance X {\n  virtual_ipaddress {\n    10.0.0.1/24 dev <|>\n  }\n}\n')).toEqual(
      ifs,
    );
    expect(labels('linkbeat_interfaces {\n  <|>\n}\n')).toEqual(ifs);
    expect(labels('linkbeat_interfaces {\n  eth0 <|>\n}\n')).toEqual(['MII', 'ETHTOOL', 'IOCTL']);
  });

  it('offers keywords again when retyping an include word, nothing inside a definition', () => {
    expect(labels('incl<|>ude x.conf\n')).toContain('include');
    expect(complete('$X=<|>1\n')).toEqual([]);
  });

  it('offers address options, scopes, and nothing for the address itself', () => {
    const vip = (line: string) => labels(`vrrp_instance X {\n  virtual_ipaddress {\n    ${line}\n  }\n}\n`);
    expect(vip('<|>')).toEqual([]);
    const options = vip('10.0.0.1/24 dev eth0 <|>');
    expect(options).toEqual(expect.arrayContaining(['scope', 'label', 'no_track', 'brd']));
    expect(options).not.toContain('dev');
    expect(vip('10.0.0.1/24 scope <|>')).toEqual(['site', 'link', 'host', 'nowhere', 'global']);
    expect(labels('vrrp_instance X {\n  unicast_peer {\n    10.0.0.2 <|>\n  }\n}\n')).toEqual([
      'min_ttl',
      'max_ttl',
    ]);
  });

  it('offers defined parameters after $', () => {
    const text = conf('$IFACE=eth0', '$PRIO=150', 'vrrp_instance X {', '  priority $P<|>', '}');
    const items = complete(text);
    expect(items.map((i) => i.label)).toEqual(['$IFACE', '$PRIO']);
    expect(items[1]!.detail).toBe('150');
    expect(edit(items[1]).range).toEqual({
      start: { line: 3, character: 11 },
      end: { line: 3, character: 13 },
    });
    expect(labels(conf('$IFACE=eth0', 'vrrp_instance X {', '  interface ${<|>', '}'))).toEqual(['${IFACE}']);
  });

  it('offers directory entries for include paths, relative to the file', () => {
    expect(labels('include <|>')).toEqual(['conf.d/', 'notify.sh']);
    const nested = complete('include conf.d/v<|>');
    expect(nested.map((i) => i.label)).toEqual(['vip.conf']);
    expect(edit(nested[0]).newText).toBe('conf.d/vip.conf');
    expect(edit(nested[0]).range).toEqual({
      start: { line: 0, character: 8 },
      end: { line: 0, character: 16 },
    });
  });

  it('offers paths for scripts once a path is being typed, keeping the quote', () => {
    const items = complete('vrrp_script s {\n  script "/usr/local/bin/<|>"\n}\n');
    expect(items.map((i) => i.label)).toEqual(['check.sh']);
    expect(edit(items[0])).toEqual({
      range: { start: { line: 1, character: 10 }, end: { line: 1, character: 25 } },
      newText: '/usr/local/bin/check.sh',
    });
    expect(labels('vrrp_instance X {\n  notify ./<|>\n}\n')).toEqual(['conf.d/', 'notify.sh']);
    expect(labels('vrrp_script s {\n  script chk<|>\n}\n')).toEqual([]);
  });
});
