import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { KEYWORDS, keywordAt, keywordsIn, lookupKeyword } from '../../../server/src/schema';
import { configAround } from '../../sample-config';

const inventoryPath = join(__dirname, '../../../../shared/reference/keywords.json');

describe('schema', () => {
  it('has all 531 keywords of keepalived 2.4.3, each path once', () => {
    expect(KEYWORDS).toHaveLength(531);
    expect(new Set(KEYWORDS.map((k) => k.path)).size).toBe(531);
  });

  it('matches keepalived’s keyword inventory path for path (when ../shared is present)', () => {
    const available = existsSync(inventoryPath);
    const inventory: { path: string }[] = available ? JSON.parse(readFileSync(inventoryPath, 'utf8')) : [];
    if (available) expect(KEYWORDS.map((k) => k.path).sort()).toEqual(inventory.map((k) => k.path).sort());
    expect(available || KEYWORDS.length === 531).toBe(true);
  });

  it('gives every keyword a doc with summary, syntax and example', () => {
    const missing = KEYWORDS.filter((k) => !k.doc?.summary || !k.doc.syntax || !k.doc.example).map(
      (k) => k.path,
    );
    expect(missing).toEqual([]);
  });

  it('documents each keyword in exactly one of the docs tables, and nothing that is not a keyword', () => {
    const tables = ['global', 'vrrp', 'lvs', 'checkers'].map(
      (name) =>
        JSON.parse(
          readFileSync(join(__dirname, `../../../server/src/schema/docs/${name}.json`), 'utf8'),
        ) as object,
    );
    const paths = tables.flatMap((t) => Object.keys(t));
    expect(paths.length).toBe(new Set(paths).size);
    expect(paths.sort()).toEqual(KEYWORDS.map((k) => k.path).sort());
  });

  it('links every keyword to an existing parent block that opens a keyword table', () => {
    for (const k of KEYWORDS) {
      if (k.parent === '') continue;
      expect(keywordAt(k.parent)?.block, k.path).toBe('keywords');
    }
  });

  it('finds keywords by block and name', () => {
    expect(lookupKeyword('vrrp_instance', 'priority')?.args).toMatchObject({ kind: 'int', min: 1, max: 255 });
    expect(lookupKeyword('', 'priority')).toBeUndefined();
    expect(keywordsIn('vrrp_script').map((k) => k.name)).toContain('user');
  });

  it('accepts every keyword in its own block with valid arguments, without any error', () => {
    const failures: string[] = [];
    for (const k of KEYWORDS) {
      const text = configAround(k.path);
      const errors = lintFile(analyzeText('all.conf', text)).filter((d) => d.severity === 'error');
      if (errors.length)
        failures.push(`${k.path}: ${errors.map((e) => `${e.rule} ${e.message}`).join('; ')}\n${text}`);
    }
    expect(failures).toEqual([]);
  });

  it('records the keywords keepalived 2.2.7 lacks, so version targeting can flag them', () => {
    const newer = KEYWORDS.filter((k) => k.since && !/^(0|1|2\.[01]\.|2\.2\.[0-7]$)/.test(k.since)).map(
      (k) => k.path,
    );
    expect(newer).toContain('vrrp_instance/auth_hmac');
    expect(newer).toContain('global_defs/vrrp_delay_after_boot');
    expect(newer.length).toBeGreaterThanOrEqual(30);
  });
});
