// What keepalived 2.2.7 stores for an instance setting written on several lines or with a value it refuses
// (vrrp_parser.c vrrp_prio_handler, vrrp_vrid_handler, vrrp_adv_handler, vrrp_state_handler,
// vrrp_version_handler, vrrp_preempt_delay_handler): the instance view and the messages agree with it.
import { describe, expect, it } from 'vitest';
import { objectsOf } from '../../../server/src/analysis/objects';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const instance = (...body: string[]) =>
  ['vrrp_instance VI_1 {', ...body.map((l) => ` ${l}`), '}', ''].join('\n');

function read(text: string, path = '/t/keepalived.conf') {
  const { model } = analyzeText(path, text);
  const vi = objectsOf(model, undefined).instances[0]!;
  const findings = lintFile(model.files.get(path)!).map(
    (d) => `${d.range.start.line + 1} ${d.rule}: ${d.message}`,
  );
  return { vi, findings };
}

describe('one-value instance settings as keepalived stores them', () => {
  it('keeps the last priority, and reports the first line as having no effect', () => {
    const { vi, findings } = read(instance('priority 100', 'priority 150'));
    expect(vi.priority).toBe(150);
    expect(findings.filter((f) => f.includes('setting-overridden'))).toEqual([
      "2 setting-overridden: 'priority' in VI_1 has no effect: a later line sets it again, and keepalived keeps the last one (priority 150). Keep one 'priority' line so the file says what keepalived uses.",
    ]);
  });

  it('resets an invalid priority to 100 and says so', () => {
    const { vi, findings } = read(instance('priority 150', 'priority 300'));
    expect(vi.priority).toBe(100);
    expect(findings).toContain(
      "3 invalid-value: number '300' is outside the range [1, 255]: keepalived uses the default priority 100 instead.",
    );
  });

  it('keeps the earlier virtual_router_id and advert_int when a later one is invalid', () => {
    const { vi, findings } = read(
      instance('virtual_router_id 51', 'virtual_router_id 300', 'advert_int 2', 'advert_int 0'),
    );
    expect(vi.vrid).toBe(51);
    expect(vi.advertInt).toBe(2);
    expect(
      findings.some((f) => f.startsWith('3 invalid-value') && f.includes('keeps an earlier value')),
    ).toBe(true);
    expect(findings.some((f) => f.includes('setting-overridden'))).toBe(false);
  });

  it('keeps state MASTER against a later BACKUP, and the first version against a different one', () => {
    const { vi, findings } = read(instance('state MASTER', 'state BACKUP', 'version 2', 'version 3'));
    expect(vi.state).toBe('MASTER');
    expect(vi.version).toBe(2);
    const overridden = findings.filter((f) => f.includes('setting-overridden')).map((f) => f.split(' ')[0]);
    expect(overridden).toEqual(['3', '5']);
  });

  it('reads an unknown state as BACKUP', () => {
    expect(read(instance('state master')).vi.state).toBe('BACKUP');
  });

  it('does not compare @id alternatives, and leaves their value to the node', () => {
    const { vi, findings } = read(instance('@a priority 100', '@b priority 150'));
    expect(vi.priority).toBeUndefined();
    expect(findings.some((f) => f.includes('setting-overridden'))).toBe(false);
    const { model } = analyzeText('/t/keepalived.conf', instance('@a priority 100', '@b priority 150'));
    expect(objectsOf(model, 'b').instances[0]!.priority).toBe(150);
  });

  it('does not compare template branches, and leaves the value to the rendered node', () => {
    const { vi, findings } = read(
      instance('{% if primary %}', 'priority 150', '{% else %}', 'priority 100', '{% endif %}'),
      '/t/templates/keepalived.conf.j2',
    );
    expect(vi.priority).toBeUndefined();
    expect(findings.some((f) => f.includes('setting-overridden'))).toBe(false);
  });

  it('does not guess a value written as a template expression', () => {
    const { vi, findings } = read(
      instance('priority 100', 'priority {{ prio }}'),
      '/t/templates/keepalived.conf.j2',
    );
    expect(vi.priority).toBeUndefined();
    expect(findings.some((f) => f.includes('setting-overridden'))).toBe(false);
  });

  it('keeps the last interface and the last auth_pass, and never prints the password', () => {
    const { vi, findings } = read(
      instance(
        'interface eth0',
        'interface eth1',
        'authentication {',
        '  auth_type PASS',
        '  auth_pass first1',
        '}',
        'authentication {',
        '  auth_pass second2',
        '}',
      ),
    );
    expect(vi.interface).toBe('eth1');
    expect(vi.authType).toBe('PASS');
    expect(vi.authPass).toBe('second2');
    const overridden = findings.filter((f) => f.includes('setting-overridden'));
    expect(overridden.map((f) => f.split(' ')[0])).toEqual(['2', '6']);
    expect(overridden.join('\n')).not.toContain('second2');
  });

  it('takes auth_type as keepalived compares it (strcmp): lower-case pass keeps the earlier type', () => {
    expect(read(instance('authentication {', '  auth_type pass', '  auth_pass x', '}')).vi.authType).toBe(
      undefined,
    );
    expect(read(instance('authentication {', '  auth_type AH', '  auth_type pass', '}')).vi.authType).toBe(
      'AH',
    );
  });

  it('loses an earlier unicast_src_ip when a later one is malformed, and reads the address before a /prefix', () => {
    expect(read(instance('unicast_src_ip 10.0.0.1/24')).vi.unicastSrc?.address).toBe('10.0.0.1');
    expect(read(instance('unicast_src_ip 10.0.0.1', 'unicast_src_ip 10.0.0.2')).vi.unicastSrc?.address).toBe(
      '10.0.0.2',
    );
    const { vi, findings } = read(instance('unicast_src_ip 10.0.0.1', 'unicast_src_ip 10.0.0.300'));
    expect(vi.unicastSrc).toBe(undefined);
    expect(
      findings.some(
        (f) => f.startsWith('3 invalid-value') && f.includes('earlier unicast_src_ip line is lost'),
      ),
    ).toBe(true);
  });
});
