// Template dialects (syntax/templates.ts): the template layer is masked, not misread. Each case lints a
// small template and checks both that template syntax raises nothing and that keepalived's own findings
// still come through.
import { describe, expect, it } from 'vitest';
import { analyzeText, type AnalyzeOptions } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { parseArgs } from '../../../server/src/cli/options';
import { detectDialect, MASK, scanTemplate } from '../../../server/src/syntax/templates';
import { conf } from '../../helpers';

function lintAs(path: string, text: string, options: AnalyzeOptions = {}) {
  // Every fixture here runs scripts without enable_script_security, and names accounts nobody can verify
  // here: both true, but beside the point.
  return lintFile(analyzeText(path, text, options), {}).filter(
    (d) => d.rule !== 'script-security-disabled' && d.rule !== 'script-account-unverified',
  );
}

/** "line:rule" of every finding (1-based lines). */
function rules(path: string, text: string, options: AnalyzeOptions = {}): string[] {
  return lintAs(path, text, options).map((d) => `${d.range.start.line + 1}:${d.rule}`);
}

const errors = (path: string, text: string, options: AnalyzeOptions = {}) =>
  lintAs(path, text, options)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line + 1}:${d.rule}`);

const instance = (...body: string[]) =>
  conf(
    'vrrp_instance VI_1 {',
    '    state BACKUP',
    '    interface eth0',
    '    virtual_router_id 51',
    '    priority 100',
    ...body,
    '    virtual_ipaddress {',
    '        192.0.2.1/24',
    '    }',
    '}',
  );

describe('Jinja2', () => {
  it('an expression in a value position is an unknown value of that kind', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      '    state {{ state }}',
      '    interface {{ iface }}',
      '    virtual_router_id {{ vrid }}',
      '    priority {{ prio | default(100) }}',
      '    unicast_peer {',
      '        {{ peer }}',
      '    }',
      '    virtual_ipaddress {',
      '        {{ vip }}/{{ prefix }} dev {{ iface }}',
      '    }',
      '}',
    );
    expect(rules('keepalived.conf.j2', text)).toEqual([]);
  });

  it('a literal value next to expressions is still checked', () => {
    const text = instance('    advert_int {{ advert }}', '    garp_master_delay 99999999999');
    expect(errors('keepalived.conf.j2', text)).toEqual(['7:invalid-value']);
  });

  it('an expression in a keyword position keeps the line: no unknown keyword', () => {
    const text = conf('global_defs {', '{% for def in defs %}', '    {{ def }}', '{% endfor %}', '}');
    expect(rules('keepalived.conf.j2', text)).toEqual([]);
  });

  it('a name built by an expression is a pattern that references match', () => {
    const text = conf(
      '{% for svc in services %}',
      'vrrp_script chk_{{ svc }} {',
      '    script "/usr/local/bin/check {{ svc }}"',
      '    user keepalived_script',
      '}',
      '{% endfor %}',
      'vrrp_script chk_static {',
      '    script "/usr/local/bin/check static"',
      '    user keepalived_script',
      '}',
      ...instance('    track_script {', '        chk_{{ svc }}', '        {{ extra_check }}', '    }').split(
        '\n',
      ),
    );
    const found = rules('keepalived.conf.j2', text);
    // No undefined-reference for the pattern, no unused-definition for chk_static (the pattern may name it).
    expect(found).toEqual([]);
  });

  it('an expression in a block header keeps the block (the keyword its pattern matches)', () => {
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      '    real_server 192.0.2.10 80 {',
      '        {{ protocol | upper }}_CHECK {',
      '            connect_timeout 3',
      '        }',
      '    }',
      '}',
    );
    expect(errors('keepalived.conf.j2', text)).toEqual([]);
  });

  it('the alternatives of an if each open the block from the same level', () => {
    const text = conf(
      '{% if fwmark %}',
      'virtual_server fwmark {{ fwmark }} {',
      '{% else %}',
      'virtual_server {{ ip }} {{ port }} {',
      '{% endif %}',
      '    delay_loop 5',
      '    lb_algo rr',
      '}',
    );
    expect(errors('keepalived.conf.j2', text)).toEqual([]);
    // Read as plain keepalived, the two headers are two blocks, one never closed.
    expect(errors('keepalived.conf.j2', text, { template: 'none' })).not.toEqual([]);
  });

  it('alternatives are not duplicates; the same name twice outside a branch is', () => {
    const script = (name: string) => [
      `vrrp_script ${name} {`,
      '    script "/usr/local/bin/check"',
      '    user keepalived_script',
      '}',
    ];
    const branches = conf(
      '{% if a %}',
      ...script('chk'),
      '{% elif b %}',
      ...script('chk'),
      '{% else %}',
      ...script('chk'),
      '{% endif %}',
      ...instance('    track_script {', '        chk', '    }').split('\n'),
    );
    expect(rules('keepalived.conf.j2', branches).filter((r) => r.endsWith('duplicate-definition'))).toEqual(
      [],
    );
    const twice = conf(
      ...script('chk'),
      ...script('chk'),
      ...instance('    track_script {', '        chk', '    }').split('\n'),
    );
    expect(rules('keepalived.conf.j2', twice)).toContain('5:duplicate-definition');
  });

  it('instances in alternatives do not clash over their virtual router id or VIP', () => {
    const vrrp = (name: string) => [
      `vrrp_instance ${name} {`,
      '    state BACKUP',
      '    interface eth0',
      '    virtual_router_id 51',
      '    priority 100',
      '    virtual_ipaddress {',
      '        192.0.2.10/24',
      '    }',
      '}',
    ];
    const branches = conf('{% if primary %}', ...vrrp('A'), '{% else %}', ...vrrp('B'), '{% endif %}');
    expect(rules('keepalived.conf.j2', branches)).toEqual([]);
    const both = conf(...vrrp('A'), ...vrrp('B'));
    expect(rules('keepalived.conf.j2', both)).toEqual(['10:duplicate-vrid', '16:duplicate-vip']);
  });

  it('comments and whitespace control render nothing, even with braces inside', () => {
    const text = conf(
      '{#',
      '  copyright { header',
      '-#}',
      '{%- if x -%}',
      'global_defs {',
      '    router_id {{- name -}}',
      '}',
      '{%- endif %}',
    );
    expect(rules('keepalived.conf.j2', text)).toEqual([]);
  });

  it('a macro is a fragment of the block it is called in', () => {
    const text = conf(
      '{% macro check(member) %}',
      'MISC_CHECK {',
      '    misc_path "/usr/local/bin/check {{ member }}"',
      '    user keepalived_script',
      '}',
      '{% endmacro %}',
    );
    expect(errors('macros.j2', text)).toEqual([]);
  });

  it('a keyword misplaced in a template is still reported', () => {
    const text = instance('{% if garp %}', '    garp_interval {{ garp }}', '{% endif %}');
    expect(errors('keepalived.conf.j2', text)).toEqual(['7:wrong-block']);
  });
});

describe('security in templates', () => {
  const rootScript = conf(
    'vrrp_script chk_{{ name }} {',
    '    script "{{ check_script }}"',
    '}',
    ...instance('    track_script {', '        chk_{{ name }}', '    }').split('\n'),
  );

  it('a script with no user is still run as root, on every node the template deploys to', () => {
    const found = lintAs('keepalived.conf.j2', rootScript).filter((d) => d.rule === 'script-runs-as-root');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('every node the template deploys to');
    // The command is an expression: nothing is said about its path.
    expect(rules('keepalived.conf.j2', rootScript).filter((r) => /bare-command|args|shell/.test(r))).toEqual(
      [],
    );
  });

  it('a user that is a template expression is info naming that expression, not a warning', () => {
    const text = conf(
      'vrrp_script chk {',
      '    script "/usr/local/bin/chk"',
      '    user {{ script_user }}',
      '}',
      ...instance('    track_script {', '        chk', '    }').split('\n'),
    );
    const found = lintAs('keepalived.conf.j2', text).filter((d) => d.rule.startsWith('script-'));
    expect(found.map((d) => `${d.rule}:${d.severity}`)).toEqual(['script-user-template:info']);
    expect(found[0]!.message).toContain("'{{ script_user }}'");
  });

  it('script_user as a template expression: info on that line', () => {
    const text = conf(
      'global_defs {',
      '    script_user <%= @script_user %>',
      '}',
      'vrrp_script chk {',
      '    script "/usr/local/bin/chk"',
      '}',
      ...instance('    track_script {', '        chk', '    }').split('\n'),
    );
    const found = lintAs('globaldefs.erb', text).filter((d) => d.rule.startsWith('script-'));
    expect(found.map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity}`)).toEqual([
      '2:script-user-template:info',
    ]);
  });

  it('cleartext authentication is still reported', () => {
    const text = instance(
      '    authentication {',
      '        auth_type PASS',
      '        auth_pass {{ pass }}',
      '    }',
    );
    expect(rules('keepalived.conf.j2', text)).toContain('7:cleartext-auth');
  });
});

