// What the analysis knows of config files without touching a disk: how their bytes decode, how a read
// can end, and which file names are keepalived configs. Reading them is the edge's (node/read.ts).
import { templateExtension } from '../syntax/templates';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string; tooLarge?: number };

/**
 * keepalived reads bytes. A file that is valid UTF-8 is read as UTF-8; any other file is read as Latin-1,
 * one character per byte, so offsets stay exact and writing it back as Latin-1 restores every byte.
 */
export function decodeConfig(bytes: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return { text, encoding: 'utf8' };
  return { text: bytes.toString('latin1'), encoding: 'latin1' };
}

/** File names a folder scan treats as keepalived configs. */
export function looksLikeConfigName(name: string): boolean {
  // A template (`.j2`, `.erb`, `.tmpl`, ...) only when its name says keepalived: other tools' templates
  // live in the same folders.
  return (
    name.endsWith('.conf') ||
    name.includes('keepalived.conf') ||
    (name.includes('keepalived') && templateExtension(name) !== undefined)
  );
}
