// keepalived version strings ("2.2", "2.2.7", "v2.4.3") compared component by component.
// A target given as X.Y means the oldest X.Y.* release, X.Y.0: a keyword added in a later patch release
// (e.g. 2.2.8) may be missing on a machine that runs X.Y (Debian 12 ships 2.2.7), so it is reported.
// Give the patch level (2.2.7) to accept exactly what that release knows.

export function parseVersion(text: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
}

/** > 0 when `a` is newer than `b`. Unparseable versions compare equal (never flag on a typo). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return 0;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
