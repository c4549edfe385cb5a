import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // domain/ is pure computation with time passed in: no file, network or process access, so every
    // formula can be tested from tables. Policy files are read in server/config/ and passed down.
    files: ['server/domain/**/*.ts'],
    ignores: ['server/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'server/domain is pure: do I/O in server/config (or the caller) and pass the values in.' },
            { regex: '^(fs|path|url|os|http|https|net|child_process)(/|$)', message: 'server/domain is pure: do I/O in server/config (or the caller) and pass the values in.' },
          ],
        },
      ],
    },
  },
  {
    // Config files are loaded by their tools, which expect a default export.
    files: ['vite.config.ts', 'vite.server.config.ts', 'vitest.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
