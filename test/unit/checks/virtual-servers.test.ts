// What keepalived 2.2.7's checker drops once the configuration is read (check_data.c
// validate_check_config()), checked against keepalived -t by npm run test:parity:mutants ("removed
// required" mutants).
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const RULES = new Set(['virtual-server-no-real-server']);
const found = (text: string, configId?: string) =>
  lint(text, { configId })
    .filter((d) => RULES.has(d.rule))
    .map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity}`);

describe('virtual-server-no-real-server', () => {
  it('a virtual_server with only a sorry_server', () => {
    expect(
      found(conf('virtual_server 10.0.0.1 80 {', '  protocol TCP', '  sorry_server 10.0.0.9 80', '}')),
    ).toEqual(['1:virtual-server-no-real-server:warning']);
    expect(
      found(
        conf('virtual_server 10.0.0.1 80 {', '  protocol TCP', '  real_server 10.0.0.2 80 {', '  }', '}'),
      ),
    ).toEqual([]);
  });
});
