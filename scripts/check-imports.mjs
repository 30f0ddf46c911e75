// Holds the module structure of server/src and client/src to three rules, as part of `npm run lint`:
// - no import cycle, type-only imports included (a cycle of types is still two modules that cannot be
//   understood one without the other);
// - layers: a module imports only from its own layer or a lower one, in the order
//   syntax -> schema -> analysis -> checks -> features -> edge (cli/, server*, main, settings, ...);
//   the VS Code client and the server share no module;
// - I/O only at the edges: modules below the edge do not import the machine (file system, accounts,
//   network, processes); the node adapters of the ports live at the edge (server/src/node/).
// It reads the files with the TypeScript parser only (no type checking), so it runs in a second.
// `node scripts/check-imports.mjs` prints each problem and exits 1 when there is one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Layers of server/src, lowest first; a file outside them (cli/, server.ts, ...) is at the edge. */
export const LAYERS = ['syntax', 'schema', 'analysis', 'checks', 'features'];
const EDGE = LAYERS.length;

/** Node modules that reach the machine; the core takes them through ports (FileSystem, HostInfo). */
const IO_MODULES = new Set(
  [
    'fs',
    'fs/promises',
    'os',
    'child_process',
    'worker_threads',
    'net',
    'http',
    'https',
    'dgram',
    'process',
  ].flatMap((m) => [m, `node:${m}`]),
);

/** Where a repository-relative file sits: its layer's rank, or the client. */
function placeOf(path) {
  if (path.startsWith('client/src/')) return { part: 'client', rank: EDGE };
  const top = path.slice('server/src/'.length).split('/');
  const rank = top.length > 1 ? LAYERS.indexOf(top[0]) : -1;
  return { part: 'server', rank: rank === -1 ? EDGE : rank, layer: rank === -1 ? 'edge' : top[0] };
}

/** The module specifiers a file imports or re-exports, static and dynamic, type-only ones included. */
export function importsOf(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier to the file it names among `known`, as TypeScript's bundler resolution would. */
function resolveSpecifier(from, specifier, known) {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  return [base, `${base}.ts`, `${base}/index.ts`].find((p) => known.has(p));
}

/**
 * Every problem in a set of files (repository-relative path -> text), as one line each. Only .ts files
 * under server/src and client/src take part.
 */
export function importProblems(files) {
  const known = new Set(files.keys());
  const graph = new Map();
  const problems = [];
  for (const [path, text] of files) {
    if (!path.endsWith('.ts')) continue;
    const here = placeOf(path);
    const edges = [];
    for (const specifier of importsOf(path, text)) {
      if (!specifier.startsWith('.')) {
        if (here.rank < EDGE && IO_MODULES.has(specifier))
          problems.push(`${path}: imports '${specifier}': I/O belongs at the edge (take it through a port)`);
        continue;
      }
      const target = resolveSpecifier(path, specifier, known);
      if (!target) continue; // package.json and the like: data, not a module of ours
      if (!target.endsWith('.ts')) continue;
      edges.push(target);
      const there = placeOf(target);
      if (here.part !== there.part) {
        problems.push(`${path}: imports ${target}: the client and the server share no module`);
      } else if (there.rank > here.rank) {
        problems.push(
          `${path}: imports ${target}: the ${here.layer} layer may not import the ${there.layer} layer above it`,
        );
      }
    }
    graph.set(path, edges);
  }
  for (const cycle of cyclesOf(graph)) problems.push(`import cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/**
 * The strongly connected components of more than one module (or a module importing itself), each as
 * one path around it, by Tarjan's algorithm without recursion.
 */
function cyclesOf(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && edges.includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(pathAround(component, graph));
    }
  }
  return components;
}

/** One cycle through a component's first module (by name), for the message. */
function pathAround(component, graph) {
  const members = new Set(component);
  const [first] = [...component].sort();
  // Breadth-first from `first` back to itself, inside the component.
  const previous = new Map();
  const queue = [first];
  while (queue.length) {
    const node = queue.shift();
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === first) {
        const path = [node];
        while (path[0] !== first) path.unshift(previous.get(path[0]));
        return [...path, first];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [first, first];
}

function sourceFiles(root) {
  const files = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts'))
        files.set(relative(root, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  for (const top of ['server/src', 'client/src']) walk(join(root, top));
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = importProblems(sourceFiles(root));
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('imports: no cycle, no layer crossed, no I/O below the edge.');
}
