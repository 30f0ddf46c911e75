// Every snippet, expanded as if the user accepted each default, must be a config the linter accepts without
// errors once placed where it belongs, and every script it configures must name the user it runs as.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { KEYWORDS } from '../../../server/src/schema';

const root = join(__dirname, '..', '..', '..');

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}
const snippets: Record<string, Snippet> = JSON.parse(
  readFileSync(join(root, 'snippets/keepalived.json'), 'utf8'),
);

// ---------------------------------------------------------------------------------------------------
// Snippet expansion (VS Code's snippet syntax: $1, ${1}, ${1:default}, ${1|a,b|}, variables, \ escapes).

type SnippetNode =
  { text: string } | { tabstop: number; inner?: SnippetNode[] } | { variable: string; inner?: SnippetNode[] };

function parseSnippet(body: string): SnippetNode[] {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i} of snippet body ${JSON.stringify(body)}`);
  };

  /** Reads nodes up to the end of the body, or up to the `}` that closes a placeholder when `nested`. */
  const readNodes = (nested: boolean): SnippetNode[] => {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text) nodes.push({ text });
      text = '';
    };
    while (i < body.length) {
      const c = body[i]!;
      if (c === '\\' && '$}\\'.includes(body[i + 1] ?? '')) {
        text += body[i + 1];
        i += 2;
      } else if (c === '}' && nested) {
        i++;
        flush();
        return nodes;
      } else if (c === '$') {
        flush();
        nodes.push(readDollar());
      } else {
        text += c;
        i++;
      }
    }
    if (nested) fail("missing '}'");
    flush();
    return nodes;
  };

  /** `$1`, `$NAME`, `${1}`, `${1:...}`, `${1|a,b|}`, `${NAME:...}`. Transforms are not used here: reject them. */
  const readDollar = (): SnippetNode => {
    const rest = body.slice(i);
    const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (simple) {
      i += simple[0].length;
      return node(simple[1]!);
    }
    const braced = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)([}:|])/.exec(rest);
    if (!braced) return fail("unsupported '$' syntax");
    i += braced[0].length;
    const [, id, separator] = braced;
    if (separator === '}') return node(id!);
    if (separator === ':') return node(id!, readNodes(true));
    // A choice: the default is the first option. `\,` and `\|` escape inside options.
    const options: string[] = [''];
    const addToLast = (text: string): void => {
      options[options.length - 1] = options[options.length - 1]! + text;
    };
    while (!body.startsWith('|}', i)) {
      if (i >= body.length) fail("missing '|}'");
      const c = body[i]!;
      if (c === '\\' && ',|\\'.includes(body[i + 1] ?? '')) {
        addToLast(body[i + 1]!);
        i += 2;
      } else {
        if (c === ',') options.push('');
        else addToLast(c);
        i++;
      }
    }
    i += 2;
    return node(id!, [{ text: options[0]! }]);
  };

  const node = (id: string, inner?: SnippetNode[]): SnippetNode =>
    /^\d+$/.test(id) ? { tabstop: Number(id), inner } : { variable: id, inner };

  return readNodes(false);
}

/** The text VS Code inserts when every placeholder keeps its default. */
function expandSnippet(body: string): string {
  const nodes = parseSnippet(body);
  // A bare `$2` mirrors the placeholder `${2:...}` wherever that is; so collect the defaults first.
  const defaults = new Map<number, SnippetNode[]>();
  const collect = (list: SnippetNode[]): void => {
    for (const n of list) {
      if ('tabstop' in n && n.inner) {
        if (!defaults.has(n.tabstop)) defaults.set(n.tabstop, n.inner);
        collect(n.inner);
      } else if ('variable' in n && n.inner) collect(n.inner);
    }
  };
  collect(nodes);
  const render = (list: SnippetNode[]): string =>
    list
      .map((n) => {
        if ('text' in n) return n.text;
        if ('tabstop' in n) return render(n.inner ?? defaults.get(n.tabstop) ?? []);
        return render(n.inner ?? []); // variables (none used today) fall back to their default, or nothing
      })
      .join('');
  return render(nodes);
}

const bodyText = (s: Snippet): string => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

// ---------------------------------------------------------------------------------------------------
// Where each snippet goes. Block-level snippets are wrapped in a minimal valid config; everything a
// snippet refers to (chk_nginx, VI_1, VI_2) is defined around it, so reference checks pass too. Every
// wrapper starts from secure global settings, as a real config using these snippets would.

const SECURE_GLOBALS = [
  'global_defs {',
  '\tscript_user keepalived_script',
  '\tenable_script_security',
  '}',
].join('\n');

const CHECK_SCRIPT = [
  'vrrp_script chk_nginx {',
  '\tscript "/usr/bin/pgrep -x nginx"',
  '\tuser keepalived_script',
  '}',
].join('\n');

const instance = (name: string, router: number, inside = ''): string =>
  [
    `vrrp_instance ${name} {`,
    '\tstate BACKUP',
    '\tinterface eth0',
    `\tvirtual_router_id ${router}`,
    '\tpriority 100',
    '\tvirtual_ipaddress {',
    `\t\t192.0.2.${router}/24`,
    '\t}',
    inside,
    '}',
  ].join('\n');

const virtualServer = (inside: string): string =>
  [
    'virtual_server 192.0.2.100 80 {',
    '\tlvs_sched rr',
    '\tlvs_method NAT',
    '\tprotocol TCP',
    inside,
    '}',
  ].join('\n');

const realServer = (inside: string): string =>
  virtualServer(['real_server 198.51.100.11 80 {', inside, '}'].join('\n'));

const config = (...parts: string[]): string => parts.join('\n\n') + '\n';

const PLACES: Record<string, (snippet: string) => string> = {
  'global_defs (secure scripts)': (s) => config(s),
  'vrrp_instance (MASTER)': (s) => config(SECURE_GLOBALS, CHECK_SCRIPT, s),
  'vrrp_instance (BACKUP)': (s) => config(SECURE_GLOBALS, CHECK_SCRIPT, s),
  vrrp_script: (s) => config(SECURE_GLOBALS, s),
  track_script: (s) => config(SECURE_GLOBALS, CHECK_SCRIPT, instance('VI_1', 51, s)),
  vrrp_sync_group: (s) => config(SECURE_GLOBALS, instance('VI_1', 51), instance('VI_2', 52), s),
  virtual_server: (s) => config(SECURE_GLOBALS, s),
  real_server: (s) => config(SECURE_GLOBALS, virtualServer(s)),
  HTTP_GET: (s) => config(SECURE_GLOBALS, realServer(s)),
  SSL_GET: (s) => config(SECURE_GLOBALS, realServer(s)),
  TCP_CHECK: (s) => config(SECURE_GLOBALS, realServer(s)),
  MISC_CHECK: (s) => config(SECURE_GLOBALS, realServer(s)),
  DNS_CHECK: (s) => config(SECURE_GLOBALS, realServer(s)),
  track_file: (s) => config(SECURE_GLOBALS, s),
  vrrp_track_process: (s) => config(SECURE_GLOBALS, s),
  bfd_instance: (s) => config(SECURE_GLOBALS, s),
  notify: (s) => config(SECURE_GLOBALS, instance('VI_1', 51, s)),
  notify_master: (s) => config(SECURE_GLOBALS, instance('VI_1', 51, s)),
  notify_backup: (s) => config(SECURE_GLOBALS, instance('VI_1', 51, s)),
  notify_fault: (s) => config(SECURE_GLOBALS, instance('VI_1', 51, s)),
  notify_stop: (s) => config(SECURE_GLOBALS, instance('VI_1', 51, s)),
  notify_up: (s) => config(SECURE_GLOBALS, realServer(s)),
  notify_down: (s) => config(SECURE_GLOBALS, realServer(s)),
};

/** Keywords whose value is a command keepalived executes (notify*, script, misc_path, quorum_up, ...). */
const SCRIPT_KEYWORDS = new Set(KEYWORDS.filter((k) => k.script).map((k) => k.name));

// ---------------------------------------------------------------------------------------------------

describe('snippet expansion', () => {
  it('resolves placeholders, choices, mirrors, tab stops and escapes', () => {
    expect(expandSnippet('a ${1:VI_1} b')).toBe('a VI_1 b');
    expect(expandSnippet('${1|rr,wrr|}')).toBe('rr');
    expect(expandSnippet('x$1 y${0}z')).toBe('x yz');
    expect(expandSnippet('${1:eth0} dev $1')).toBe('eth0 dev eth0');
    expect(expandSnippet('${1:outer ${2:inner}} $2')).toBe('outer inner inner');
    expect(expandSnippet('\\$HOME \\} ${1:a\\}b}')).toBe('$HOME } a}b');
    expect(expandSnippet('${1|a\\,b,c|}')).toBe('a,b');
  });
});

describe('snippets/keepalived.json', () => {
  const names = Object.keys(snippets);

  it('has the snippets users look for', () => {
    const prefixes = names.flatMap((n) => snippets[n]!.prefix);
    const wanted = [
      'global_defs',
      'vrrp_instance_master',
      'vrrp_instance_backup',
      'vrrp_script',
      'track_script',
    ];
    wanted.push('vrrp_sync_group', 'virtual_server', 'real_server', 'HTTP_GET', 'SSL_GET', 'TCP_CHECK');
    wanted.push(
      'MISC_CHECK',
      'DNS_CHECK',
      'track_file',
      'vrrp_track_process',
      'bfd_instance',
      'notify_master',
    );
    for (const prefix of wanted) expect(prefixes).toContain(prefix);
  });

  it('configures scripts in the snippets one expects (so the user check below has work to do)', () => {
    const withScripts = names.filter((n) =>
      expandSnippet(bodyText(snippets[n]!))
        .split('\n')
        .some((l) => SCRIPT_KEYWORDS.has(l.trim().split(/\s+/)[0]!)),
    );
    expect(withScripts).toEqual(
      expect.arrayContaining(['vrrp_script', 'MISC_CHECK', 'notify_master', 'notify']),
    );
  });

  it.each(names)('%s has a prefix, a description and a place to be tested in', (name) => {
    const s = snippets[name]!;
    expect(s.prefix.length).toBeGreaterThan(0);
    expect(s.description.length).toBeGreaterThan(0);
    expect(PLACES[name], `add '${name}' to PLACES in this test`).toBeDefined();
  });

  it.each(names)('%s expands to a config without errors', (name) => {
    const expanded = expandSnippet(bodyText(snippets[name]!));
    const text = PLACES[name]!(expanded);
    const errors = lintFile(analyzeText(`${name}.conf`, text)).filter((d) => d.severity === 'error');
    const shown = errors.map((e) => `${e.range.start.line + 1}: ${e.rule}: ${e.message}`);
    expect(shown, text).toEqual([]);
  });

  it.each(names)('%s names a user for every script it configures', (name) => {
    const lines = expandSnippet(bodyText(snippets[name]!))
      .split('\n')
      .map((l) => l.trim());
    for (const line of lines) {
      const keyword = line.split(/\s+/)[0]!;
      if (!SCRIPT_KEYWORDS.has(keyword)) continue;
      if (keyword === 'script' || keyword === 'misc_path') {
        // vrrp_script and MISC_CHECK take the user on a line of its own in the same block.
        expect(
          lines.some((l) => /^user\s+\S+/.test(l)),
          `${name}: '${line}' needs a 'user' line`,
        ).toBe(true);
      } else {
        // notify-style keywords take it after the quoted command: notify_master "/path args" USER [GROUP]
        expect(line, `${name}: '${line}' needs a user after the command`).toMatch(/^\S+\s+"[^"]+"\s+\S+/);
      }
    }
  });
});