describe('ERB', () => {
  it('expressions, if/else/end branches, each loops and comments', () => {
    const text = conf(
      '<%# Managed by Puppet %>',
      '<%- if @fwmark -%>',
      'virtual_server fwmark <%= @fwmark %> {',
      '<%- else -%>',
      'virtual_server <%= @ip %> <%= @port %> {',
      '<%- end -%>',
      '  delay_loop <%= @delay_loop %>',
      '  lvs_sched <%= @lvs_sched %>',
      '  lvs_method <%= @lvs_method %>',
      '  protocol <%= @protocol %>',
      '  <%- @real_servers.each do |rs| -%>',
      '  real_server <%= rs["ip"] %> <%= rs["port"] %> {',
      '    weight <%= rs["weight"] || 1 %>',
      '  }',
      '  <%- end -%>',
      '}',
    );
    expect(rules('lvs_virtual_server.erb', text)).toEqual([]);
  });

  it('a literal `<%%` is not a tag', () => {
    const layer = scanTemplate('a <%% b %>', 'erb');
    expect(layer.tags).toEqual([]);
  });
});

describe('Go templates', () => {
  it('{{ .X }}, {{- if }}/{{ else }}/{{ end }}, range, variables and comments', () => {
    const text = conf(
      '{{ $iface := .iface }}{{/* the interface */}}',
      'vrrp_instance vips {',
      '  state BACKUP',
      '  interface {{ $iface }}',
      '  virtual_router_id {{ .vrid }}',
      '  priority {{ .priority }}',
      '  {{- if .useUnicast }}',
      '  unicast_peer { {{ range .nodes }}',
      '    {{ . }}{{ end }}',
      '  }',
      '  {{- end }}',
      '  virtual_ipaddress { {{ range .vips }}',
      '    {{ . }}{{ end }}',
      '  }',
      '  {{ if .notify }} notify {{ .notify }} {{ end }}',
      '}',
    );
    // `{{ $iface }}` is the template's variable, not a keepalived $PARAMETER.
    expect(rules('keepalived.tmpl', text).filter((r) => !r.endsWith('script-runs-as-root'))).toEqual([]);
  });
});

