// template-lines-joined: Ansible's trim_blocks drops the line break after a block tag, so a tag that ends
// a line of keepalived text glues the next line onto it (syntax/templates.ts joinedLines).
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const ansible = 'roles/lb/templates/keepalived.conf.j2';
const text = (line: string) =>
  [
    'vrrp_instance VI_1 {',
    '    state BACKUP',
    '    interface eth0',
    line,
    '    virtual_router_id 51',
    '    virtual_ipaddress {',
    '        192.0.2.10/24',
    '    }',
    '}',
    '',
  ].join('\n');
const joined = (path: string, line: string) =>
  lintFile(analyzeText(path, text(line)), {})
    .filter((d) => d.rule === 'template-lines-joined')
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}`);

describe('template-lines-joined', () => {
  it('fires on the tag whose line break trim_blocks drops', () => {
    const line = '    priority {% if primary %}150{% else %}100{% endif %}';
    expect(joined(ansible, line)).toEqual(['4:46']);
    const d = lintFile(analyzeText(ansible, text(line)), {}).find((x) => x.rule === 'template-lines-joined')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain("end it with '+%}'");
  });

  it('not outside an Ansible templates/ folder, not with +%}, not for a tag on a line of its own', () => {
    expect(joined('keepalived.conf.j2', '    priority {% if p %}150{% else %}100{% endif %}')).toEqual([]);
    expect(joined(ansible, '    priority {% if p %}150{% else %}100{% endif +%}')).toEqual([]);
    expect(joined(ansible, '{% if p %}\n    priority 150\n{% endif %}')).toEqual([]);
    // An expression keeps its line break; only a closing brace after the join is harmless.
    expect(joined(ansible, '    priority {{ prio }}')).toEqual([]);
    const brace = text('    virtual_ipaddress {\n        192.0.2.1/24{% if x %}{% endif %}\n    }');
    expect(
      lintFile(analyzeText(ansible, brace), {}).filter((d) => d.rule === 'template-lines-joined'),
    ).toEqual([]);
  });
});
