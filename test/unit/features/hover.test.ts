import { describe, expect, it } from 'vitest';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { analyzeText, type AnalyzedFile } from '../../../server/src/analysis/document';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { fixedHost, UNKNOWN_HOST, type HostInfo } from '../../../server/src/analysis/host';
import { Workspace } from '../../../server/src/analysis/workspace';
import { hover } from '../../../server/src/features/hover';

const rootOnly = fixedHost({ root: 0 });
const PATH = '/etc/keepalived/keepalived.conf';

interface Result {
  hover: Hover | null;
  /** The markdown, '' when there is no hover. */
  value: string;
  /** The text the hover range covers. */
  covers?: string;
}

/** Splits a `<|>` cursor marker out of a text. */
function marked(text: string): { text: string; offset: number } {
  const offset = text.indexOf('<|>');
  if (offset < 0) throw new Error('no <|> marker');
  return { text: text.replace('<|>', ''), offset };
}

function hoverIn(file: AnalyzedFile, offset: number, host: HostInfo): Result {
  const result = hover(file, file.lines.positionAt(offset), {
    host,
    fs: new MemoryFileSystem(),
    thisHost: false,
  });
  const value = result ? (result.contents as MarkupContent).value : '';
  const covers = result?.range
    ? file.text.slice(file.lines.offsetAt(result.range.start), file.lines.offsetAt(result.range.end))
    : undefined;
  if (result) expect((result.contents as MarkupContent).kind).toBe('markdown');
  return { hover: result, value, covers };
}

/** Hover at the `<|>` marker of a config analysed on its own. */
function hoverAt(config: string, host: HostInfo = rootOnly): Result {
  const { text, offset } = marked(config);
  return hoverIn(analyzeText(PATH, text), offset, host);
}

/** Hover at the `<|>` marker of `path`, read within a workspace of in-memory files. */
function hoverInWorkspace(files: Record<string, string>, path: string, host: HostInfo = rootOnly): Result {
  const { offset } = marked(files[path]!);
  const unmarked = Object.entries(files).map(([p, t]) => [p, t.replace('<|>', '')]);
  const fs = new MemoryFileSystem(Object.fromEntries(unmarked));
  return hoverIn(new Workspace(fs, { folders: ['/etc/keepalived'] }).analysis(path)!, offset, host);
}

const script = (extra = '') =>
  [
    'vrrp_script chk_nginx {',
    '  script "/usr/bin/pidof nginx"',
    '  interval 2',
    '  weight -20',
    '  fall 3',
    extra,
    '}',
    'vrrp_instance VI_1 {',
    '  state MASTER',
    '  interface eth0',
    '  virtual_router_id 51',
    '  priority 150',
    '  virtual_ipaddress {',
    '    10.0.0.1/24 dev eth0',
    '  }',
    '  track_script {',
    '    chk_<|>nginx weight 2',
    '  }',
    '}',
    '',
  ].join('\n');

describe('hover on keywords', () => {
  it('shows the summary, syntax, default, range, example and block', () => {
    const h = hoverAt('vrrp_instance VI_1 {\n  pri<|>ority 100\n}\n');
    expect(h.covers).toBe('priority');
    expect(h.value).toContain('**priority** · in `vrrp_instance`');
    expect(h.value).toContain('**Syntax:** `priority <1-255>`');
    expect(h.value).toContain('**Values:** 1 to 255');
    expect(h.value).toContain('**Default:** 100');
    expect(h.value).toContain('```keepalived\npriority 150\n```');
    expect(h.value).not.toContain('Since keepalived');
    expect(h.value).not.toContain('Deprecated');
  });

  it('shows the keyword doc on its arguments too', () => {
    const h = hoverAt('vrrp_instance VI_1 {\n  priority 1<|>00\n}\n');
    expect(h.covers).toBe('100');
    expect(h.value).toContain('**Syntax:** `priority <1-255>`');
  });

  it('marks deprecated keywords and recent ones', () => {
    const h = hoverAt('vrrp_instance VI_1 {\n  <|>thread_timer_expired\n}\n');
    expect(h.value).toContain('**Deprecated:** use `timer_expired_backup`.');
    expect(h.value).toContain('Since keepalived 2.3.2.');
    const legacy = hoverAt('virtual_server 10.0.0.1 80 {\n  lb_<|>kind NAT\n}\n');
    expect(legacy.value).toContain('Legacy spelling');
    expect(legacy.value).toContain('`lvs_method`');
  });

  it('says where a keyword belongs when it is in the wrong block', () => {
    const h = hoverAt('vrrp_instance VI_1 {\n  router_<|>id foo\n}\n');
    expect(h.value).toContain("`router_id` is not a keyword in 'vrrp_instance'");
    expect(h.value).toContain("'global_defs'");
    expect(hoverAt('vrrp_instance VI_1 {\n  bogus_<|>word 1\n}\n').value).toContain(
      '`bogus_word` is not a keepalived keyword',
    );
  });

  it("shows the owner keyword's doc on the words of a value line", () => {
    const h = hoverAt('vrrp_instance VI_1 {\n  virtual_ipaddress {\n    10.0.0.1/24 d<|>ev eth0\n  }\n}\n');
    expect(h.covers).toBe('dev');
    expect(h.value).toContain('A line of `virtual_ipaddress { ... }`');
    expect(h.value).toContain('**virtual_ipaddress** · in `vrrp_instance`');
  });
});

