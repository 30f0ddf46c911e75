// Parameters that lead back to themselves, judged by replaying keepalived's replace_param() (lib/parser.c):
// keepalived 2.2.7 -t hangs on the first two configs below and reads a garbled line on the third.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const cycles = (text: string) =>
  lint(text, { template: 'none' })
    .filter((d) => d.rule === 'parameter-cycle')
    .map(
      (d) =>
        `${d.range.start.line + 1}:${d.severity}:${/without the line growing/.test(d.message) ? 'hangs' : 'grows'}`,
    );

const rid = (...defs: string[]) => conf(...defs, 'global_defs {', ' router_id $A', '}');

describe('parameter-cycle', () => {
  it('a use that comes back unchanged hangs keepalived: an error on each line that uses it', () => {
    expect(cycles(rid('$A=${A}'))).toEqual(['3:error:hangs']);
    expect(cycles(rid('$A=$B', '$B=${A}'))).toEqual(['4:error:hangs']);
  });

  it('a use that grows stops at the line limit: a warning (keepalived reads the garbled line)', () => {
    expect(cycles(rid('$A=base', '$A=${A}x'))).toEqual(['4:warning:grows']);
    expect(cycles(rid('$A=${B}', '$B=x$A'))).toEqual(['4:warning:grows']);
  });

  it('uses the definitions in force at the line, and leaves chains and redefinitions alone', () => {
    expect(cycles(rid('$A=${B}', '$B=x'))).toEqual([]);
    // Redefined before the use: the line sees the plain value.
    expect(cycles(conf('$A=${A}', '$A=plain', 'global_defs {', ' router_id $A', '}'))).toEqual([]);
    // Used before the cycle is made.
    expect(cycles(conf('$A=plain', 'global_defs {', ' router_id $A', '}', '$A=${A}'))).toEqual([]);
  });
});
