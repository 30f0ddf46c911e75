// The browser language server's files: it cannot read any, so it asks (`keepalived/readFiles`, see
// server/src/web/protocol.ts, whose types are repeated here: the client shares no module with the
// server) and this answers from the editor's file system, vscode.workspace.fs (the GitHub repository in
// github.dev, the mounted folder in tests).
import * as vscode from 'vscode';

export const READ_FILES = 'keepalived/readFiles';

interface FileFacts {
  uri: string;
  kind: 'file' | 'dir' | 'other' | 'missing';
  size: number;
  text?: string;
  names?: string[];
}

/** As the server's decodeConfig: UTF-8 when the bytes are UTF-8, else one character per byte (Latin-1). */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

async function factsOf(uri: string, maxBytes: number): Promise<FileFacts> {
  try {
    const target = vscode.Uri.parse(uri, true);
    const stat = await vscode.workspace.fs.stat(target);
    if (stat.type & vscode.FileType.Directory) {
      const names = (await vscode.workspace.fs.readDirectory(target)).map(([name]) => name);
      return { uri, kind: 'dir', size: 0, names };
    }
    if (!(stat.type & vscode.FileType.File)) return { uri, kind: 'other', size: stat.size };
    if (stat.size > maxBytes) return { uri, kind: 'file', size: stat.size };
    return { uri, kind: 'file', size: stat.size, text: decode(await vscode.workspace.fs.readFile(target)) };
  } catch {
    return { uri, kind: 'missing', size: 0 };
  }
}

/** The answer to one `keepalived/readFiles` request. */
export async function readFiles(params: unknown): Promise<{ files: FileFacts[] }> {
  const p = (params ?? {}) as { uris?: unknown; maxBytes?: unknown };
  const uris = Array.isArray(p.uris) ? p.uris.filter((u): u is string => typeof u === 'string') : [];
  const maxBytes = typeof p.maxBytes === 'number' ? p.maxBytes : 0;
  return { files: await Promise.all(uris.map((uri) => factsOf(uri, maxBytes))) };
}
