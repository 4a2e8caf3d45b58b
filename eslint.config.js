// ESLint (typescript-eslint) over the whole tree, run by `npm run lint` (part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'demo-dist/',
      'coverage/',
      'test-results/',
      '.devcarry/',
      '.scratch/',
      'bench/results*',
      'docs/api/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, Deno: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The public API may not use `any`; tests and tools may, where a value's type is the point of the test.
    files: ['test/**', 'bench/**', 'scripts/**', 'demo/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
