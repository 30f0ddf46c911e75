// The request the browser language server sends its client for files (the worker cannot read any):
// `keepalived/readFiles`. The client (client/src/web-files.ts, which repeats these types: the client
// shares no module with the server) answers from vscode.workspace.fs.

export const READ_FILES = 'keepalived/readFiles';

export interface ReadFilesParams {
  uris: string[];
  /** Text of a larger file is not sent (the analysis refuses it: MAX_FILE_BYTES). */
  maxBytes: number;
}

export interface FileFacts {
  uri: string;
  kind: 'file' | 'dir' | 'other' | 'missing';
  size: number;
  /** A file's text (of at most maxBytes), decoded as analysis/read.ts decodeConfig does. */
  text?: string;
  /** A folder's entry names. */
  names?: string[];
}

export interface ReadFilesResult {
  files: FileFacts[];
}
