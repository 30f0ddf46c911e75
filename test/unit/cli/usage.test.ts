// The CLI's help text states the limits the run applies, read from the constants that apply them.
import { describe, expect, it } from 'vitest';
import { MAX_FOLDER_FILES } from '../../../server/src/analysis/budget';
import { USAGE } from '../../../server/src/cli/options';

describe('keepalived-lint --help', () => {
  it('gives the folder limit with thousands separators, from MAX_FOLDER_FILES', () => {
    expect(MAX_FOLDER_FILES).toBe(5_000);
    expect(USAGE).toContain('more config files than are checked (5,000)');
  });
});
