#!/usr/bin/env node
// npm run fuzz [-- --count N --seed S ...]: seeded token- and byte-level mutants of real configurations
// (../shared/corpus and the bundled examples) through the engine in process, the CLI and the language
// server. It reports crashes (an exception, an internal-error exit, an invalid output, a server that dies
// or answers a request with an internal error), hangs (one input taking more than --hang-ms of both CPU and
// wall time in the engine; a run still going after 15 times that in wall time is stopped) and peak memory, and keeps
// each failing input under --out for reproduction. Exit 1 on any crash or hang. Nothing a configuration names is executed: the engine reads mutants from memory, and the CLI
// and the server only read files.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { random } from './random.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

const HELP = `usage: npm run fuzz -- [options]
  --count N          mutants to try (default 2000)
  --seed S           seed of the generator (default 1): the same seed tries the same inputs
  --cli-every N      also run every Nth mutant through dist/cli.js (default 50; 0 = never)
  --server-every N   also send every Nth mutant to dist/server.js over stdio (default 20; 0 = never)
  --max-bytes B      only mutate files up to B bytes (default 65536)
  --hang-ms MS       an engine run over this in both CPU and wall time is a hang (default 2000)
  --out DIR          where failing inputs are kept (default .fuzz/)
  --only TEXT        mutate only the seed files whose path contains TEXT (repeatable), e.g. devel/1173a
  --json             print the summary as JSON`;

