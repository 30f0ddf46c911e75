// Extension-host test entry point (`extensionTestsPath`): the shape both runners call — code-server through
// the URL payload (scripts/e2e/run.sh) and @vscode/test-electron (test/e2e/run-electron.mjs).
import { runSuite } from './harness';
import './extension.e2e';
import './recognition.e2e';

export async function run(): Promise<void> {
  await runSuite('keepalived extension in VS Code');
}