describe('hover on scripts', () => {
  it('shows the command, settings, tracks and why a tracked script runs as root', () => {
    const h = hoverAt(script());
    expect(h.covers).toBe('chk_nginx');
    expect(h.value).toContain('**vrrp_script** `chk_nginx` · defined at keepalived.conf:1');
    expect(h.value).toContain('Command: `/usr/bin/pidof nginx`');
    expect(h.value).toContain('- interval: `2`');
    expect(h.value).toContain('- weight: `-20`');
    expect(h.value).toContain('- fall: `3`');
    expect(h.value).not.toContain('- rise');
    expect(h.value).toContain(
      "Runs as **root**: the script names no user, global_defs sets no script_user, there is no 'keepalived_script' account",
    );
    expect(h.value).toContain('Tracked in 1 place: `VI_1` (weight +2).');
  });

  it('shows the user the script names', () => {
    const h = hoverAt(script('  user nagios'), fixedHost({ root: 0, nagios: 1000 }));
    expect(h.value).toContain("Runs as **nagios**: the script names user 'nagios'");
    expect(h.value).not.toContain('Runs as **root**');
  });

  it('follows script_user and the keepalived_script account', () => {
    const withAccount = hoverAt(script(), fixedHost({ root: 0, keepalived_script: 990 }));
    expect(withAccount.value).toContain('Runs as **keepalived_script**');
    const global = 'global_defs {\n  script_user daemon\n}\n' + script();
    expect(hoverAt(global, fixedHost({ daemon: 1 })).value).toContain(
      'Runs as **daemon**: the script names no user, global_defs sets script_user daemon',
    );
    // An account the nodes lack: keepalived removes the script rather than run it as root.
    expect(hoverAt(global).value).toContain("keepalived **removes** it: there is no account 'daemon'");
  });

  it('shows the same summary on the definition, which is not tracked anywhere when unused', () => {
    const h = hoverAt('vrrp_script "chk_<|>x" {\n  script "/bin/true"\n}\n');
    expect(h.covers).toBe('chk_x');
    expect(h.value).toContain('Command: `/bin/true`');
    expect(h.value).toContain('- interval: 1 (default)');
    expect(h.value).toContain('Not tracked anywhere.');
  });

  it('shows who runs a notify command, on the command word and on the keyword', () => {
    const config = 'vrrp_instance VI_1 {\n  notify_master "/etc/<|>keepalived/master.sh up"\n}\n';
    const h = hoverAt(config);
    expect(h.covers).toBe('"/etc/keepalived/master.sh up"');
    expect(h.value).toContain('**notify_master** runs `/etc/keepalived/master.sh up`');
    expect(h.value).toContain('Program: `/etc/keepalived/master.sh`');
    expect(h.value).toContain('Runs as **root**');
    const onKeyword = hoverAt(
      'vrrp_instance VI_1 {\n  notify_<|>master /x.sh nobody\n}\n',
      fixedHost({ nobody: 65534 }),
    );
    expect(onKeyword.value).toContain('**Syntax:** `notify_master');
    expect(onKeyword.value).toContain("Runs as **nobody**: the script names user 'nobody'");
  });

  it('says when keepalived removes a script: security on and no keepalived_script account', () => {
    const config =
      'global_defs {\n  enable_script_security\n}\nvrrp_instance VI_1 {\n  notify_master <|>/x.sh\n}\n';
    expect(hoverAt(config).value).toContain('keepalived **removes** it: enable_script_security is set');
  });

  it('shows the fate the rules report: a bare name run unprivileged is disabled at start-up', () => {
    const h = hoverAt(
      script('  user nagios').replace('/usr/bin/pidof nginx', 'pidof nginx'),
      fixedHost({ nagios: 1000 }),
    );
    expect(h.value).toContain('keepalived **disables** it at start-up');
    expect(h.value).toContain('Permissions failure for script');
  });

  it('says what depends on the nodes when nothing is known about them', () => {
    const h = hoverAt(script(), UNKNOWN_HOST);
    expect(h.value).toContain(
      'Runs as **keepalived_script** on nodes that have that account, else **as root**',
    );
  });

  it('shows the words keepalived drops from an unquoted command', () => {
    const h = hoverAt('vrrp_script chk {\n  script /usr/local/bin/c<|>hk --fast\n}\n');
    expect(h.value).toContain('keepalived ignores `--fast`');
  });
});

