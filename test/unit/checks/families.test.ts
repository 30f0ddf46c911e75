// The rule table is assembled from the families (checks/families.ts): each id is owned by one family.
import { describe, expect, it } from 'vitest';
import { FAMILIES, RULES } from '../../../server/src/checks/families';

describe('the rule families', () => {
  it('declare each rule id in one family only', () => {
    const owners = new Map<string, string[]>();
    for (const family of FAMILIES)
      for (const rule of family.rules) owners.set(rule.id, [...(owners.get(rule.id) ?? []), family.name]);
    const duplicates = [...owners].filter(([, names]) => names.length > 1);
    expect(duplicates).toEqual([]);
    expect(RULES.size).toBe(FAMILIES.reduce((n, f) => n + f.rules.length, 0));
  });

  it('have distinct names', () => {
    const names = FAMILIES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