describe('shell placeholders', () => {
  const text = conf('vrrp_instance VI_1 {', '    state ${STATE}', '    priority ${PRIORITY}', '}');

  it('${VAR} in a file with no keepalived parameters is a placeholder', () => {
    expect(rules('keepalived.conf', text).filter((r) => /invalid-value|undefined-parameter/.test(r))).toEqual(
      [],
    );
  });

  it('with a $PARAMETER defined, ${VAR} is keepalived parameter syntax again', () => {
    const params = conf('$X=1', ...text.split('\n'));
    expect(rules('keepalived.conf', params)).toContain('3:undefined-parameter');
  });

  it("keepalived's own ${_PWD} is never a placeholder", () => {
    expect(detectDialect('keepalived.conf', 'notify ${_PWD}/notify.sh\n')).toBeUndefined();
  });
});

describe('dialect detection', () => {
  it.each([
    ['keepalived.conf.j2', 'global_defs {\n}\n', 'jinja'],
    ['vrrp_instance.erb', 'vrrp_instance x {\n}\n', 'erb'],
    ['keepalived.tmpl', 'interface {{ .iface }}\n', 'go'],
    ['keepalived.conf', 'interface {{ iface }}\n', 'jinja'],
    ['keepalived.conf', '{% if a %}\n{% endif %}\n', 'jinja'],
    ['keepalived.conf', 'notify <%= @x %>\n', 'erb'],
    ['keepalived.conf', '{{{{}}}}\n', undefined],
    ['keepalived.conf', 'global_defs {\n router_id a\n}\n', undefined],
  ])('%s with %j: %s', (path, text, dialect) => {
    expect(detectDialect(path, text)).toBe(dialect);
  });

  it('masking keeps offsets and line breaks', () => {
    const text = 'a {{ b\n c }} {% if x %}\nd';
    const masked = scanTemplate(text, 'jinja').masked;
    expect(masked).toHaveLength(text.length);
    expect(masked.split('\n')).toHaveLength(2); // the expression's own line break is part of it
    expect(masked.startsWith(`a ${MASK}`)).toBe(true);
  });

  it('--template takes auto, jinja, erb, go or none', () => {
    expect(parseArgs(['--template', 'erb', 'x.conf']).template).toBe('erb');
    expect(parseArgs(['--template=none', 'x.conf']).template).toBe('none');
    expect(() => parseArgs(['--template', 'mustache', 'x.conf'])).toThrow(/unknown template dialect/);
  });
});

