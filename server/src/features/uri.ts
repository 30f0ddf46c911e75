// File paths inside, URIs at the LSP edge. Non-file URIs (untitled:, vscode-remote:) are kept as they are,
// used as the path, so unsaved buffers still work (they just cannot include relative files).
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string): string {
  return path.startsWith('/') ? pathToFileURL(path).href : path;
}
