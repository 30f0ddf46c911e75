import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { SEMANTIC_LEGEND, semanticTokens } from '../../../server/src/features/semantic-tokens';
import { LineIndex } from '../../../server/src/syntax/position';
import { conf } from '../../helpers';

/** Decodes the relative data into `line:char text type[.modifier...]` strings. */
function decode(text: string): string[] {
  const data = semanticTokens(analyzeText('test.conf', text));
  const lines = new LineIndex(text);
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dChar, length, type, bits] = data.slice(i, i + 5) as [
      number,
      number,
      number,
      number,
      number,
    ];
    char = dLine === 0 ? char + dChar : dChar;
    line += dLine;
    const word = lines.lineText(line).slice(char, char + length);
    const modifiers = SEMANTIC_LEGEND.tokenModifiers.filter((_, bit) => bits & (1 << bit));
    out.push([`${line}:${char} ${word} ${SEMANTIC_LEGEND.tokenTypes[type]}`, ...modifiers].join('.'));
  }
  return out;
}

describe('semanticTokens', () => {
  it('encodes tokens relative to the previous one', () => {
    // `state` is a keyword (0), `MASTER` an enum value (8); the second line starts again at its own column.
    const data = semanticTokens(analyzeText('t.conf', 'vrrp_instance VI_1 {\n  state MASTER\n}\n'));
    expect(data).toEqual([0, 0, 13, 1, 0, 0, 14, 4, 2, 1, 1, 2, 5, 0, 0, 0, 6, 6, 8, 0]);
  });

  it('marks declared names, block keywords, enum, number, string and comment tokens', () => {
    const text = conf(
      'vrrp_script chk_haproxy { # check',
      '  script "/bin/true"',
      '  interval 2',
      '}',
      'vrrp_instance VI_1 {',
      '  state BACKUP',
      '  nopreempt',
      '  notify_master /etc/notify.sh',
      '  track_script {',
      '    chk_haproxy weight -20',
      '  }',
      '  track_interface {',
      '    eth0',
      '  }',
      '}',
    );
    expect(decode(text)).toEqual([
      '0:0 vrrp_script namespace',
      '0:12 chk_haproxy class.declaration',
      '0:26 # check comment',
      '1:2 script keyword',
      '1:9 "/bin/true" string',
      '2:2 interval keyword',
      '2:11 2 number',
      '4:0 vrrp_instance namespace',
      '4:14 VI_1 class.declaration',
      '5:2 state keyword',
      '5:8 BACKUP enumMember',
      '6:2 nopreempt keyword',
      '7:2 notify_master keyword',
      '7:16 /etc/notify.sh string',
      '8:2 track_script namespace',
      '9:4 chk_haproxy class',
      '9:16 weight keyword',
      '9:23 -20 number',
      '11:2 track_interface namespace',
    ]);
  });

  it('marks references outside value blocks and sync group members', () => {
    const text = conf(
      'vrrp_sync_group G {',
      '  group {',
      '    VI_1 VI_2',
      '  }',
      '}',
      'virtual_server group VSG {',
      '  real_server 10.0.0.1 80 {',
      '    BFD_CHECK {',
      '      name bfd1',
      '    }',
      '  }',
      '}',
    );
    expect(decode(text)).toEqual([
      '0:0 vrrp_sync_group namespace',
      '0:16 G class.declaration',
      '1:2 group namespace',
      '2:4 VI_1 class',
      '2:9 VI_2 class',
      '5:0 virtual_server namespace',
      '5:21 VSG class',
      '6:2 real_server namespace',
      '6:23 80 number',
      '7:4 BFD_CHECK namespace',
      '8:6 name keyword',
      '8:11 bfd1 class',
    ]);
  });

  it('marks deprecated keywords, parameters, conditions, sequences and includes', () => {
    const text = conf(
      '$PRIO=100',
      '$BLOCK= \\',
      '  priority $PRIO \\',
      '  advert_int 1',
      '@lb1 global_defs {',
      '  lvs_flush_onstop true',
      '  router_id ${_INSTANCE}-x',
      '}',
      '~SEQ(i, 1, 2) vrrp_instance VI_$i {',
      '  $BLOCK',
      '  unknown_word 5',
      '}',
      'include /etc/keepalived/*.conf',
    );
    expect(decode(text)).toEqual([
      '0:0 $PRIO variable.declaration',
      '0:5 = operator',
      '1:0 $BLOCK variable.declaration',
      '1:6 = operator',
      '2:11 $PRIO variable',
      '4:0 @lb1 macro',
      '4:5 global_defs namespace',
      '5:2 lvs_flush_onstop keyword.deprecated',
      '6:2 router_id keyword',
      '6:12 ${_INSTANCE} variable.readonly',
      '8:0 ~SEQ(i, 1, 2) macro',
      '8:14 vrrp_instance namespace',
      '8:31 $i variable',
      '9:2 $BLOCK variable',
      '10:15 5 number',
      '12:0 include keyword',
      '12:8 /etc/keepalived/*.conf string',
    ]);
  });

  it('never emits overlapping, out-of-order or out-of-line tokens, even on garbage or real configs', () => {
    const corpus = join(__dirname, '../../../../shared/corpus');
    const texts = ['"\n{{}\n$A=\\\n\\\n@\n~SEQ(\n} x "y', '{ a { b } } }', '$A=\\\r\n x\r\n', ''];
    for (const folder of ['real', 'keepalived-samples', 'templates'].filter((f) =>
      existsSync(join(corpus, f)),
    ))
      for (const name of readdirSync(join(corpus, folder)))
        texts.push(readFileSync(join(corpus, folder, name), 'utf8'));
    for (const text of texts) {
      const data = semanticTokens(analyzeText('t.conf', text));
      const lines = new LineIndex(text);
      expect(data.length % 5).toBe(0);
      let line = 0;
      let char = 0;
      let end = 0;
      for (let i = 0; i < data.length; i += 5) {
        const [dLine, dChar, length] = data.slice(i, i + 3) as [number, number, number];
        if (dLine > 0) end = 0;
        line += dLine;
        char = dLine === 0 ? char + dChar : dChar;
        expect(char).toBeGreaterThanOrEqual(end);
        expect(length).toBeGreaterThan(0);
        expect(char + length).toBeLessThanOrEqual(lines.lineText(line).length);
        end = char + length;
      }
    }
  });
});