describe('hover on other names', () => {
  it('summarises a vrrp_instance where a sync group names it', () => {
    const config = script().replace('<|>', '') + 'vrrp_sync_group G {\n  group {\n    VI_<|>1\n  }\n}\n';
    const h = hoverAt(config);
    expect(h.covers).toBe('VI_1');
    expect(h.value).toContain('**vrrp_instance** `VI_1` · defined at keepalived.conf:8');
    expect(h.value).toContain('- state: `MASTER`');
    expect(h.value).toContain('- interface: `eth0`');
    expect(h.value).toContain('- virtual_router_id: `51`');
    expect(h.value).toContain('- priority: `150`');
    expect(h.value).toContain('- virtual_ipaddress: `10.0.0.1`');
    expect(h.value).toContain('- track_script: `chk_nginx` (weight +2)');
    expect(h.value).toContain('Referenced in 1 place.');
  });

  it('gives the default priority when none is set', () => {
    const h = hoverAt('vrrp_instance <|>VI_1 {\n  state MASTER\n}\n');
    expect(h.value).toContain('- priority: not set (255, as state is MASTER)');
  });

  it('shows the defining line and references of other kinds', () => {
    const config = [
      'track_file tf {',
      '  file /run/weight',
      '}',
      'vrrp_instance VI_1 {',
      '  track_file {',
      '    t<|>f weight 1',
      '  }',
      '}',
      '',
    ].join('\n');
    const h = hoverAt(config);
    expect(h.covers).toBe('tf');
    expect(h.value).toContain('**track_file** `tf` · defined at keepalived.conf:1');
    expect(h.value).toContain('```keepalived\ntrack_file tf {\n```');
    expect(h.value).toContain('Referenced in 1 place.');
  });

  it('says when a name is not defined', () => {
    const h = hoverAt('vrrp_instance VI_1 {\n  track_script {\n    no<|>pe\n  }\n}\n');
    expect(h.value).toContain('**vrrp_script** `nope` is not defined in this configuration.');
  });
});

