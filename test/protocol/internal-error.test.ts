// An internal error is never silent: the server (in process, over a pair of streams, with the checks and
// the analysis made to fail on purpose) logs it and publishes a diagnostic saying the analysis failed,
// instead of an empty list that reads as "no problems"; and it keeps serving.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { Server } from '../../server/src/server';
import { uri } from './client';

vi.mock('../../server/src/checks', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/src/checks')>();
  return {
    ...original,
    lintFile: (...args: Parameters<typeof original.lintFile>) => {
      if (args[0].text.includes('# boom')) throw new RangeError('Maximum call stack size exceeded');
      return original.lintFile(...args);
    },
  };
});

vi.mock('../../server/src/analysis/workspace', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/src/analysis/workspace')>();
  class Workspace extends original.Workspace {
    override modelFor(path: string) {
      if (path.endsWith('crash.conf')) throw new TypeError('the model fell over');
      return super.modelFor(path);
    }
  }
  return { ...original, Workspace };
});

const dir = mkdtempSync(join(tmpdir(), 'kl-internal-'));
let client: ProtocolConnection;
const published = new Map<string, PublishDiagnosticsParams>();
const listeners: (() => boolean)[] = [];
const logs: { type: number; message: string }[] = [];

function diagnosticsFor(
  path: string,
  test: (p: PublishDiagnosticsParams) => boolean,
): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${path}`)), 10_000);
    const check = (): boolean => {
      const p = published.get(uri(path));
      if (!p || !test(p)) return false;
      clearTimeout(timer);
      resolve(p);
      return true;
    };
    if (!check()) listeners.push(check);
  });
}

beforeAll(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  new Server(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient))).listen();
  client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p);
    for (const l of [...listeners]) if (l()) listeners.splice(listeners.indexOf(l), 1);
  });
  client.onNotification('window/logMessage', (m: { type: number; message: string }) => {
    logs.push(m);
  });
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: uri(dir), capabilities: {} });
  await client.sendNotification('initialized', {});
});

afterAll(() => client?.dispose());

const open = (path: string, text: string) =>
  client.sendNotification('textDocument/didOpen', {
    textDocument: { uri: uri(path), languageId: 'keepalived', version: 1, text },
  });

describe('internal errors', () => {
  it('publishes "the analysis failed" and logs the stack when the checks throw', async () => {
    const path = join(dir, 'boom.conf');
    await open(
      path,
      'vrrp_instance VI_1 {\n    priority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n# boom\n',
    );
    const d = await diagnosticsFor(path, (p) => p.diagnostics.length > 0);
    expect(d.diagnostics).toHaveLength(1);
    expect(d.diagnostics[0]).toMatchObject({
      code: 'internal-error',
      severity: 1,
      source: 'keepalived',
      range: { start: { line: 0, character: 0 } },
    });
    expect(d.diagnostics[0]!.message).toContain('The analysis of this file failed');
    expect(d.diagnostics[0]!.message).toContain('RangeError: Maximum call stack size exceeded');
    expect(logs.some((l) => l.type === 1 && l.message.includes('Maximum call stack size exceeded'))).toBe(
      true,
    );
    // Fixed text: the real diagnostics come back.
    await client.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [
        {
          text: 'vrrp_instance VI_1 {\n    prority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n',
        },
      ],
    });
    const fixed = await diagnosticsFor(path, (p) => p.version === 2);
    expect(fixed.diagnostics.map((x) => x.code)).toEqual(['unknown-keyword']);
  });

  it('publishes "the analysis failed" when building the configuration throws, and keeps answering', async () => {
    const path = join(dir, 'crash.conf');
    await open(
      path,
      'vrrp_instance VI_1 {\n    priority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n',
    );
    const d = await diagnosticsFor(path, (p) => p.diagnostics.length > 0);
    expect(d.diagnostics.map((x) => x.code)).toEqual(['internal-error']);
    expect(d.diagnostics[0]!.message).toContain('TypeError: the model fell over');
    expect(logs.some((l) => l.type === 1 && l.message.includes('the model fell over'))).toBe(true);
    const hover = await client.sendRequest('textDocument/hover', {
      textDocument: { uri: uri(path) },
      position: { line: 1, character: 6 },
    });
    expect(hover).toBeNull();
    // Other files are served as usual.
    const other = join(dir, 'fine.conf');
    await open(
      other,
      'vrrp_instance VI_2 {\n    priority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n',
    );
    const fine = await client.sendRequest<{ contents: unknown }>('textDocument/hover', {
      textDocument: { uri: uri(other) },
      position: { line: 1, character: 6 },
    });
    expect(JSON.stringify(fine.contents)).toContain('priority');
  });
});
