// Each keepalived process skips the top-level blocks it does not own by counting their braces
// (analysis/processes.ts). A '{' that global_defs's owner (the parent) ignores keeps the children
// skipping past global_defs's end, so they never read the vrrp blocks after it.
import { describe, expect, it } from 'vitest';
import { conf, rulesAt } from '../../helpers';

const script = ['vrrp_script chk_minio {', ' script "/bin/true"', ' interval 2', '}'];
const instance = [
  'vrrp_instance VI_1 {',
  ' interface eth0',
  ' virtual_router_id 50',
  ' priority 100',
  ' virtual_ipaddress {',
  '  192.168.10.50/24',
  ' }',
  ' track_script {',
  '  chk_minio',
  ' }',
  '}',
];

describe('blocks the processes that own them never read', () => {
  it('global_defs left open around a vrrp_script: the VRRP process reads no instance after it', () => {
    // keepalived 2.2.7: only "Unknown keyword" and "Unexpected '{'" inside global_defs, no
    // "track script chk_minio not found", no "(VI_1) ..." about the instance.
    const text = conf('global_defs {', ' router_id a', ...script, '', ...instance);
    for (const configId of [undefined, 'node1']) {
      const found = rulesAt(text, { keepalivedVersion: '2.2.7', configId });
      expect(
        found.filter((f) => !/^[3-6]:/.test(f)),
        configId,
      ).toEqual([]);
      expect(found).toContain('3:unexpected-block');
    }
  });

  it('global_defs closed: the instance and its reference are read as usual', () => {
    const text = conf(
      'global_defs {',
      ' router_id a',
      '}',
      ...script,
      ...instance.slice(0, -3),
      ' track_script {',
      '  chk_other',
      ' }',
      '}',
    );
    expect(rulesAt(text, { keepalivedVersion: '2.2.7' })).toContain('16:undefined-reference');
  });

  it('the children read again once the braces pair up', () => {
    // The unknown block's '}' and one more: the count is back to 0 before vrrp_instance.
    const text = conf(
      'global_defs {',
      ' foo {',
      ' }',
      '}',
      ...instance.slice(0, -4),
      ' track_script {',
      '  chk_other',
      ' }',
      '}',
    );
    const found = rulesAt(text, { keepalivedVersion: '2.2.7' });
    expect(found).toContain('4:extra-closing-brace');
    expect(found).toContain('13:undefined-reference');
  });
});
