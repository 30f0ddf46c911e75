// The tool's version, in one place: package.json's, the release npm publishes. esbuild inlines the one
// field into each bundle, so `--version`, the LSP serverInfo and SARIF's driver all say the same.
import { version } from '../../package.json';

export const TOOL_VERSION: string = version;
