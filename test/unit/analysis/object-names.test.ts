// Instances and sync groups are known by the names keepalived stores: after `$PARAM` expansion and per
// pass of a `~SEQ` loop (lib/parser.c replaces parameters as it reads each line, before any handler).
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { objectsOf } from '../../../server/src/analysis/objects';
import { lintFile } from '../../../server/src/checks';
import { conf } from '../../helpers';

const objects = (text: string) => objectsOf(analyzeText('/x/keepalived.conf', text).model);

describe('object names', () => {
  it('a vrrp_instance and a sync group named by parameters, members too', () => {
    const o = objects(
      conf(
        '$N=VI_1',
        '$G=SG',
        'vrrp_instance $N {',
        '    interface eth0',
        '    virtual_router_id 1',
        '}',
        'vrrp_sync_group ${G} {',
        '    group {',
        '        $N',
        '    }',
        '}',
      ),
    );
    expect(o.instances.map((i) => i.name)).toEqual(['VI_1']);
    expect(o.syncGroups.map((g) => [g.name, g.members.map((m) => m.name)])).toEqual([['SG', ['VI_1']]]);
  });

  it('one name per pass of a ~SEQ loop', () => {
    const o = objects(
      conf(
        '$I=vrrp_instance VI_${ID} { \\',
        '    interface eth0 \\',
        '    virtual_router_id ${ID} \\',
        '}',
        '~SEQ(ID,1,3) $I',
      ),
    );
    expect(o.instances.map((i) => [i.name, i.vrid])).toEqual([
      ['VI_1', 1],
      ['VI_2', 2],
      ['VI_3', 3],
    ]);
  });

  it('two instances whose names expand alike are one name twice', () => {
    const instance = (name: string, vrid: number) => [
      `vrrp_instance ${name} {`,
      '    interface eth0',
      `    virtual_router_id ${vrid}`,
      '}',
    ];
    const found = lintFile(
      analyzeText('/x/keepalived.conf', conf('$N=VI_1', ...instance('$N', 1), ...instance('VI_1', 2))),
    );
    expect(found.filter((d) => d.rule === 'duplicate-definition').map((d) => d.range.start.line + 1)).toEqual(
      [6],
    );
  });
});
