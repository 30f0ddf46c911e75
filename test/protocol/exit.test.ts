// The server ends when its client is gone: the client's process (InitializeParams.processId), its parent
// process, or its stdin. Each test waits for the server's exit (or its stdout to close) with a timeout.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { SERVER, TestClient, uri } from './client';

const dir = mkdtempSync(join(tmpdir(), 'kl-exit-'));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref()),
  ]);
}

describe('server lifetime', () => {
  it('exits when the client process named in initialize is gone', async () => {
    const fakeClient = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)']);
    const client = new TestClient();
    try {
      await client.initialize(dir, fakeClient.pid ?? null);
      // A request in flight with a hostile option: it must neither hang the server nor keep it alive.
      await client.open(join(dir, 'a.conf'), 'vrrp_instance VI_1 {\nstate BACKUP\n}\n');
      void client
        .request('textDocument/formatting', {
          textDocument: { uri: uri(join(dir, 'a.conf')) },
          options: { tabSize: 2e8, insertSpaces: true },
        })
        .catch(() => undefined);
      fakeClient.kill('SIGKILL');
      expect(await within(client.exited, 15_000, 'the server exits')).not.toBeUndefined();
    } finally {
      fakeClient.kill('SIGKILL');
      client.kill();
    }
  });

  it('exits when its stdin closes', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      child.stdin.end();
      await within(exited, 15_000, 'the server exits');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits when its parent process dies, even though its stdin stays open and no processId was sent', async () => {
    // A parent that starts the server, reading a FIFO this test keeps open, and is then killed: the
    // server's stdin never closes, so only the watchdog can see that its parent is gone.
    const fifo = join(dir, 'stdin.fifo');
    execFileSync('mkfifo', [fifo]);
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'); const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(SERVER)}, '--stdio'], { stdio: [fs.openSync(${JSON.stringify(fifo)}, 'r'), 'inherit', 'ignore'] }); process.stderr.write(String(c.pid)); setInterval(() => {}, 1e6);`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let serverPid = '';
    parent.stderr.on('data', (d) => (serverPid += String(d)));
    const input = createWriteStream(fifo);
    const connection = createProtocolConnection(
      new StreamMessageReader(parent.stdout),
      new StreamMessageWriter(input),
    );
    connection.listen();
    // The server's stdout is the pipe's last writer once the parent is dead: its end is the server's exit.
    const closed = new Promise((resolve) => parent.stdout.on('end', resolve));
    try {
      const result = await connection.sendRequest('initialize', {
        processId: null,
        rootUri: uri(dir),
        capabilities: {},
      });
      expect(result).toHaveProperty('capabilities');
      parent.kill('SIGKILL');
      await within(closed, 15_000, 'the server exits');
    } finally {
      connection.dispose();
      input.destroy();
      parent.kill('SIGKILL');
      // Never leave a server behind, whatever happened.
      try {
        if (Number(serverPid) > 0) process.kill(Number(serverPid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
});
