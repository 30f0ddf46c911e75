// A minimal test runner for the extension host: tests run in order, each with a timeout; the summary is
// printed and, when KEEPALIVED_E2E_REPORT names a file, also written there as JSON (the code-server driver
// reads it). No mocha needed, so the bundle runs the same under code-server and @vscode/test-electron.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

type TestFn = () => Promise<void> | void;
interface Test {
  name: string;
  fn: TestFn;
  timeoutMs: number;
}
export interface TestResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
  note?: string;
}

const tests: Test[] = [];
let currentNotes: string[] = [];

/** Registers a test; tests run in registration order and may build on earlier ones. */
export function test(name: string, fn: TestFn, timeoutMs = 30_000): void {
  tests.push({ name, fn, timeoutMs });
}

/** Adds a line to the report of the running test (shown next to its name). */
export function note(text: string): void {
  currentNotes.push(text);
}

/** Thrown by a test to mark itself as not applicable in this editor, with the reason. */
export class Skip extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function fail(message: string): never {
  throw new Error(message);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

export function assertEqual<T>(actual: T, expected: T, message: string): void {
  if (actual !== expected)
    fail(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/**
 * Resolves with the value of `probe` once it is defined, re-checking after every `event` and every
 * `pollMs` (some changes, such as an extension becoming active, fire no event); rejects after `timeoutMs`.
 */
export function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  options: { event?: vscode.Event<unknown>; timeoutMs?: number; pollMs?: number } = {},
): Promise<T> {
  const { event, timeoutMs = 20_000, pollMs = 100 } = options;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const subscription = event?.(() => check());
    const poll = setInterval(() => check(), pollMs);
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))),
      timeoutMs,
    );
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      subscription?.dispose();
      clearInterval(poll);
      clearTimeout(timer);
      settle();
    }
    function check(): void {
      if (done) return;
      try {
        const value = probe();
        if (value !== undefined) finish(() => resolve(value));
      } catch (e) {
        finish(() => reject(e instanceof Error ? e : new Error(String(e))));
      }
    }
    check();
  });
}

/** Runs every registered test; resolves with the results (never rejects). */
export async function runAll(): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const t of tests) {
    const started = Date.now();
    currentNotes = [];
    let result: TestResult;
    try {
      await withTimeout(Promise.resolve().then(t.fn), t.timeoutMs, t.name);
      result = { name: t.name, status: 'passed', ms: Date.now() - started };
    } catch (e) {
      const skipped = e instanceof Skip;
      result = {
        name: t.name,
        status: skipped ? 'skipped' : 'failed',
        ms: Date.now() - started,
        error: skipped ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e),
      };
    }
    if (currentNotes.length) result.note = currentNotes.join('; ');
    results.push(result);
    const mark = result.status === 'passed' ? '✓' : result.status === 'skipped' ? '-' : '✗';
    console.log(`  ${mark} ${t.name} (${result.ms} ms)${result.note ? ` — ${result.note}` : ''}`);
    if (result.error) console.log(`      ${result.error.split('\n').join('\n      ')}`);
  }
  return results;
}

/** Entry point shape both runners call: resolves when every test passed, rejects otherwise. */
export async function runSuite(title: string): Promise<void> {
  console.log(`keepalived e2e: ${title} (VS Code ${vscode.version})`);
  const started = Date.now();
  const results = await runAll();
  const failed = results.filter((r) => r.status === 'failed');
  const summary = {
    title,
    vscodeVersion: vscode.version,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: failed.length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    ms: Date.now() - started,
    results,
  };
  console.log(
    `keepalived e2e: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped in ${summary.ms} ms`,
  );
  const reportPath = process.env.KEEPALIVED_E2E_REPORT;
  if (reportPath) writeFileSync(reportPath, JSON.stringify(summary, null, 2));
  if (failed.length || results.length === 0) {
    throw new Error(
      `${failed.length} of ${results.length} extension-host tests failed: ${failed.map((f) => f.name).join(', ')}`,
    );
  }
}