describe('template scanning is bounded on any input', () => {
  const N = 100_000;
  it.each([
    ['unclosed expressions', '{{ a '.repeat(N)],
    ['unclosed comments', '{# a '.repeat(N)],
    ['unclosed ERB tags', 'x <% a '.repeat(N)],
    ['ifs nested 100,000 deep', '{% if a %}\n'.repeat(N) + 'global_defs {\n}\n' + '{% endif %}\n'.repeat(N)],
    ['one tag of blanks', `{%${' '.repeat(N)}x${' '.repeat(N)}%}`],
    ['a Ruby block of pipes', `<% ${'{|'.repeat(N)} %>`],
  ])('%s', (_, text) => {
    for (const dialect of ['jinja', 'erb', 'go'] as const) {
      const layer = scanTemplate(text, dialect);
      expect(layer.masked).toHaveLength(text.length);
    }
    expect(() => lintAs('keepalived.conf.j2', text)).not.toThrow();
  });
});

describe('an if/else on one line renders one alternative', () => {
  const vi = (priority: string) =>
    conf(
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    virtual_router_id 51',
      `    priority ${priority}`,
      '    virtual_ipaddress {',
      '        192.0.2.1/24',
      '    }',
      '}',
    );
  it('reads the first alternative that holds a word, in each dialect', () => {
    expect(rules('a.conf.j2', vi('{%- if master %} 150 {%- else %} 100 {%- endif %}'))).toEqual([]);
    expect(rules('a.conf.j2', vi('{% if master %}{% else %}100{% endif %}'))).toEqual([]);
    expect(rules('a.conf.erb', vi('<% if @master %>150<% else %>100<% end %>'))).toEqual([]);
    expect(rules('a.conf.tmpl', vi('{{ if .Master }}150{{ else }}100{{ end }}'))).toEqual([]);
  });
  it('still checks the alternative it reads', () => {
    expect(rules('a.conf.j2', vi('{% if master %} 300 {% else %} 100 {% endif %}'))).toEqual([
      '4:invalid-value',
    ]);
  });
});

