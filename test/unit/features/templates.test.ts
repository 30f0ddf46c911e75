// Editor features inside templates (issue 13, item 4): definition, references and rename follow the
// keepalived layer; a name built by a template expression is a pattern, never rewritten.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { UNKNOWN_HOST } from '../../../server/src/analysis/host';
import { completions } from '../../../server/src/features/completion';
import { hover } from '../../../server/src/features/hover';
import { MASK } from '../../../server/src/syntax/templates';
import { definition, prepareRename, references, rename } from '../../../server/src/features/navigation';
import { conf } from '../../helpers';

const PATH = '/srv/roles/keepalived/templates/keepalived.conf.j2';
const text = conf(
  '{% for svc in services %}',
  'vrrp_script chk_web {',
  '    script "/usr/local/bin/check web"',
  '    user keepalived_script',
  '}',
  '{% endfor %}',
  'vrrp_instance VI_1 {',
  '{% if primary %}',
  '    state MASTER',
  '{% else %}',
  '    state BACKUP',
  '{% endif %}',
  '    interface {{ iface }}',
  '    virtual_router_id 51',
  '    priority 100',
  '    track_script {',
  '        chk_{{ svc }}',
  '        chk_web',
  '    }',
  '}',
);
const file = analyzeText(PATH, text);
const at = (needle: string, from = 0) => text.indexOf(needle, from);
const line = (offset: number) => file.lines.positionAt(offset).line;

describe('navigation in templates', () => {
  it('go to definition from a template reference finds every definition its pattern matches', () => {
    const found = definition(file, at('chk_{{') + 2);
    expect(found.map((l) => l.range.start.line)).toEqual([line(at('chk_web'))]);
  });

  it('references of a definition include the template expressions that may render it', () => {
    const found = references(file, at('chk_web') + 1, true).map((l) => l.range.start.line);
    expect(found).toEqual([line(at('chk_web')), line(at('chk_web', at('track_script'))), line(at('chk_{{'))]);
  });

  it('a name built by an expression is not renamed; a literal one is, without touching the template', () => {
    expect(prepareRename(file, at('chk_{{') + 1)).toBeUndefined();
    expect(rename(file, at('chk_{{') + 1, 'chk_x')).toEqual({ error: expect.stringContaining('template') });
    const result = rename(file, at('chk_web') + 1, 'chk_http');
    const edits = result && 'edit' in result ? Object.values(result.edit.changes!).flat() : [];
    expect(edits.map((e) => e.range.start.line).sort()).toEqual(
      [line(at('chk_web')), line(at('chk_web', at('track_script')))].sort(),
    );
  });

  it('completion knows the block a template line is in', () => {
    const cursor = at('    interface');
    const withCursor = text.slice(0, cursor) + '    adv\n' + text.slice(cursor);
    const f = analyzeText(PATH, withCursor);
    const items = completions(f, f.lines.positionAt(cursor + 7), {
      users: () => [],
      interfaces: () => [],
      listDir: () => undefined,
    });
    expect(items.map((i) => i.label)).toContain('advert_int');
  });

  it('hover on a script whose command is an expression shows it as written', () => {
    const t = conf('vrrp_script chk {', '    script "{{ check_script }}"', '}');
    const f = analyzeText(PATH, t);
    const result = hover(f, f.lines.positionAt(t.indexOf('{{ check')), {
      host: UNKNOWN_HOST,
      fs: new MemoryFileSystem(),
      thisHost: false,
    });
    const value = result ? (result.contents as { value: string }).value : '';
    expect(value).toContain('{{ check_script }}');
    expect(value).toContain('template expression');
    expect(value).not.toContain(MASK);
  });
});
