// Whether a keyword's first release is newer than the targeted keepalived version. compareVersions()
// parses both strings on every call; the reader and the keyword checks ask once per line, always about
// the same few strings (the schema's `since` values and one target), so each answer is kept.
import { compareVersions } from '../schema/version';

const answers = new Map<string, boolean>();

export function newerThan(since: string, target: string): boolean {
  const key = `${since} ${target}`;
  let newer = answers.get(key);
  if (newer === undefined) answers.set(key, (newer = compareVersions(since, target) > 0));
  return newer;
}
