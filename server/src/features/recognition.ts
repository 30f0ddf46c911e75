// Which files are keepalived, beyond what their names say. Two custom notifications, so that any client
// can follow them (docs/editors.md):
// - `keepalived/includedFiles`: every file a keepalived configuration includes is keepalived, whatever its
//   name (`conf.d/chk_nginx.conf` next to keepalived.conf). Sent whenever the set changes.
// - `keepalived/notKeepalived`: a document opened as keepalived whose content is clearly another language
//   (nginx `server {`, systemd `[Unit]`) and that no configuration includes. The server publishes no
//   diagnostics for it; the client may hand it back to that language.
import { pathToUri } from './uri';
import type { ConfigModel } from '../analysis/model';

export const INCLUDED_FILES = 'keepalived/includedFiles';
export const NOT_KEEPALIVED = 'keepalived/notKeepalived';

export interface IncludedFilesParams {
  /** Included files, each with the configuration file that includes it (the first, by name). */
  files: { uri: string; includedBy: string }[];
}

export interface NotKeepalivedParams {
  uri: string;
  /** The language the content looks like, as a VS Code language id (`nginx`, `ini`). */
  languageId: string;
  reason: string;
}

/** The files the configurations include (not their roots), sorted, each once. */
export function includedFiles(models: readonly ConfigModel[]): IncludedFilesParams {
  const byFile = new Map<string, string>();
  for (const model of models) {
    for (const path of model.files.keys()) {
      if (path === model.root) continue;
      const known = byFile.get(path);
      if (known === undefined || model.root < known) byFile.set(path, model.root);
    }
  }
  const files = [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, root]) => ({ uri: pathToUri(path), includedBy: pathToUri(root) }));
  return { files };
}

/**
 * Another language, told by lines keepalived never has: an nginx `server {`, `location ... {`, `upstream
 * NAME {` or `http {` block, or a systemd/INI `[Section]` header. Only the first lines that are not blank or
 * comments are read (a few hundred), so this costs nothing on a large config.
 */
export function otherLanguage(text: string): { languageId: string; reason: string } | undefined {
  let seen = 0;
  for (const raw of text.split(/\r?\n/, 400)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    if (++seen > 200) break;
    if (/^(?:server|http|events|stream|upstream\s+\S+|location\s+[^{]*)\s*\{/.test(line))
      return { languageId: 'nginx', reason: `'${line}' is nginx configuration, not keepalived` };
    if (/^\[(?:Unit|Service|Install|Socket|Timer|Mount|Path)\]$/.test(line))
      return { languageId: 'ini', reason: `'${line}' is a systemd unit section, not keepalived` };
  }
  return undefined;
}
