// The cluster in the editor: two node configs in one workspace folder. The seed pair with weight 1
// (101/100): the hint shows 101…102 next to priority, the hover on the instance shows the failover table.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover, InlayHint } from 'vscode-languageserver-protocol';
import { chkNginx, nodeConf, tracking } from '../unit/cluster/helpers';
import { TestClient, uri } from './client';

const dir = mkdtempSync(join(tmpdir(), 'kl-cluster-'));
const n1 = join(dir, 'n1.conf');
const n2 = join(dir, 'n2.conf');
const t1 = nodeConf({ state: 'MASTER', priority: 101, before: chkNginx('1'), extra: tracking('chk_nginx') });
const t2 = nodeConf({ state: 'BACKUP', priority: 100, before: chkNginx('1'), extra: tracking('chk_nginx') });
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

let client: TestClient;

beforeAll(async () => {
  writeFileSync(n1, t1);
  writeFileSync(n2, t2);
  client = new TestClient();
  const init = (await client.initialize(dir)) as { capabilities: Record<string, unknown> };
  expect(init.capabilities).toMatchObject({ inlayHintProvider: true });
  await client.open(n1, t1);
  await client.open(n2, t2);
  // Both nodes are known once the failover finding (a tie: 101 vs 101) is published.
  await client.diagnosticsFor(n1, (p) => p.diagnostics.some((d) => d.code === 'failover-never-happens'));
});

afterAll(async () => {
  await client?.close();
});

describe('cluster features', () => {
  it('shows the effective priority range next to priority', async () => {
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: uri(n1) },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    });
    expect(hints).toHaveLength(1);
    expect(hints[0]!.label).toBe('101…102');
    expect(hints[0]!.position.line).toBe(lineOf(t1, 'priority 101'));
  });

  it('hovers the instance with the failover table and a link to the peer', async () => {
    const line = lineOf(t1, 'vrrp_instance VI_1');
    const h = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri(n1) },
      position: { line, character: 15 },
    });
    const text = (h.contents as { value: string }).value;
    expect(text).toContain('**Failover** · virtual_router_id 51');
    expect(text).toContain('| every check passes | 102 | 101 | n1.conf |');
    // nginx dies on the master: 101 vs 101, a tie, the VIP stays on the broken master.
    expect(text).toContain('| chk_nginx fails on n1.conf | 101 | 101 | n1.conf |');
    expect(text).toContain(`Peers: [\`VI_1\` in n2.conf](${uri(n2)}#L`);
  });
});

describe('cluster recomputation', () => {
  const builds = async () =>
    (await client.request<{ clusterBuilds: number }>('keepalived/serverStatus', { settle: true }))
      .clusterBuilds;

  it('answers requests from the cached cluster and rebuilds it once when a node changes', async () => {
    const before = await builds();
    expect(before).toBeGreaterThan(0);
    // Requests over the same nodes: no recomputation.
    for (const request of ['textDocument/inlayHint', 'textDocument/hover'] as const) {
      await client.request(request, {
        textDocument: { uri: uri(n2) },
        range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
        position: { line: lineOf(t2, 'vrrp_instance VI_1'), character: 15 },
      });
    }
    expect(await builds()).toBe(before);
    // A node changes: its model is new, so the cluster is built again, once.
    const edited = t2.replace('priority 100', 'priority 99');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(n2), version: 2 },
      contentChanges: [{ text: edited }],
    });
    await client.diagnosticsFor(n2, (p) => p.version === 2);
    expect(await builds()).toBe(before + 1);
  });
});
