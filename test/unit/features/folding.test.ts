import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { foldingRanges } from '../../../server/src/features/folding';
import { conf } from '../../helpers';

const fold = (text: string) => foldingRanges(analyzeText('test.conf', text));

describe('foldingRanges', () => {
  it('folds each multi-line block from its { line to the line before }', () => {
    const text = conf(
      'vrrp_instance VI_1 {', // 0
      '  state MASTER', // 1
      '  track_script {', // 2
      '    chk', // 3
      '  }', // 4
      '  virtual_ipaddress { 10.0.0.1 }', // 5
      '}', // 6
      'vrrp_script chk', // 7
      '{', // 8
      '  script "true"', // 9
      '}', // 10
    );
    expect(fold(text)).toEqual([
      { startLine: 0, endLine: 5 },
      { startLine: 2, endLine: 3 },
      { startLine: 8, endLine: 9 },
    ]);
  });

  it('keeps a line that shares the } with content inside the fold, and folds unclosed blocks to their end', () => {
    const text = conf(
      'global_defs {',
      '  router_id A',
      '  script_user root }',
      'vrrp_instance X {',
      '  a',
      '  b',
    );
    expect(fold(text)).toEqual([
      { startLine: 0, endLine: 2 },
      { startLine: 3, endLine: 5 },
    ]);
    expect(fold('a { b }\nc {\n}\n')).toEqual([]);
  });

  it('folds runs of two or more comment-only lines', () => {
    const text = conf(
      '# one', // 0
      '! two', // 1
      '', // 2
      '# alone', // 3
      'global_defs {', // 4
      '    # three', // 5
      '    # four', // 6
      '    router_id A # not a comment line', // 7
      '    # five', // 8
      '}', // 9
    );
    expect(fold(text)).toEqual([
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 4, endLine: 8 },
      { startLine: 5, endLine: 6, kind: 'comment' },
    ]);
  });

  it('folds multi-line $NAME= definitions, not single-line ones', () => {
    const text = conf(
      '$ONE=1',
      '$BLOCK= \\',
      '  router_id A \\',
      '  script_user root',
      'global_defs {',
      '$BLOCK',
      '}',
    );
    expect(fold(text)).toEqual([
      { startLine: 1, endLine: 3 },
      { startLine: 4, endLine: 5 },
    ]);
  });

  it('folds stray blocks and never throws on garbage', () => {
    expect(fold('{\n  a\n}\n}\n{')).toEqual([{ startLine: 0, endLine: 1 }]);
    expect(() => fold('"\n{{{\n$A=\\\n')).not.toThrow();
  });
});