describe('a conditional that is the whole line: each alternative is a line of its own', () => {
  const vi = (...lines: string[]) =>
    conf(
      'vrrp_instance VI_1 {',
      '    state BACKUP',
      '    interface eth0',
      '    virtual_router_id 51',
      '    priority 100',
      ...lines,
      '    virtual_ipaddress {',
      '        192.0.2.1/24',
      '    }',
      '}',
    );
  const cases: [string, string, string][] = [
    ['a.conf.j2', '{% if a %}', '{% else %}|{% endif %}'],
    ['a.conf.erb', '<% if @a %>', '<% else %>|<% end %>'],
    ['a.conf.tmpl', '{{ if .A }}', '{{ else }}|{{ end }}'],
  ];
  const line = (open: string, rest: string, a: string, b: string) => {
    const [otherwise, close] = rest.split('|') as [string, string];
    return `    ${open}${a}${otherwise}${b}${close}`;
  };
  for (const [file, open, rest] of cases) {
    it(`${file}: no word is glued to a tag, no duplicate across the alternatives`, () => {
      expect(rules(file, vi(line(open, rest, 'nopreempt', 'preempt_delay 10')))).toEqual([]);
      expect(rules(file, vi(line(open, rest, 'advert_int 1', 'advert_int 2')))).toEqual([]);
    });
    it(`${file}: every alternative is read and checked`, () => {
      // The second alternative's keyword is misplaced and its value out of range: both are reported.
      expect(rules(file, vi(line(open, rest, 'nopreempt', 'advert_int 300')))).toEqual(['6:invalid-value']);
      expect(rules(file, vi(line(open, rest, 'nopreempt', 'lvs_sched rr')))).toEqual(['6:wrong-block']);
      expect(rules(file, vi(line(open, rest, 'lvs_sched rr', 'nopreempt')))).toEqual(['6:wrong-block']);
    });
  }
  it('an if with no else on its own line is a conditional line, its tags render nothing', () => {
    expect(rules('a.conf.j2', vi('    {% if a %}nopreempt{% endif %}'))).toEqual([]);
    expect(rules('a.conf.j2', vi('    {% if a %}user root{% endif %}'))).toEqual(['6:wrong-block']);
  });
  it('elif alternatives and empty ones', () => {
    const text = vi(
      '    {% if a %}advert_int 1{% elif b %}{% elif c %}advert_int 300{% else %}nopreempt{% endif %}',
    );
    expect(rules('a.conf.j2', text)).toEqual(['6:invalid-value']);
  });
  it('reads like the same if over several lines: a line outside it still clashes with one inside', () => {
    const oneLine = rules('a.conf.j2', vi('    advert_int 1', '    {% if a %}advert_int 2{% endif %}'));
    const lines = rules('a.conf.j2', vi('    advert_int 1', '{% if a %}', '    advert_int 2', '{% endif %}'));
    expect(oneLine).toEqual(['6:setting-overridden']);
    expect(oneLine).toEqual(lines);
  });
});

