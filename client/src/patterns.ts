// File patterns both clients (desktop, extension.ts; web, web.ts) give VS Code. The server keeps its own
// copy of the watch patterns (server.ts CONFIG_PATTERNS: the client and the server share no module), and a
// protocol test (test/protocol/incremental.test.ts) holds the two equal.

/** File patterns of the keepalived language (kept in step with package.json contributes.languages). */
export const KEEPALIVED_GLOB =
  '{**/keepalived.conf,**/keepalived.conf.*,**/keepalived/**/*.conf,**/keepalived.d/**,**/keepalived.conf.d/**}';

/** keepalived config names whose changes on disk the server hears about: the names, not every file. */
export const KEEPALIVED_WATCH_PATTERNS = [
  '**/*.conf',
  '**/keepalived.conf*',
  '**/keepalived.d/**',
  '**/keepalived.conf.d/**',
] as const;

/**
 * The client's own watcher, one glob. Included files may have any name: the server registers watchers
 * for the folders its include lines read from (client/registerCapability), and an event rebuilds only
 * the configurations it touches.
 */
export const KEEPALIVED_WATCH_GLOB = `{${KEEPALIVED_WATCH_PATTERNS.join(',')}}`;
