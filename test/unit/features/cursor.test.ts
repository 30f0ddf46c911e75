import { describe, expect, it } from 'vitest';
import { analyzeText, type AnalyzedFile, type PlacedStatement } from '../../../server/src/analysis/document';
import { cursorContext, whatIsAt } from '../../../server/src/features/cursor';
import { fileView } from '../../../server/src/features/file-view';
import type { Span, Statement } from '../../../server/src/syntax/ast';
import { conf } from '../../helpers';

// The cursor questions answer from a view built once per file (features/file-view.ts). These are the
// answers of walking every line, as they were computed before it: both must agree at every offset.
const within = (span: Span, offset: number): boolean => offset >= span.start && offset <= span.end;

function walkedStatement(file: AnalyzedFile, offset: number) {
  let placed: PlacedStatement | undefined;
  let word;
  for (const p of file.placed) {
    if (p.expansionOf) continue;
    const s = p.statement;
    if (s.start > offset) break;
    const w = [s.keyword, ...s.args].find((x) => within(x, offset));
    if (w) [placed, word] = [p, w];
    else if (!word && file.lines.positionAt(s.start).line === file.lines.positionAt(offset).line) placed = p;
  }
  const def = file.model.symbols.definitions.find((d) => d.file === file.path && within(d.span, offset));
  const ref = file.model.symbols.references.find((r) => r.file === file.path && within(r.span, offset));
  return { placed, word, symbol: def ?? ref };
}

function walkedBlock(file: AnalyzedFile, offset: number): Statement | undefined {
  let best: Statement | undefined;
  const visit = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      const b = s.block;
      if (!b) continue;
      if (b.open < offset && offset <= (b.close ?? Infinity) && (!best || b.open > best.block!.open))
        best = s;
      visit(b.statements);
    }
  };
  visit(file.tree.statements);
  for (const stray of file.tree.strayBlocks) visit(stray.statements);
  return best;
}

function expectSameAsWalking(text: string): AnalyzedFile {
  const file = analyzeText('/etc/keepalived/keepalived.conf', text);
  const placedOf = new Map(file.placed.map((p) => [p.statement, p]));
  for (let offset = 0; offset <= text.length + 1; offset++) {
    const at = whatIsAt(file, offset);
    const walked = walkedStatement(file, offset);
    expect([at.placed, at.word, at.symbol?.item], `whatIsAt ${offset}`).toEqual([
      walked.placed,
      walked.word,
      walked.symbol,
    ]);
    const ctx = cursorContext(file, file.lines.positionAt(offset));
    const owner = walkedBlock(file, offset);
    if (ctx && owner?.block && placedOf.get(owner)?.spec?.block === 'keywords')
      expect(ctx.path, `cursorContext ${offset}`).toBe(placedOf.get(owner)!.spec!.path);
  }
  return file;
}

describe('cursor questions from the per-file view', () => {
  it('agree with walking every line in nested blocks, value blocks and `$` definitions', () => {
    const file = expectSameAsWalking(
      conf(
        '$IF=eth0',
        '$MULTI=one \\',
        '  two',
        'vrrp_script chk { script "/bin/true" }',
        '@a vrrp_instance VI_1 {',
        '  interface $IF',
        '  virtual_ipaddress {',
        '    192.0.2.1/24 dev eth0',
        '  }',
        '  track_script {',
        '    chk',
        '  }',
        '}',
        'virtual_server 192.0.2.1 80 {',
        '  real_server 192.0.2.2 80 { weight 1 }',
        '  real_server 192.0.2.3 80 {',
      ),
    );
    expect(fileView(file).nested).toBe(true);
  });

  it('agree with walking the tree when a stray block leaves the blocks out of order', () => {
    const text = conf('vrrp_instance A {', '  state MASTER', '}', '{', '  vrrp_instance B {', '  }', '}');
    const file = expectSameAsWalking(text + conf('vrrp_instance C {', '}'));
    expect(fileView(file).nested).toBe(false);
  });

  it('builds the view once per analysed file', () => {
    const file = analyzeText('/k.conf', conf('global_defs {', '  router_id a', '}'));
    expect(fileView(file)).toBe(fileView(file));
  });
});
