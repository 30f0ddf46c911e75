import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/e2e/out/**'] },
  ...tseslint.configs.recommended,
  {
    // Type-aware rules for everything TypeScript: they see what the types say (an `any` leaking in, an
    // assertion that changes nothing, a promise left floating, a switch that misses a case).
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A switch without `default` must name every member of its union, so a new member (an argument
      // kind, a rule category) cannot fall through silently; a `default` is a deliberate catch-all.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    // Tests read JSON output and the plain-JavaScript helpers in scripts/ (oracle.mjs), whose values are
    // `any` by nature; their assertions check the shapes.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
