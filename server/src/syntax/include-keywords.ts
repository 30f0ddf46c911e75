// The first words that make a line an include line (lib/parser.c is_include(): `include` and `include`
// followed by one of r, m, w, b, a). They are syntax: keepalived recognises them before it splits braces or
// expands parameters, so the lexer needs them. What each variant makes an error is schema data, kept in
// schema/vocabulary.ts INCLUDE_VARIANTS, whose record per keyword the compiler requires.
export const INCLUDE_KEYWORDS = [
  'include',
  'includer',
  'includem',
  'includew',
  'includeb',
  'includea',
] as const;

export type IncludeKeyword = (typeof INCLUDE_KEYWORDS)[number];

export function isIncludeKeyword(word: string): word is IncludeKeyword {
  return (INCLUDE_KEYWORDS as readonly string[]).includes(word);
}
