// Lint: strict TypeScript rules plus the import directions of DESIGN.md §5 and an import-cycle check.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Folder → the project folders it must not import from (DESIGN.md §5). */
const forbidden = {
  'src/domain': ['src/protocol', 'src/app', 'src/storage', 'src/sync', 'src/ui', 'src/main.tsx', 'sync-server'],
  'src/protocol': ['src/domain', 'src/app', 'src/storage', 'src/sync', 'src/ui', 'src/main.tsx', 'sync-server'],
  'src/app': ['src/storage', 'src/sync', 'src/ui', 'src/main.tsx', 'sync-server'],
  'src/storage': ['src/sync', 'src/ui', 'src/main.tsx', 'sync-server'],
  'src/sync': ['src/storage', 'src/ui', 'src/main.tsx', 'sync-server'],
  'src/ui': ['src/storage', 'src/sync', 'src/protocol', 'src/main.tsx', 'sync-server'],
  'sync-server': ['src/app', 'src/storage', 'src/sync', 'src/ui', 'src/main.tsx'],
};

/** Folder → the only packages it may import (relative imports are governed by the zones above). */
const allowedPackages = {
  'src/domain': ['zod'],
  'src/protocol': ['zod'],
  'src/app': ['zod'],
  'src/storage': ['zod', 'dexie'],
  'src/sync': ['zod', 'yjs', 'y-websocket', 'y-protocols', 'lib0'],
};

/**
 * Escapes for the rule's `u`-flag regex, where `\-` outside a class is a syntax error (y-websocket).
 * @param {string} s
 */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'dev-dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json'] })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'no default exports (DESIGN.md §6)' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: Object.entries(forbidden).map(([target, from]) => ({
            target: `./${target}`,
            from: from.map((f) => `./${f}`),
            message: `${target} may not import this (DESIGN.md §5)`,
          })),
        },
      ],
    },
  },
  ...Object.entries(allowedPackages).map(([folder, packages]) => ({
    files: [`${folder}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!\\.|(${packages.map(escape).join('|')})(/|$))`,
              message: `${folder} may import only ${packages.join(', ')} and the project folders DESIGN.md §5 allows`,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'the engine takes time as an asOf argument' },
        { object: 'Math', property: 'random', message: 'the engine takes ids and randomness injected' },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB', 'fetch'],
    },
  },
  {
    files: ['eslint.config.js', 'vite.config.ts', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['bin/*.mjs', 'eslint.config.js'], languageOptions: { globals: { process: 'readonly' } } },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
