import { describe, expect, it } from 'vitest';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { Workspace } from '../../../server/src/analysis/workspace';
import { documentSymbols } from '../../../server/src/features/doc-symbols';
import { conf } from '../../helpers';

const outline = (text: string) => documentSymbols(analyzeText('/etc/keepalived/keepalived.conf', text));

/** Names and details, nested as the outline is. */
function shape(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) =>
    s.children
      ? { name: s.name, detail: s.detail, children: shape(s.children) }
      : { name: s.name, detail: s.detail },
  );
}

describe('documentSymbols', () => {
  it('lists every top-level block, real servers under their virtual server, checkers in their detail', () => {
    const text = conf(
      'global_defs {',
      '  router_id lb1',
      '}',
      'static_ipaddress {',
      '  192.0.2.1/24 dev eth0',
      '}',
      'vrrp_script chk_web {',
      '  script "/usr/local/bin/chk_web"',
      '}',
      'vrrp_instance VI_1 {',
      '  state BACKUP',
      '  interface eth0',
      '  virtual_router_id 51',
      '  authentication {',
      '    auth_type PASS',
      '    auth_pass secret',
      '  }',
      '  virtual_ipaddress {',
      '    10.0.0.1/24',
      '    10.0.0.2/24',
      '    10.0.0.3/24',
      '    10.0.0.4/24',
      '    10.0.0.5/24',
      '  }',
      '}',
      'virtual_server_group WEB {',
      '  10.0.0.1 80',
      '}',
      'virtual_server 10.0.0.1 80 {',
      '  protocol TCP',
      '  real_server 192.0.2.10 8080 {',
      '    HTTP_GET {',
      '      url {',
      '        path /health',
      '        status_code 200',
      '      }',
      '      url {',
      '        path /ready',
      '      }',
      '    }',
      '    TCP_CHECK {',
      '      connect_timeout 3',
      '    }',
      '  }',
      '  real_server 192.0.2.11 8080 {',
      '  }',
      '}',
    );
    expect(shape(outline(text))).toEqual([
      { name: 'global_defs', detail: undefined },
      { name: 'static_ipaddress', detail: undefined },
      { name: 'vrrp_script chk_web', detail: '/usr/local/bin/chk_web' },
      {
        name: 'vrrp_instance VI_1',
        detail: 'BACKUP · 10.0.0.1/24, 10.0.0.2/24, 10.0.0.3/24 +2 more',
        children: [{ name: 'authentication', detail: undefined }],
      },
      { name: 'virtual_server_group WEB', detail: undefined },
      {
        name: 'virtual_server 10.0.0.1:80',
        detail: 'TCP',
        children: [
          { name: 'real_server 192.0.2.10:8080', detail: 'HTTP_GET /health, /ready · TCP_CHECK' },
          { name: 'real_server 192.0.2.11:8080', detail: undefined },
        ],
      },
    ]);
  });

  it('gives each symbol its kind, the block as its range and the name as its selection', () => {
    const text = conf('virtual_server_group WEB {', '  10.0.0.1 80', '}', 'static_routes {', '}');
    const [group, routes] = outline(text);
    expect(group).toMatchObject({
      kind: SymbolKind.Package,
      range: { start: { line: 0, character: 0 }, end: { line: 2, character: 1 } },
      selectionRange: { start: { line: 0, character: 21 }, end: { line: 0, character: 24 } },
    });
    expect(group!.children).toBeUndefined();
    expect(routes!.kind).toBe(SymbolKind.Array);
  });

  it('outlines an included fragment by the blocks at its top, placed where the include puts them', () => {
    const fs = new MemoryFileSystem({
      '/etc/keepalived/keepalived.conf': conf('virtual_server 10.0.0.1 80 {', '  include rs.conf', '}'),
      '/etc/keepalived/rs.conf': conf('real_server 192.0.2.10 80 {', '  TCP_CHECK {', '  }', '}'),
    });
    const file = new Workspace(fs, { folders: ['/etc/keepalived'] }).analysis('/etc/keepalived/rs.conf')!;
    expect(shape(documentSymbols(file))).toEqual([
      { name: 'real_server 192.0.2.10:80', detail: 'TCP_CHECK' },
    ]);
  });
});
