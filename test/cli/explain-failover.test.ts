// keepalived-lint --explain-failover: the seed's pair (101/100, chk_nginx weight 3), as text and JSON.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chkNginx, nodeConf, tracking } from '../unit/cluster/helpers';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'kl-explain-'));
const n1 = join(dir, 'n1.conf');
const n2 = join(dir, 'n2.conf');
writeFileSync(
  n1,
  nodeConf({ state: 'MASTER', priority: 101, before: chkNginx('3'), extra: tracking('chk_nginx') }),
);
writeFileSync(
  n2,
  nodeConf({ state: 'BACKUP', priority: 100, before: chkNginx('3'), extra: tracking('chk_nginx') }),
);

describe('--explain-failover', () => {
  it('prints the table: nginx dying on the master moves the VIP (101 vs 103)', () => {
    const { code, stdout } = runCli('--explain-failover', n1, n2);
    expect(code).toBe(0);
    const lines = stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines[0]).toBe('virtual_router_id 51 (multicast, VI_1)');
    expect(lines).toContain(`every check passes 104 103 ${n1}`);
    expect(lines).toContain(`chk_nginx fails on ${n1} 101 103 ${n2}`);
    expect(lines).toContain(`${n1} stops stopped 103 ${n2}`);
    expect(stdout).toContain("'VI_1' priority 101, runs at 101…104");
  });

  it('prints JSON with --format json', () => {
    const { code, stdout } = runCli('--explain-failover', '--format', 'json', n1, n2);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as {
      virtualRouters: { vrid: number; rows: { scenario: string; cells: unknown[]; master: string }[] }[];
    };
    expect(parsed.virtualRouters).toHaveLength(1);
    expect(parsed.virtualRouters[0]!.rows[1]).toEqual({
      scenario: `chk_nginx fails on ${n1}`,
      cells: [101, 103],
      master: n2,
    });
  });

  it('says so when the nodes share no virtual router', () => {
    const { code, stdout } = runCli('--explain-failover', n1);
    expect(code).toBe(0);
    expect(stdout).toContain('No virtual router is shared');
  });
});

describe('the README example', () => {
  it('is what --explain-failover prints for the two-node pair with weight 1', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('$ keepalived-lint --explain-failover node1.conf node2.conf\n');
    const shown = readme.slice(start, readme.indexOf('```', start)).split('\n').slice(1);
    const ex = mkdtempSync(join(tmpdir(), 'kl-readme-'));
    const node = (state: string, priority: number) =>
      nodeConf({ state, priority, before: chkNginx('1'), extra: tracking('chk_nginx') });
    writeFileSync(join(ex, 'node1.conf'), node('MASTER', 101));
    writeFileSync(join(ex, 'node2.conf'), node('BACKUP', 100));
    const { stdout } = runCli('--explain-failover', join(ex, 'node1.conf'), join(ex, 'node2.conf'));
    const squeeze = (l: string) => l.split(`${ex}/`).join('').replace(/\s+/g, ' ').trim();
    expect(stdout.split('\n').map(squeeze)).toEqual(shown.map(squeeze));
  });
});
