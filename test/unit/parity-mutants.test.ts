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
      expect(changed).toEqual([m.line]);
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
});
