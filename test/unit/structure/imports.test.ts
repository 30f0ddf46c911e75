// The module rules `npm run lint` enforces (scripts/check-imports.mjs): no import cycle, layers only
// import downwards, no I/O below the edge. Each rule is shown to catch what it is for, then the real
// source tree is held to all three.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import { importProblems, importsOf } from '../../../scripts/check-imports.mjs';

const problems = (files: Record<string, string>): string[] =>
  (importProblems as (files: Map<string, string>) => string[])(new Map(Object.entries(files)));

describe('check-imports', () => {
  it('finds every kind of import, type-only and dynamic ones included', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "export type { D } from './d';",
      "const e = await import('./e');",
      "type F = import('./f').F;",
      "import g = require('./g');",
    ].join('\n');
    expect((importsOf as (p: string, t: string) => string[])('x.ts', text)).toEqual([
      './a',
      './b',
      './c',
      './d',
      './e',
      './f',
      './g',
    ]);
  });

  it('reports a cycle, also one of type-only imports, and not a chain', () => {
    expect(
      problems({
        'server/src/analysis/a.ts': "import type { B } from './b';",
        'server/src/analysis/b.ts': "import type { C } from './c';",
        'server/src/analysis/c.ts': "import type { A } from './a';",
        'server/src/analysis/d.ts': "import { A } from './a';",
      }),
    ).toEqual([
      'import cycle: server/src/analysis/a.ts -> server/src/analysis/b.ts -> server/src/analysis/c.ts -> server/src/analysis/a.ts',
    ]);
    expect(problems({ 'server/src/syntax/x.ts': "import { y } from './x';" })).toEqual([
      'import cycle: server/src/syntax/x.ts -> server/src/syntax/x.ts',
    ]);
  });

  it('resolves folder imports to their index, so a cycle through a folder is seen', () => {
    expect(
      problems({
        'server/src/features/completion/index.ts': "import { args } from './args';",
        'server/src/features/completion/args.ts': "import type { Env } from '.';",
      }),
    ).toHaveLength(1);
  });

  it('reports a layer importing one above it (not one below), and the client sharing a server module', () => {
    expect(
      problems({
        'server/src/syntax/lexer.ts': "import type { KeywordSpec } from '../schema';",
        'server/src/schema/index.ts': "import type { Word } from '../syntax/ast';",
        'server/src/syntax/ast.ts': '',
        'server/src/checks/y.ts': "import type { Word } from '../syntax/ast';",
        'server/src/checks/x.ts': "import { hover } from '../features/hover';",
        'server/src/features/hover.ts': "import { lint } from '../checks/y';\nimport { run } from '../cli';",
        'server/src/cli.ts': "import { lint } from './checks/y';",
        'client/src/extension.ts': "import { run } from '../../server/src/cli';",
      }),
    ).toEqual([
      'server/src/syntax/lexer.ts: imports server/src/schema/index.ts: the syntax layer may not import the schema layer above it',
      'server/src/checks/x.ts: imports server/src/features/hover.ts: the checks layer may not import the features layer above it',
      'server/src/features/hover.ts: imports server/src/cli.ts: the features layer may not import the edge layer above it',
      'client/src/extension.ts: imports server/src/cli.ts: the client and the server share no module',
    ]);
  });

  it('reports the machine imported below the edge; the node adapters are at the edge', () => {
    expect(
      problems({
        'server/src/checks/x.ts': "import { statSync } from 'node:fs';\nimport { join } from 'node:path';",
        'server/src/features/y.ts': "import { userInfo } from 'os';",
        'server/src/analysis/fs.ts': "import { statSync } from 'node:fs';",
        'server/src/node/fs.ts': "import { statSync } from 'node:fs';",
        'server/src/server.ts': "import { readFileSync } from 'node:fs';",
      }),
    ).toEqual([
      "server/src/checks/x.ts: imports 'node:fs': I/O belongs at the edge (take it through a port)",
      "server/src/features/y.ts: imports 'os': I/O belongs at the edge (take it through a port)",
      "server/src/analysis/fs.ts: imports 'node:fs': I/O belongs at the edge (take it through a port)",
    ]);
  });

  it('finds nothing in the real source tree', () => {
    const root = join(__dirname, '../../..');
    const files: Record<string, string> = {};
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts'))
          files[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
      }
    };
    walk(join(root, 'server/src'));
    walk(join(root, 'client/src'));
    expect(Object.keys(files).length).toBeGreaterThan(50);
    expect(problems(files)).toEqual([]);
  });
});