describe('hover on parameters', () => {
  const params = '$NET=10.0.0\n$VIP=${NET}.10\n';

  it('shows the raw and expanded value of a nested parameter and where it is defined', () => {
    const vips = 'vrrp_instance VI_1 {\n  virtual_ipaddress {\n    ${V<|>IP}/24\n  }\n}\n';
    const h = hoverAt(params + vips);
    expect(h.covers).toBe('${VIP}');
    expect(h.value).toContain('**$VIP** · parameter defined at keepalived.conf:2');
    expect(h.value).toContain('```keepalived\n${NET}.10\n```');
    expect(h.value).toContain('Expands to: `10.0.0.10`');
    expect(h.value).toContain('This word reads as `10.0.0.10/24`');
    const bare = hoverAt(params + vips.replace('${V<|>IP}/24', '$<|>VIP dev eth0'));
    expect(bare.covers).toBe('$VIP');
    expect(bare.value).toContain('Expands to: `10.0.0.10`');
    expect(bare.value).not.toContain('This word reads as');
  });

  it('works on the definition and on uses inside a definition', () => {
    const onName = hoverAt('$NET=10.0.0\n$V<|>IP=${NET}.10\n');
    expect(onName.covers).toBe('$VIP');
    expect(onName.value).toContain('Expands to: `10.0.0.10`');
    const inValue = hoverAt('$NET=10.0.0\n$VIP=${N<|>ET}.10\n');
    expect(inValue.covers).toBe('${NET}');
    expect(inValue.value).toContain('**$NET** · parameter defined at keepalived.conf:1');
  });

  it('explains undefined and host-dependent values', () => {
    const undefinedUse = hoverAt('vrrp_instance VI_1 {\n  interface $NO<|>PE\n}\n');
    expect(undefinedUse.value).toContain('**$NOPE** is not defined.');
    const random = hoverAt('$R=${_RANDOM}\nvrrp_instance VI_1 {\n  priority $<|>R\n}\n');
    expect(random.value).toContain('Value not known here: it uses `$_RANDOM`, a random number');
    const nested = hoverAt('$R=${_RANDOM}\n$S=$R x\nvrrp_instance VI_1 {\n  priority $<|>S\n}\n');
    expect(nested.value).toContain('Value not known here: through `$R`, it uses `$_RANDOM`');
    const builtin = hoverAt('vrrp_instance VI_1 {\n  priority ${_RAN<|>DOM}\n}\n');
    expect(builtin.covers).toBe('${_RANDOM}');
    expect(builtin.value).toContain('set by keepalived');
  });
});

describe('hover on includes', () => {
  const files = {
    [PATH]: 'inc<|>lude conf.d/*.conf\nvrrp_instance VI_1 {\n  interface eth0\n}\n',
    '/etc/keepalived/conf.d/a.conf': 'vrrp_sync_group G {\n  group {\n    VI_<|>1\n  }\n}\n',
    '/etc/keepalived/conf.d/b.conf': '',
    '/etc/keepalived/conf.d/dir.conf/x': '',
  };

  it('lists the matched files, skipped entries and unmatched parts', () => {
    const h = hoverInWorkspace(files, PATH);
    expect(h.covers).toBe('include');
    expect(h.value).toContain('**include** `conf.d/*.conf`');
    expect(h.value).toContain('Reads 2 files:\n\n- `conf.d/a.conf`\n- `conf.d/b.conf`');
    expect(h.value).toContain('- `conf.d/dir.conf`: a directory');
    const braces = hoverInWorkspace({ [PATH]: 'include {x,conf.d/b}.c<|>onf\n', ...rest(files) }, PATH);
    expect(braces.value).toContain('Reads 1 file:\n\n- `conf.d/b.conf`');
    expect(braces.value).toContain('Matched nothing:\n\n- `x.conf`');
  });

  it('resolves names defined in the including file', () => {
    const h = hoverInWorkspace(files, '/etc/keepalived/conf.d/a.conf');
    expect(h.value).toContain('**vrrp_instance** `VI_1` · defined at ../keepalived.conf:2');
  });

  it('says an include is not followed when a file is analysed on its own', () => {
    expect(hoverAt('include conf.d/<|>*.conf\n').value).toContain('Not resolved');
  });
});

describe('hover returns null', () => {
  it('on blanks, blank lines, the end of a word and comments', () => {
    expect(hoverAt('vrrp_instance VI_1 {\n  <|>  priority 100\n}\n').hover).toBeNull();
    expect(hoverAt('vrrp_instance VI_1 {\n  priority<|> 100\n}\n').hover).toBeNull();
    expect(hoverAt('vrrp_instance VI_1 {\n<|>\n  priority 100\n}\n').hover).toBeNull();
    expect(hoverAt('vrrp_instance VI_1 {\n  priority 100 # the <|>priority\n}\n').hover).toBeNull();
    expect(hoverAt('! global_<|>defs\n').hover).toBeNull();
  });
});

function rest(files: Record<string, string>): Record<string, string> {
  const copy = { ...files };
  delete copy[PATH];
  copy['/etc/keepalived/conf.d/a.conf'] = '';
  return copy;
}
