// keepalived reads its configuration once per process: the parent and the VRRP, checker and BFD children
// (lib/parser.c, core/main.c global_init_keywords(), vrrp_init_keywords(), check_init_keywords(),
// bfd_init_keywords()). Each installs every top-level keyword, but only its own as active; a keyword that
// is not active is skipped by counting braces (process_stream(): skip_sublevel counts each '{' and '}' up
// to the one that brings it back to 0), without reading what is inside. The parent owns global_defs and
// the global one-liners; the children's own blocks are skipped by the parent (the VRRP child's by the
// checker too, and so on). As long as a block's braces pair the same way for its owner, this changes
// nothing. When they do not (a '{' its owner ignores: "Unexpected '{'"), the processes that skip the block
// go on skipping past the end its owner saw, and never read the top-level blocks there: a `global_defs`
// with an unknown `vrrp_script x {` in it hides every vrrp_instance after it from the VRRP process.
import type { KeywordSpec } from '../schema';

export type Process = 'parent' | 'vrrp' | 'checker' | 'bfd';
const PROCESSES: readonly Process[] = ['parent', 'vrrp', 'checker', 'bfd'];

/** The processes that read a top-level keyword's block as active, from the file of its handler. */
export function owners(spec: KeywordSpec): readonly Process[] {
  const source = spec.source;
  if (source.startsWith('keepalived/core/')) return ['parent'];
  if (source.startsWith('keepalived/vrrp/')) return ['vrrp'];
  if (source.startsWith('keepalived/check/')) return ['checker'];
  // init_bfd_keywords(true) in the VRRP and checker children too; the trackers in both of them.
  if (source.startsWith('keepalived/bfd/')) return ['vrrp', 'checker', 'bfd'];
  if (source.startsWith('keepalived/trackers/')) return ['vrrp', 'checker'];
  return [];
}

/** How many braces each process that skips a block still has to read before it reads lines again. */
export class ProcessSkips {
  private readonly depth = new Map<Process, number>(PROCESSES.map((p) => [p, 0]));

  /**
   * A top-level block opens: true when every process that owns it is still skipping an earlier block
   * (so no process reads it). The processes that do not own it start skipping it.
   */
  openTop(spec: KeywordSpec): boolean {
    const own = owners(spec);
    const unread = own.length > 0 && own.every((p) => this.depth.get(p)! > 0);
    for (const p of PROCESSES) {
      const d = this.depth.get(p)!;
      if (d > 0) this.depth.set(p, d + 1);
      else if (own.length && !own.includes(p)) this.depth.set(p, 1);
    }
    return unread;
  }

  /** Any other '{'. */
  open(): void {
    for (const [p, d] of this.depth) if (d > 0) this.depth.set(p, d + 1);
  }

  /** A '}'. */
  close(): void {
    for (const [p, d] of this.depth) if (d > 0) this.depth.set(p, d - 1);
  }
}
