// preempt_delay in the failover table: a backup that preempts a running master at a lower priority waits
// its preempt_delay (vrrp.c); one replacing a stopped master does not.
import { describe, expect, it } from 'vitest';
import { failoverTables, tableText } from '../../../server/src/features/failover-table';
import { chkNginx, models, nodeConf, tracking } from './helpers';

describe('preempt_delay in the failover table', () => {
  it('says the VIP moves after the new master’s preempt_delay when it preempts, not when the master stops', () => {
    const master = nodeConf({
      state: 'BACKUP',
      priority: 101,
      before: chkNginx('-5'),
      extra: tracking('chk_nginx'),
    });
    const backup = nodeConf({
      state: 'BACKUP',
      priority: 100,
      before: chkNginx('-5'),
      extra: ['preempt_delay 30', ...tracking('chk_nginx')],
    });
    const [table] = failoverTables(models([master, backup]));
    const fails = table!.rows.find((r) => r.scenario === 'chk_nginx fails on /n1/keepalived.conf')!;
    // 101 - 5 = 96 < 100: n2 preempts, after its 30 s.
    expect(fails.cells).toEqual([96, 100]);
    expect(fails.after).toBe(30);
    const stops = table!.rows.find((r) => r.scenario === '/n1/keepalived.conf stops')!;
    expect(stops.master).toBe('/n2/keepalived.conf');
    expect(stops.after).toBeUndefined();
    expect(tableText(table!)).toContain('/n2/keepalived.conf (after preempt_delay 30 s)');
    // The healthy row keeps the master it has.
    expect(table!.rows[0]!.after).toBeUndefined();
  });
});
