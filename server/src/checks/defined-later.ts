// defined-after-use: a line names a tracked object that is only defined further down, so keepalived,
// which looks the name up as it reads the line (analysis/lookup-order.ts), does not find it and ignores
// the line. The finding words keepalived's message and its consequence, and offers to move the
// definition's block above the block that names it when that is a plain move within one file.
import type { ConfigModel } from '../analysis/model';
import type { PlacedStatement, SymbolDefinition, SymbolReference } from '../analysis/types';
import type { Statement } from '../syntax/ast';
import type { FileFinding, Fix } from './finding';
import { KIND_LABEL } from '../analysis/symbols';

/** keepalived's message for a name it does not find, and what follows, by where the name is written. */
function said(
  ref: SymbolReference,
  owner: { keyword: string; name: string } | undefined,
): { message: string; consequence: string } {
  const who = owner ? `(${owner.name}) ` : '';
  const tracker = owner?.keyword === 'vrrp_sync_group' ? 'the sync group' : (owner?.name ?? 'the instance');
  const tracked = (noun: string) => ({
    message: `${who}track ${noun} ${ref.name} not found, ignoring...`,
    consequence: `${tracker} does not track it: its priority and state no longer follow it, so the VIP does not move when it fails`,
  });
  switch (ref.kind) {
    case 'vrrp_script':
      return tracked('script');
    case 'vrrp_track_process':
      return tracked('process');
    case 'track_file':
      if (ref.placed?.role === 'keyword')
        // FILE_CHECK's track_file (check_file.c l.53-70): the checker then has no file and is dropped.
        return {
          message: `track_file ${ref.name} not found`,
          consequence:
            'this FILE_CHECK is left without a file and dropped ("FILE_CHECK has no track_file specified - ignoring"), so the real server\'s weight no longer follows the file',
        };
      return tracked('file');
    case 'bfd_instance':
      if (ref.placed?.role === 'keyword')
        return {
          message: `BFD_CHECK - BFD ${ref.name} not configured`,
          consequence: 'this BFD_CHECK follows no BFD session',
        };
      return tracked('bfd');
    default:
      return {
        message: `track_group ${ref.name} not found`,
        consequence: 'the line is not tied to the group',
      };
  }
}

/** The block a referencing line is in, named: the vrrp_instance or vrrp_sync_group of a track block. */
function ownerOf(
  placedOf: (s: Statement | undefined) => PlacedStatement | undefined,
  ref: SymbolReference,
): { keyword: string; name: string; statement: Statement } | undefined {
  let at = ref.placed?.parent;
  for (let depth = 0; at && depth < 8; depth++) {
    const p = placedOf(at);
    if (!p) return undefined;
    const keyword = p.spec?.name;
    if (keyword === 'vrrp_instance' || keyword === 'vrrp_sync_group' || keyword === 'virtual_server')
      return { keyword, name: p.expandedArgs[0] ?? at.args[0]?.value ?? '', statement: at };
    at = p.parent;
  }
  return undefined;
}

/**
 * Moves the definition's block to just before the top-level block holding the reference: only for a
 * definition written as plain text in the same file, with no `$` (its parameters would be read before
 * their definitions there) and no template syntax.
 */
function moveFix(model: ConfigModel, ref: SymbolReference, def: SymbolDefinition): Fix | undefined {
  if (def.file !== ref.file || def.placed?.expansionOf || ref.placed?.expansionOf) return undefined;
  const file = model.files.get(def.file);
  if (!file || file.tree.template) return undefined;
  const top = file.tree.statements.find((s) => s.start <= ref.span.start && ref.span.start <= s.end);
  if (!top || !file.tree.statements.includes(def.statement) || top.start >= def.statement.start)
    return undefined;
  const lines = file.lines;
  const from = lines.lineStart(lines.positionAt(def.statement.start).line);
  const lastLine = lines.positionAt(def.statement.end).line;
  const to = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : file.text.length;
  const block = file.text.slice(from, to);
  // The block has its lines to itself: nothing before it on its first line, at most a comment after it.
  const after = file.text.slice(def.statement.end, to).trim();
  if (file.text.slice(from, def.statement.start).trim() !== '' || (after !== '' && !/^[#!]/.test(after)))
    return undefined;
  if (block.includes('$')) return undefined;
  const at = lines.lineStart(lines.positionAt(top.start).line);
  const text = block.endsWith('\n') ? block : block + file.eol;
  return {
    title: `Move ${KIND_LABEL[def.kind]} '${def.name}' above the block that names it`,
    preferred: true,
    edits: [
      { start: at, end: at, newText: text + file.eol },
      { start: from, end: to, newText: '' },
    ],
  };
}

export function definedLaterFinding(
  model: ConfigModel,
  placedOf: (s: Statement | undefined) => PlacedStatement | undefined,
  ref: SymbolReference,
  def: SymbolDefinition,
): FileFinding {
  const owner = ownerOf(placedOf, ref);
  const { message, consequence } = said(ref, owner);
  const file = model.files.get(def.file);
  const line = (file?.lines.positionAt(def.span.start).line ?? 0) + 1;
  const where = def.file === ref.file ? `line ${line}` : `${def.file}, line ${line}`;
  const fix = moveFix(model, ref, def);
  return {
    file: ref.file,
    rule: 'defined-after-use',
    message: `${KIND_LABEL[def.kind]} '${ref.name}' is defined only further down (${where}): keepalived reads the configuration once, from the top, and looks this name up when it reads this line, so it reports "${message}" and ${consequence}. Define it above the ${owner ? `${owner.keyword} that names it` : 'line that names it'}.`,
    ...ref.span,
    fixes: fix ? [fix] : undefined,
  };
}
