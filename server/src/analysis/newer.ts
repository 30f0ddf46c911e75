// Whether a keyword's first release is newer than the targeted keepalived version. compareVersions()
// parses both strings on every call; the reader and the keyword checks ask once per line, always about
// the same few strings (the schema's `since` values and one target), so each answer is kept.
import { compareVersions } from '../schema/version';

/** By target, then by `since`. */
const answers = new Map<string, Map<string, boolean>>();

export function newerThan(since: string, target: string): boolean {
  let byTarget = answers.get(target);
  if (!byTarget) answers.set(target, (byTarget = new Map<string, boolean>()));
  let newer = byTarget.get(since);
  if (newer === undefined) byTarget.set(since, (newer = compareVersions(since, target) > 0));
  return newer;
}
