// Paths for the analysis from the editor's URIs in the browser (vscode-vfs://github/owner/repo/x.conf,
// vscode-test-web://mount/x.conf): the first hierarchical URI seen (the workspace folder) fixes the
// scheme and authority, and a path is the URI's path under it, so `include conf.d/*.conf` resolves as it
// does on disk. URIs of any other place are kept whole as their path (like untitled: buffers on the
// desktop): they are analysed on their own and include nothing.

const HIERARCHICAL = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?$/i;

export class UriPaths {
  private base: string | undefined;

  toPath(uri: string): string {
    const m = HIERARCHICAL.exec(uri);
    if (!m) return uri;
    const base = `${m[1]!.toLowerCase()}://${m[2]!}`;
    this.base ??= base;
    if (base !== this.base) return uri;
    try {
      return decodeURIComponent(m[3] ?? '/');
    } catch {
      return uri;
    }
  }

  toUri(path: string): string {
    if (!path.startsWith('/') || this.base === undefined) return path;
    return this.base + path.split('/').map(encodeURIComponent).join('/');
  }
}
