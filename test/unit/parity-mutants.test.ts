// The mutant generator of scripts/parity-mutants.mjs: seeded (the same seed, the same mutants) and each
// defect changes one line while keeping the line count, which the line-by-line comparison relies on.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { makeMutants } from '../../scripts/parity-mutants.mjs';

const CONFIG = `global_defs {
    router_id LVS_1

}
vrrp_script chk {
    script "/bin/true"
    interval 2
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100

    virtual_ipaddress {
        192.168.1.10/24
    }
    track_script {
        chk
    }
}
`;

interface Mutant {
  kind: string;
  neutral: boolean;
  line: number;
  count: number;
  text: string;
}

describe('parity mutants', () => {
  it('draws the same mutants from the same seed, and others from another', () => {
    const a = makeMutants([['x.conf', CONFIG]], 40, 7) as Mutant[];
    const b = makeMutants([['x.conf', CONFIG]], 40, 7) as Mutant[];
    const c = makeMutants([['x.conf', CONFIG]], 40, 8) as Mutant[];
    expect(a.map((m) => m.text)).toEqual(b.map((m) => m.text));
    expect(a.map((m) => m.text)).not.toEqual(c.map((m) => m.text));
  });

  it('changes exactly one line of a defect mutant, and makes every kind', () => {
    const mutants = makeMutants([['x.conf', CONFIG]], 60, 1) as Mutant[];
    const before = CONFIG.split('\n');
    for (const m of mutants.filter((x) => !x.neutral)) {
      const after = m.text.split('\n');
      expect(after.length).toBe(before.length);
      const changed = after.map((l, i) => (l === before[i] ? -1 : i)).filter((i) => i >= 0);
      // a removed block is blanked line by line, from its first line to its '}'
      expect(changed).toEqual(Array.from({ length: m.count }, (_, k) => m.line + k));
      if (m.count > 1) expect(changed.map((i) => after[i])).toEqual(changed.map(() => ''));
    }
    const kinds = new Set(mutants.map((m) => m.kind));
    for (const k of [
      'misspelt keyword',
      'bad IP',
      'undefined reference',
      'missing }',
      'comment',
      'reordered lines',
    ])
      expect(kinds).toContain(k);
    expect(mutants.find((m) => m.kind === 'bad IP')?.text).toContain('300.168.1.10/24');
    expect(mutants.find((m) => m.kind === 'undefined reference')?.text).toContain('chk_undefined');
  });

  it('removes what keepalived requires: a quoted script line, a whole real_server block', () => {
    const vs = `virtual_server 10.0.0.1 80 {
    real_server 10.0.0.2 80 {
        weight 1
    }
}
`;
    const mutants = makeMutants(
      [
        ['x.conf', CONFIG],
        ['vs.conf', vs],
      ],
      300,
      3,
    ) as (Mutant & { root: string })[];
    const removed = mutants.filter((m) => m.kind === 'removed required');
    expect(removed.some((m) => m.root === 'x.conf' && !m.text.includes('script "/bin/true"'))).toBe(true);
    const block = removed.find((m) => m.root === 'vs.conf');
    expect(block?.count).toBe(3);
    expect(block?.text).toBe('virtual_server 10.0.0.1 80 {\n\n\n\n}\n');
  });
});