describe('whitespace control joins the lines the engine joins', () => {
  // No virtual_router_id of its own: the line after the one under test sets it, unless it is joined.
  const vi = (...lines: string[]) =>
    conf(
      'vrrp_instance VI_1 {',
      '    state BACKUP',
      '    interface eth0',
      ...lines,
      '    virtual_ipaddress {',
      '        192.0.2.1/24',
      '    }',
      '}',
    );
  const vrid = '    virtual_router_id 51';
  it('Jinja -%} and {%- join a value split over lines to its keyword', () => {
    const split = (n: string) =>
      vi(
        vrid,
        '    priority {% if m -%}',
        `        ${n}`,
        '    {%- else -%}',
        '        100',
        '    {%- endif %}',
      );
    expect(rules('a.conf.j2', split('150'))).toEqual([]);
    // The value read is the first alternative, at its own offsets (line 6 of the template as written).
    expect(rules('a.conf.j2', split('300'))).toEqual(['6:invalid-value']);
  });
  it('Go {{- joins its line to the one before', () => {
    const text = vi(vrid, '    priority', '    {{- if .M }} 300{{ else }} 100{{ end }}');
    expect(rules('a.conf.tmpl', text)).toEqual(['6:invalid-value']);
    // Without the mark, `priority` has no value and 300 is a line of its own.
    expect(rules('a.conf.tmpl', text.replace('{{- if', '{{ if'))).not.toContain('6:invalid-value');
  });
  it('ERB -%> drops the line break after the tag', () => {
    expect(rules('a.erb', vi('<%- if @x -%>', '    nopreempt', '<%- end -%>', vrid))).toEqual([]);
    // The virtual_router_id line is joined to nopreempt's, so the rendered instance has none.
    expect(rules('a.erb', vi('    nopreempt <% x = 1 -%>', vrid))).toEqual([
      '1:instance-missing-required',
      '5:extra-argument',
    ]);
    expect(rules('a.erb', vi('    nopreempt <% x = 1 %>', vrid))).toEqual([]);
  });
  it("Ansible's trim_blocks for .j2 files under templates/: the break after a block tag goes", () => {
    const text = vi('    advert_int {% if f %}1{% else %}3{% endif %}', vrid);
    // The virtual_router_id line is joined to advert_int's, so the rendered instance has none.
    expect(rules('roles/lb/templates/keepalived.conf.j2', text)).toEqual([
      '1:instance-missing-required',
      '4:template-lines-joined',
      '5:extra-argument',
    ]);
    expect(rules('keepalived.conf.j2', text)).toEqual([]);
    expect(rules('roles/lb/templates/keepalived.conf.j2', text.replace('endif %}', 'endif +%}'))).toEqual([]);
    // A tag alone on its line: the line vanishes, the lines around it stay apart.
    const own = vi('{% if a %}', '    nopreempt', '{% endif %}', vrid);
    expect(rules('roles/lb/templates/keepalived.conf.j2', own)).toEqual([]);
  });
  it('the masked text keeps its length and offsets; only the joined line breaks become blanks', () => {
    const text = 'a\n  {{- x }}\nb\n';
    const layer = scanTemplate(text, 'jinja');
    expect(layer.masked).toHaveLength(text.length);
    expect(layer.masked.split('\n')).toEqual(['a   ' + MASK.repeat(8), 'b', '']);
  });
});

describe('every dialect: expressions in keyword, value, name and block-header positions', () => {
  const dialects: [string, (name: string) => string][] = [
    ['keepalived.conf.j2', (n) => `{{ ${n} }}`],
    ['keepalived.conf.erb', (n) => `<%= @${n} %>`],
    ['keepalived.tmpl', (n) => `{{ .${n} }}`],
  ];
  const text = (e: (name: string) => string, priority = e('prio')) =>
    conf(
      `vrrp_script chk_${e('svc')} {`,
      '    script "/usr/bin/pgrep nginx"',
      '    user nobody',
      '}',
      'vrrp_instance VI_1 {',
      '    state BACKUP',
      `    interface ${e('iface')}`,
      '    virtual_router_id 51',
      `    priority ${priority}`,
      `    ${e('option')} 1`,
      '    virtual_ipaddress {',
      '        192.0.2.1/24',
      '    }',
      '    track_script {',
      `        chk_${e('svc')}`,
      '    }',
      '}',
      `virtual_server ${e('vip')} 80 {`,
      '    lvs_sched rr',
      '    protocol TCP',
      '    lvs_method NAT',
      '    real_server 192.0.2.2 80 {',
      `        ${e('proto')}_CHECK {`,
      '            connect_timeout 3',
      '        }',
      '    }',
      '}',
    );
  for (const [file, e] of dialects) {
    it(`${file}: nothing from template syntax, keepalived's own findings still come`, () => {
      expect(rules(file, text(e))).toEqual([]);
      // A literal value beside them is still checked, and a misplaced keyword still reported.
      expect(rules(file, text(e, '300'))).toEqual(['9:invalid-value']);
      expect(rules(file, text(e).replace('    state BACKUP', '    state BACKUP\n    lvs_sched rr'))).toEqual([
        '7:wrong-block',
      ]);
      // The header expression keeps its block: the checker's own lines are read in it and checked.
      expect(rules(file, text(e).replace('connect_timeout 3', 'connect_timeout 3 4'))).toEqual([
        '24:extra-argument',
      ]);
    });
  }
});