function parseArgs(argv) {
  const o = {
    count: 2000,
    seed: 1,
    cliEvery: 50,
    serverEvery: 20,
    maxBytes: 65536,
    hangMs: 2000,
    out: join(ROOT, '.fuzz'),
    json: false,
    only: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const number = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} takes a whole number`);
      return v;
    };
    if (a === '--count') o.count = number();
    else if (a === '--seed') o.seed = number();
    else if (a === '--cli-every') o.cliEvery = number();
    else if (a === '--server-every') o.serverEvery = number();
    else if (a === '--max-bytes') o.maxBytes = number();
    else if (a === '--hang-ms') o.hangMs = number();
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--json') o.json = true;
    else if (a === '--only') o.only.push(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return o;
}

// ---- inputs ------------------------------------------------------------------------------------------

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, out);
    else if (st.isFile()) out.push(path);
  }
  return out;
}

/** Text files to mutate: the corpus (all folders, templates too) and the bundled examples. */
function seedFiles(maxBytes) {
  const files = walk(join(ROOT, 'examples'), []);
  const corpus = existsSync(CORPUS);
  if (corpus) walk(CORPUS, files);
  const texts = [];
  for (const path of files) {
    if (statSync(path).size > maxBytes) continue;
    const bytes = readFileSync(path);
    if (bytes.subarray(0, 8192).includes(0)) continue; // binary (archives, packages in devel/)
    texts.push({ path: relative(ROOT, path), text: bytes.toString('latin1') });
  }
  return { texts, corpus };
}

/** Words worth inserting: every keyword, and the shapes that once made the engine hang or crash. */
function dictionary() {
  const keywords = JSON.parse(readFileSync(join(ROOT, 'server/src/schema/keywords.json'), 'utf8')).map(
    (k) => k.name,
  );
  const special = [
    '{',
    '}',
    '{}',
    '"',
    '"unterminated',
    '#',
    '!',
    '\\',
    '$X',
    '${X}',
    '$X=${X}${X}',
    '$X=',
    '${_HASH}',
    'include *',
    'include conf.d/*.conf',
    'include /proc/kmsg',
    'include /proc/self/pagemap',
    'include /dev/zero',
    'include g/*a*a*a*a*ab',
    'include {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}',
    'include {1..100}{1..100}',
    'include keepalived.conf',
    '@a',
    '@^b',
    '@',
    '~SEQ(1,2,9999999)',
    '~SEQ(',
    'a'.repeat(5000),
    '0',
    '-1',
    '255',
    '256',
    '4294967296',
    '1e99',
    'NaN',
    '0x10',
    '192.0.2.1',
    '192.0.2.1/33',
    '::1',
    'fe80::1%eth0',
    '10.0.0.1-254',
    'root',
    'nobody',
    '"/bin/sh -c x"',
    '/tmp/x.sh',
    'weight',
    '-254',
    '\u0000',
    '\u001b[2J',
    '\u001b]0;title\u0007',
    '\r',
    '\t',
    'é',
    '\uFFFD',
    '{{ x }}',
    '{% if a %}',
    '<%= @x %>',
  ];
  return [...keywords, ...special];
}

/** One to four mutations of `text`: at the byte level (bits, bytes, slices, lines) or the token level. */
function mutate(text, rnd, dict, donors) {
  const int = (n) => Math.floor(rnd() * n);
  const pick = (list) => list[int(list.length)];
  let s = text;
  const n = 1 + int(4);
  for (let k = 0; k < n; k++) {
    const at = int(s.length + 1);
    switch (int(12)) {
      case 0: {
        // flip one bit of one character
        if (!s.length) break;
        const i = int(s.length);
        s = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << int(8))) + s.slice(i + 1);
        break;
      }
      case 1:
        s = s.slice(0, at) + String.fromCharCode(int(256)) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + int(40));
        break;
      case 3: {
        // duplicate a slice, sometimes many times
        const len = 1 + int(200);
        const times = rnd() < 0.1 ? 1 + int(200) : 1;
        s = s.slice(0, at) + s.slice(at, at + len).repeat(times + 1) + s.slice(at + len);
        break;
      }
      case 4:
        s = s.slice(0, at);
        break;
      case 5:
        s = s.slice(0, at) + pick(['\n', '{', '}', '"', '\\\n', '#', '!', '\u0000']) + s.slice(at);
        break;
      default: {
        // token level: words and braces with the blanks between them kept
        const tokens = s.split(/(\s+)/);
        const words = tokens.map((t, i) => i).filter((i) => tokens[i] && !/^\s+$/.test(tokens[i]));
        const i = words.length ? pick(words) : 0;
        const op = int(6);
        if (op === 0) tokens[i] = '';
        else if (op === 1) tokens[i] = `${tokens[i] ?? ''} ${tokens[i] ?? ''}`;
        else if (op === 2) tokens[i] = pick(dict);
        else if (op === 3 && words.length > 1) {
          const j = pick(words);
          [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
        } else if (op === 4) {
          // a token from another real file
          const donor = pick(donors).text.split(/\s+/).filter(Boolean);
          if (donor.length) tokens[i] = pick(donor);
        } else tokens[i] = `${tokens[i] ?? ''}\n${pick(dict)} ${pick(dict)}\n`;
        s = tokens.join('');
      }
    }
  }
  return s;
}

// ---- the engine, in a worker thread ------------------------------------------------------------------

if (!isMainThread) {
  const engine = createRequire(import.meta.url)(workerData.bundle);
  // The time of a run is the smaller of its wall time and its CPU time (user + system). On a machine busy
  // with other work the wall time of one input varies several-fold; on an idle one the CPU time counts
  // the garbage collector's helper threads too (process.cpuUsage() is the whole process) and can exceed
  // the wall time. An input over --hang-ms by both is slow whatever the machine is doing.
  const msSince = (cpu, wall) => {
    const d = process.cpuUsage(cpu);
    return Math.min((d.user + d.system) / 1000, performance.now() - wall);
  };
  parentPort.on('message', ({ id, text, positions }) => {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    try {
      const result = engine.fuzzOne(text, positions);
      parentPort.postMessage({ id, ms: msSince(cpu, wall), result });
    } catch (e) {
      parentPort.postMessage({ id, ms: msSince(cpu, wall), error: String(e?.stack ?? e) });
    }
  });
}

async function bundleEngine(dir) {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'fuzz-engine.cjs');
  await build({
    entryPoints: [join(ROOT, 'test/fuzz/engine.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

class EngineWorker {
  constructor(bundle) {
    this.bundle = bundle;
    this.start();
  }
  start() {
    const worker = new Worker(fileURLToPath(import.meta.url), {
      workerData: { bundle: this.bundle },
      resourceLimits: { maxOldGenerationSizeMb: 3072 },
    });
    this.worker = worker;
    this.pending = undefined;
    // Events of a worker already replaced (terminated after a hang) must not answer the next job.
    const answer = (m) => {
      if (this.worker === worker) this.pending?.resolve(m);
    };
    worker.on('message', answer);
    worker.on('error', (e) => answer({ error: `worker died: ${e?.stack ?? e}`, died: true }));
    worker.on('exit', (code) => answer({ error: `worker exited (${code})`, died: true }));
  }
  /** Resolves with the worker's answer, or with a hang after `killMs` (the worker is then restarted). */
  run(job, killMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        void this.worker.terminate();
        this.start();
        resolve({ ms: killMs, killed: true });
      }, killMs);
      this.pending = {
        resolve: (m) => {
          clearTimeout(timer);
          this.pending = undefined;
          if (m.died) this.start();
          resolve(m);
        },
      };
      this.worker.postMessage(job);
    });
  }
  stop() {
    return this.worker.terminate();
  }
}

// ---- the CLI ------------------------------------------------------------------------------------------

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Runs dist/cli.js on the mutant written to disk; returns a problem, or undefined. */
function cliCheck(dir, text, format) {
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, Buffer.from(text, 'latin1'));
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), '--format', format, file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) return `cli ${format}: ${r.error.message}`;
  if (r.status !== 0 && r.status !== 1)
    return `cli ${format}: exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 2000)}`;
  if (format === 'text' && CONTROL.test(r.stdout)) return 'cli text: output holds a control character';
  if (format !== 'text') {
    try {
      JSON.parse(r.stdout);
    } catch (e) {
      return `cli ${format}: output is not JSON (${e.message})`;
    }
  }
  return undefined;
}

// ---- the language server ------------------------------------------------------------------------------

class Server {
  constructor(folder) {
    this.folder = folder;
  }
  async start() {
    const rpc = createRequire(import.meta.url)('vscode-languageserver-protocol/node');
    this.child = spawn(process.execPath, [join(ROOT, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
    this.child.stderr.on('data', () => {});
    this.exit = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve(`server exited (${code ?? signal})`)),
    );
    this.connection = rpc.createProtocolConnection(
      new rpc.StreamMessageReader(this.child.stdout),
      new rpc.StreamMessageWriter(this.child.stdin),
    );
    this.diagnostics = new Map();
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      this.diagnostics.get(p.uri)?.(p);
    });
    this.connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.listen();
    const uri = pathToFileURL(this.folder).href;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'fuzz' }],
      capabilities: { workspace: { configuration: true } },
    });
    this.connection.sendNotification('initialized', {});
  }
  /** Sends one request; an internal error or no answer in time is a problem. */
  async request(method, params) {
    const answer = this.connection.sendRequest(method, params).then(
      () => undefined,
      (e) => (e?.code === -32603 ? `${method}: internal error: ${e.message}` : undefined),
    );
    return Promise.race([answer, this.exit, timeout(20_000, `${method}: no answer in 20 s`)]);
  }
  async check(i, text, rnd) {
    const uri = pathToFileURL(join(this.folder, `m${i}.conf`)).href;
    const published = new Promise((resolve) => this.diagnostics.set(uri, resolve));
    this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'keepalived', version: 1, text },
    });
    const lines = text.split('\n');
    const position = () => {
      const line = Math.floor(rnd() * lines.length);
      return { line, character: Math.floor(rnd() * ((lines[line]?.length ?? 0) + 2)) };
    };
    const doc = { textDocument: { uri } };
    const problems = [
      await Promise.race([
        published.then(() => undefined),
        this.exit,
        timeout(20_000, 'no diagnostics in 20 s'),
      ]),
      await this.request('textDocument/hover', { ...doc, position: position() }),
      await this.request('textDocument/completion', { ...doc, position: position() }),
      await this.request('textDocument/definition', { ...doc, position: position() }),
      await this.request('textDocument/documentSymbol', doc),
      await this.request('textDocument/semanticTokens/full', doc),
      await this.request('textDocument/formatting', { ...doc, options: { tabSize: 4, insertSpaces: true } }),
    ].filter(Boolean);
    this.connection.sendNotification('textDocument/didClose', doc);
    this.diagnostics.delete(uri);
    return problems[0];
  }
  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), timeout(5000, 'no shutdown')]);
      this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.child.kill();
  }
}

function timeout(ms, message) {
  return new Promise((resolve) => setTimeout(() => resolve(message), ms).unref());
}

// ---- the run ------------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist/cli.js')) || !existsSync(join(ROOT, 'dist/server.js')))
    throw new Error('dist/ is missing: run npm run build first (npm run fuzz does)');
  const seeds = seedFiles(o.maxBytes);
  const { corpus } = seeds;
  const texts = o.only.length
    ? seeds.texts.filter((t) => o.only.some((only) => t.path.includes(only)))
    : seeds.texts;
  if (texts.length === 0) throw new Error(`no seed file matches --only ${o.only.join(', ')}`);
  if (!corpus)
    console.log(`fuzz: ../shared/corpus not found: mutating the ${texts.length} bundled examples only`);
  const dict = dictionary();
  const work = mkdtempSync(join(tmpdir(), 'keepalived-fuzz-'));
  const serverFolder = join(work, 'server');
  const cliFolder = join(work, 'cli');
  mkdirSync(join(cliFolder, 'conf.d'), { recursive: true });
  mkdirSync(serverFolder);
  writeFileSync(
    join(cliFolder, 'conf.d', 'chk.conf'),
    'vrrp_script chk {\n  script "/usr/local/bin/chk"\n}\n',
  );
  const engine = new EngineWorker(await bundleEngine(work));
  const server = o.serverEvery ? new Server(serverFolder) : undefined;
  await server?.start();

  const rnd = random(o.seed);
  const stats = {
    inputs: 0,
    cli: 0,
    server: 0,
    crashes: [],
    hangs: [],
    slowestMs: 0,
    slowest: '',
    totalMs: 0,
  };
  const keep = (kind, i, seedFile, text, detail) => {
    mkdirSync(o.out, { recursive: true });
    const base = join(o.out, `${kind}-seed${o.seed}-${i}`);
    writeFileSync(`${base}.conf`, Buffer.from(text, 'latin1'));
    writeFileSync(`${base}.txt`, `from ${seedFile}\n${detail}\n`);
    return { input: i, from: seedFile, detail: detail.split('\n')[0], kept: relative(ROOT, `${base}.conf`) };
  };
  const started = performance.now();
  for (let i = 0; i < o.count; i++) {
    const seedFile = texts[Math.floor(rnd() * texts.length)];
    const text = mutate(seedFile.text, rnd, dict, texts);
    const positions = [0, 1, 2].map(() => Math.floor(rnd() * (text.length + 1)));
    stats.inputs++;
    const r = await engine.run({ id: i, text, positions }, Math.max(30_000, o.hangMs * 15));
    r.ms ??= 0;
    stats.totalMs += r.ms;
    if (r.ms > stats.slowestMs) [stats.slowestMs, stats.slowest] = [r.ms, seedFile.path];
    if (r.error) stats.crashes.push(keep('crash', i, seedFile.path, text, r.error));
    else if (r.killed || r.ms > o.hangMs)
      stats.hangs.push(
        keep(
          'hang',
          i,
          seedFile.path,
          text,
          r.killed
            ? `stopped after ${Math.round(r.ms / 1000)} s of wall time`
            : `${Math.round(r.ms)} ms of CPU and wall time`,
        ),
      );
    if (o.cliEvery && i % o.cliEvery === 0) {
      stats.cli++;
      const problem = cliCheck(cliFolder, text, ['json', 'text', 'sarif'][stats.cli % 3]);
      if (problem) stats.crashes.push(keep('cli', i, seedFile.path, text, problem));
    }
    if (server && i % o.serverEvery === 0) {
      stats.server++;
      const problem = await server.check(i, text, rnd);
      if (problem) {
        stats.crashes.push(keep('server', i, seedFile.path, text, problem));
        if (/exited/.test(problem)) await server.start();
      }
    }
  }
  await server?.stop();
  await engine.stop();
  rmSync(work, { recursive: true, force: true });
  const summary = {
    seed: o.seed,
    inputs: stats.inputs,
    throughCli: stats.cli,
    throughServer: stats.server,
    seedFiles: texts.length,
    crashes: stats.crashes.length,
    hangs: stats.hangs.length,
    engineMeanMs: Math.round((stats.totalMs / Math.max(1, stats.inputs)) * 10) / 10,
    engineSlowestMs: Math.round(stats.slowestMs),
    slowestFrom: stats.slowest,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    failures: [...stats.crashes, ...stats.hangs],
  };
  if (o.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(
      `fuzz: seed ${summary.seed}, ${summary.inputs} mutants of ${summary.seedFiles} files ` +
        `(${summary.throughCli} through the CLI, ${summary.throughServer} through the server) in ${summary.wallSeconds} s`,
    );
    console.log(
      `fuzz: ${summary.crashes} crashes, ${summary.hangs} hangs > ${o.hangMs} ms of CPU and wall time; engine mean ${summary.engineMeanMs} ms, ` +
        `slowest ${summary.engineSlowestMs} ms (${summary.slowestFrom}); peak RSS ${summary.peakRssMb} MB (engine worker included)`,
    );
    for (const f of summary.failures)
      console.log(`  input ${f.input} (from ${f.from}): ${f.detail}\n    kept in ${f.kept}`);
  }
  process.exitCode = summary.failures.length ? 1 : 0;
}

if (isMainThread)
  main().catch((e) => {
    console.error(`fuzz: ${e.message}`);
    process.exit(2);
  });
