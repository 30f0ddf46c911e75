// A keyword without its value: what keepalived's handler says on that line (schema/empty-values.json,
// made by scripts/gen-empty-values.mjs from keepalived -t) is reported there, with its consequence.
import { describe, expect, it } from 'vitest';
import { keywordAt } from '../../../server/src/schema';
import { conf, lint } from '../../helpers';
import emptyValues from '../../../server/src/schema/empty-values.json';

const at = (text: string, line: number) =>
  lint(text, { keepalivedVersion: '2.2.7' }).filter((d) => d.range.start.line === line - 1);

describe('a keyword without its value', () => {
  it('dbus_service_name alone: keepalived says "dbus_service_name missing - ignoring"', () => {
    const found = at(conf('global_defs {', ' dbus_service_name', '}'), 2);
    expect(found.map((d) => d.rule)).toEqual(['missing-argument']);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.message).toContain('keepalived reports "dbus_service_name missing - ignoring"');
    expect(at(conf('global_defs {', ' dbus_service_name org.keepalived.Vrrp1', '}'), 2)).toEqual([]);
  });

  it('vrrp_netlink_monitor_rcv_bufs alone: "... size missing"', () => {
    const found = at(conf('global_defs {', ' vrrp_netlink_monitor_rcv_bufs', '}'), 2);
    expect(found.map((d) => d.rule)).toEqual(['missing-argument']);
    expect(found[0]!.message).toContain('"vrrp_netlink_monitor_rcv_bufs size missing"');
    expect(at(conf('global_defs {', ' vrrp_netlink_monitor_rcv_bufs 1048576', '}'), 2)).toEqual([]);
  });

  it('a loosely typed keyword whose handler reads the word anyway: keepalived stops there', () => {
    const found = at(conf('global_defs {', ' vmac_prefix', '}'), 2);
    expect(found.map((d) => d.rule)).toEqual(['missing-argument']);
    expect(found[0]!.message).toContain('stops reading the configuration here');
  });

  it('a keyword already known to need its value says what keepalived then does', () => {
    const found = at(conf('vrrp_instance VI_1 {', ' priority', '}'), 2);
    expect(found.map((d) => d.rule)).toEqual(['missing-argument']);
    expect(found[0]!.message).toMatch(/needs a number from 1 to 255: keepalived reports .* stops reading/);
  });

  it('a value keepalived takes as optional stays quiet', () => {
    expect(at(conf('global_defs {', ' max_auto_priority', '}'), 2)).toEqual([]);
    expect(at(conf('global_defs {', ' lvs_flush_on_stop', '}'), 2)).toEqual([]);
  });

  it('every entry of the table is a known keyword, and reaches the schema', () => {
    const paths = Object.keys(emptyValues.values);
    expect(paths.length).toBeGreaterThan(200);
    for (const path of paths) expect(keywordAt(path)?.emptyValue, path).toBeDefined();
  });
});
