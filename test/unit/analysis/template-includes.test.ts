// Jinja `{% include %}`, `{% import %}` and `{% from %}` with a literal path, read like keepalived include
// lines: looked up next to the template, then in the nearest templates/ folder above it; a file found
// neither place is an info finding, and the configuration is then incomplete.
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { Workspace } from '../../../server/src/analysis/workspace';
import { lintFile } from '../../../server/src/checks';

const role = '/site/roles/lb/templates';
// The include comes first: keepalived finds a tracked vrrp_script only when it is defined above the
// instance that tracks it (analysis/lookup-order.ts), and the template engine inlines the file here.
const root = (include: string) =>
  [
    include,
    'vrrp_instance VI_1 {',
    '    state BACKUP',
    '    interface eth0',
    '    virtual_router_id 51',
    '    priority 100',
    '    virtual_ipaddress {',
    '        192.0.2.1/24',
    '    }',
    '    track_script {',
    '        chk_nginx',
    '    }',
    '}',
    '',
  ].join('\n');
const script = 'vrrp_script chk_nginx {\n    script "/usr/bin/pgrep nginx"\n    user nobody\n}\n';

function lint(files: Record<string, string>, path: string) {
  const ws = new Workspace(new MemoryFileSystem(files));
  return { ws, findings: lintFile(ws.analysis(path)!).filter((d) => !d.rule.startsWith('script-')) };
}
const brief = (f: ReturnType<typeof lint>['findings']) =>
  f.map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity}`);

describe('template includes', () => {
  it('reads {% include %} next to the template: what it defines is defined', () => {
    const { ws, findings } = lint(
      {
        [`${role}/keepalived.conf.j2`]: root('{% include "chk.j2" %}'),
        [`${role}/chk.j2`]: script,
      },
      `${role}/keepalived.conf.j2`,
    );
    expect(brief(findings)).toEqual([]);
    expect(ws.includesOf(`${role}/keepalived.conf.j2`)).toEqual([`${role}/chk.j2`]);
    expect(ws.modelFor(`${role}/keepalived.conf.j2`)!.complete).toBe(true);
  });

  it('falls back to the nearest templates/ folder above the template', () => {
    const { findings } = lint(
      {
        [`${role}/vrrp/keepalived.conf.j2`]: root("{%- include 'checks/nginx.j2' -%}"),
        [`${role}/checks/nginx.j2`]: script,
      },
      `${role}/vrrp/keepalived.conf.j2`,
    );
    expect(brief(findings)).toEqual([]);
  });

  it('import and from read the file too', () => {
    for (const line of ['{% import "chk.j2" as checks %}', '{% from "chk.j2" import nginx with context %}']) {
      const { findings } = lint(
        { [`${role}/keepalived.conf.j2`]: root(line), [`${role}/chk.j2`]: script },
        `${role}/keepalived.conf.j2`,
      );
      expect(brief(findings), line).toEqual([]);
    }
  });

  it('not found: info on the line, and a missing definition is only a warning (the model is incomplete)', () => {
    const { ws, findings } = lint(
      { [`${role}/keepalived.conf.j2`]: root('{% include "missing.j2" %}') },
      `${role}/keepalived.conf.j2`,
    );
    expect(brief(findings)).toEqual(['1:include-not-found:info', '11:undefined-reference:warning']);
    const info = findings.find((d) => d.rule === 'include-not-found')!;
    expect(info.message).toContain("The template renders 'missing.j2'");
    expect(info.message).toContain('neither in the template');
    expect(info.range.start.character).toBe(3);
    expect(ws.modelFor(`${role}/keepalived.conf.j2`)!.complete).toBe(false);
  });

  it('a path built by an expression or mid-line is not read as an include', () => {
    for (const line of ['{% include "chk_" ~ svc ~ ".j2" %}', 'nopreempt {% include "chk.j2" %}']) {
      const { ws } = lint(
        { [`${role}/keepalived.conf.j2`]: root(line), [`${role}/chk.j2`]: script },
        `${role}/keepalived.conf.j2`,
      );
      expect(ws.includesOf(`${role}/keepalived.conf.j2`), line).toEqual([]);
    }
  });
});
