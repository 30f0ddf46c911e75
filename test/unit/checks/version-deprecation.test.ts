// A deprecated keyword is only deprecated from the version its replacement appeared in: before that the
// old spelling is the only one keepalived knows, and the fix to the replacement would break the config.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const rlimit = conf('global_defs {', '  vrrp_rlimit_rtime 10000', '}');
const onstop = conf('global_defs {', '  lvs_flush_onstop', '}');

describe('deprecations and the targeted version', () => {
  it('reports the old spelling, with the fix, from the version the replacement appeared in', () => {
    for (const version of [undefined, '2.1.0', '2.2.7']) {
      const [d] = lint(rlimit, { keepalivedVersion: version });
      expect(d?.rule, String(version)).toBe('deprecated-keyword');
      expect(d!.fixes?.[0]?.edits[0]?.newText).toBe('vrrp_rlimit_rttime');
    }
  });

  it('says nothing before it, where the replacement would be an unknown keyword', () => {
    expect(lint(rlimit, { keepalivedVersion: '2.0.20' })).toEqual([]);
    expect(lint(onstop, { keepalivedVersion: '2.1.5' })).toEqual([]);
    expect(lint(onstop, { keepalivedVersion: '2.2.0' }).map((d) => d.rule)).toEqual(['deprecated-keyword']);
  });

  it('never offers a fix that keepalived of the targeted version would reject', () => {
    // The fixed config, checked for the same version: no unsupported-keyword appears.
    for (const version of ['2.0', '2.1.0', '2.2.7']) {
      for (const text of [rlimit, onstop]) {
        for (const d of lint(text, { keepalivedVersion: version })) {
          const fix = d.fixes?.[0]?.edits[0];
          if (!fix) continue;
          const fixed = text.slice(0, fix.start) + fix.newText + text.slice(fix.end);
          expect(
            lint(fixed, { keepalivedVersion: version }).map((x) => x.rule),
            `${version}: ${fixed}`,
          ).not.toContain('unsupported-keyword');
        }
      }
    }
  });
});
