// The corrections keepalived's checker makes after reading (check_data.c validate_check_config, 2.2.7):
// each message below was checked against keepalived -t 2.2.7 on the same configuration, and the fixes
// that are applied in bulk only write down what keepalived already does.
import { describe, expect, it } from 'vitest';
import { applyEdits, bulkSafe } from '../../../server/src/checks/fixes';
import { conf, lint } from '../../helpers';

const rule = (text: string, id: string) => lint(text).filter((d) => d.rule === id);

describe('what keepalived corrects in a virtual_server', () => {
  it('adds the scheduler keepalived uses, indented like the block, and nothing is left to say', () => {
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      '\tprotocol TCP',
      '\tlvs_method DR',
      '\treal_server 10.0.0.1 80 {',
      '\t}',
      '}',
    );
    const [d] = rule(text, 'virtual-server-no-scheduler');
    expect(d?.message).toContain(`keepalived reports "no scheduler set, setting default 'wlc'"`);
    const fix = d!.fixes![0]!;
    expect(bulkSafe(fix, d!, () => text)).toBe(true);
    const fixed = applyEdits(text, fix.edits);
    expect(fixed.split('\n')[1]).toBe('\tlvs_sched wlc');
    expect(rule(fixed, 'virtual-server-no-scheduler')).toEqual([]);
  });

  it('offers no inserted line when the block goes on after its brace', () => {
    const text = conf('virtual_server 192.0.2.1 80 { protocol TCP', ' real_server 10.0.0.1 80 {', ' }', '}');
    const [d] = rule(text, 'virtual-server-no-scheduler');
    expect(d).toBeDefined();
    expect(d!.fixes).toBeUndefined();
  });

  it('removes ops from a TCP service, which keepalived turns off', () => {
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' ops',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    );
    const [d] = rule(text, 'virtual-server-ops-not-udp');
    expect(applyEdits(text, d!.fixes![0]!.edits)).not.toContain('ops');
  });

  it('counts only the real servers keepalived reads, and says nothing of a service it drops', () => {
    // Both real servers have ports keepalived cannot read: it skips them, then drops the service.
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      ' real_server 10.0.0.1 asd {',
      ' }',
      ' real_server 10.0.0.2 x {',
      ' }',
      '}',
    );
    const found = lint(text).map((d) => d.rule);
    expect(found).toContain('virtual-server-no-real-server');
    expect(found).not.toContain('virtual-server-no-scheduler');
  });

  it('tells the probe port from the forwarding port of a DR server', () => {
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' real_server 10.0.0.1 8080 {',
      '  TCP_CHECK {',
      '  }',
      ' }',
      '}',
    );
    const [d] = rule(text, 'server-port-ignored');
    expect(d?.message).toContain('forwards to it on port 80');
    expect(d?.message).toContain('checkers still connect to port 8080');
    expect(d?.fixes).toBeUndefined();
    // The server's own NAT, or a written port equal to the service's, is fine.
    expect(rule(text.replace('8080', '80'), 'server-port-ignored')).toEqual([]);
    expect(
      rule(text.replace('  TCP_CHECK {', '  lvs_method NAT\n  TCP_CHECK {'), 'server-port-ignored'),
    ).toEqual([]);
  });

  it('adds up weights as keepalived does: a server without one takes the service weight', () => {
    const base = [
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' quorum 4',
      ' real_server 10.0.0.1 {',
      ' }',
      ' real_server 10.0.0.2 {',
      '  weight 2',
      ' }',
    ];
    expect(rule(conf(...base, '}'), 'quorum-over-weight')[0]?.message).toContain('reducing quorum to 3');
    expect(rule(conf(...base, ' weight 2', '}'), 'quorum-over-weight')).toEqual([]);
    // A lowered quorum is what hysteresis is held to.
    expect(rule(conf(...base, ' hysteresis 3', '}'), 'hysteresis-over-quorum')[0]?.message).toContain(
      'setting hysteresis to 2',
    );
  });

  it('judges nothing that a parameter or template decides; a group service by its group (vs-groups.test.ts)', () => {
    expect(
      rule(
        conf(
          'virtual_server 192.0.2.1 80 {',
          ' lvs_sched {{ s }}',
          ' protocol TCP',
          ' real_server 10.0.0.1 80 {',
          ' }',
          '}',
        ),
        'virtual-server-no-scheduler',
      ),
    ).toEqual([]);
    const group = conf(
      'virtual_server_group G {',
      ' fwmark 5',
      '}',
      'virtual_server group G {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' real_server 10.0.0.1 8080 {',
      ' }',
      '}',
    );
    // keepalived -t 2.2.7: "fwmark virtual server [G]:0, real server ... has port specified - port will be ignored".
    expect(lint(group).find((d) => d.rule === 'server-port-ignored')?.message).toContain(
      '"... has port specified - port will be ignored"',
    );
  });

  it('gives a sorry server that is a real server the real server inhibit setting, as keepalived does', () => {
    // Each message checked with keepalived -t 2.2.7 (check_data.c l.1233-1244).
    const service = (...body: string[]) =>
      conf(
        'virtual_server 192.0.2.1 80 {',
        ' lvs_sched rr',
        ' lvs_method NAT',
        ' protocol TCP',
        ...body,
        '}',
      );
    // The virtual server's inhibit_on_failure is the real server's: "setting on sorry server".
    const setting = service(
      ' inhibit_on_failure',
      ' sorry_server 10.0.0.1 80',
      ' real_server 10.0.0.1 80 {',
      ' }',
    );
    const [d] = rule(setting, 'sorry-server-inhibit-differs');
    expect(d?.message).toContain('inhibit setting differs, setting on sorry server"');
    expect(d?.message).toContain('(from the virtual server)');
    const fixed = applyEdits(setting, d!.fixes![0]!.edits);
    expect(fixed.split('\n').slice(5, 7)).toEqual([' sorry_server 10.0.0.1 80', ' sorry_server_inhibit']);
    expect(rule(fixed, 'sorry-server-inhibit-differs')).toEqual([]);
    // The real server's own 'inhibit_on_failure no': "clearing on sorry server"; the fix removes the line.
    const clearing = service(
      ' sorry_server 10.0.0.1 080',
      ' sorry_server_inhibit',
      ' real_server 10.0.0.1 80 {',
      '  inhibit_on_failure no',
      ' }',
    );
    const [c] = rule(clearing, 'sorry-server-inhibit-differs');
    expect(c?.message).toContain('clearing on sorry server"');
    expect(c?.message).toContain("'inhibit_on_failure no' turns inhibit off");
    const removed = applyEdits(clearing, c!.fixes![0]!.edits);
    expect(removed).not.toContain('sorry_server_inhibit');
    expect(rule(removed, 'sorry-server-inhibit-differs')).toEqual([]);
  });

  it('says nothing when keepalived sees no matching sorry server (keepalived -t 2.2.7 exits 0)', () => {
    const service = (...body: string[]) =>
      conf(
        'virtual_server 192.0.2.1 80 {',
        ' lvs_sched rr',
        ' lvs_method NAT',
        ' protocol TCP',
        ...body,
        '}',
      );
    const quiet = [
      // Ports are compared as written: the real server's missing port is 0, not yet the service's 80.
      service(' sorry_server 10.0.0.1 80', ' real_server 10.0.0.1 {', '  inhibit_on_failure', ' }'),
      // sorry_server_inhibit before any sorry_server marks nothing (ssvri_handler), and a new sorry
      // server starts without it.
      service(
        ' sorry_server 10.0.0.2 80',
        ' sorry_server_inhibit',
        ' sorry_server 10.0.0.1 80',
        ' real_server 10.0.0.1 80 {',
        ' }',
      ),
      // The settings agree.
      service(
        ' inhibit_on_failure',
        ' sorry_server 10.0.0.1 80',
        ' sorry_server_inhibit',
        ' real_server 10.0.0.1 80 {',
        ' }',
      ),
      // A parameter decides the real server's setting.
      service(
        ' sorry_server 10.0.0.1 80',
        ' real_server 10.0.0.1 80 {',
        '  inhibit_on_failure {{ x }}',
        ' }',
      ),
    ];
    for (const text of quiet) expect(rule(text, 'sorry-server-inhibit-differs')).toEqual([]);
  });

  it('takes the lvs_method in force where each server line is read, else the last one', () => {
    // keepalived -t 2.2.7 reports exactly these four servers (alloc_rs, alloc_ssvr copy the method then).
    const text = conf(
      'virtual_server_group G {',
      ' 10.0.0.100 80',
      '}',
      'virtual_server group G {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' lvs_method NAT',
      ' real_server 10.0.0.1 8080 {',
      ' }',
      ' lvs_method DR',
      ' real_server 10.0.0.2 8080 {',
      ' }',
      '}',
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' real_server 10.0.0.3 8080 {',
      ' }',
      ' lvs_method NAT',
      ' sorry_server 10.0.0.9 8080',
      ' lvs_method TUN',
      ' real_server 10.0.0.4 8080 {',
      ' }',
      '}',
      'virtual_server 192.0.2.2 80 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' lvs_method DR',
      ' sorry_server 10.0.0.9 8080',
      ' lvs_method NAT',
      ' real_server 10.0.0.5 8080 {',
      ' }',
      '}',
    );
    expect(
      rule(text, 'server-port-ignored').map(
        (d) => `${d.range.start.line + 1} ${/reached by (\w+)/.exec(d.message)?.[1]}`,
      ),
    ).toEqual(['11 DR', '17 TUN', '22 TUN', '29 DR']);
  });

  it('reads each config id on its own', () => {
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      '@a lvs_sched rr',
      '@b lvs_method DR',
      ' protocol TCP',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    );
    expect(rule(text, 'virtual-server-no-scheduler').map((d) => d.message)).toEqual([
      expect.stringMatching(/\(config id b\)$/),
    ]);
  });
});
