// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NO_SKIPPED_OR_FOCUSED_TESTS = {
  selector: 'CallExpression[callee.property.name=/^(skip|only)$/][callee.object.name=/^(it|test|describe)$/]',
  message: 'No skipped or focused tests.',
};

// One way to build an error (docs/api.md): the generic factories of libs/errors, or the area's own
// in domain/<area>.errors.ts, so that every code is sent with the fields ERROR_CATALOGUE lists.
const ERRORS_THROUGH_FACTORIES = {
  selector: "NewExpression[callee.name='DomainError']",
  message:
    "Build errors through the factories in libs/errors or the area's domain/<area>.errors.ts (docs/api.md), not with `new DomainError(`.",
};

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**', 'test/**'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'deploy/**', '**/*.cjs', '**/*.js'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A forgotten await on a write or a publish is a lost message: never allowed.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-syntax': ['error', NO_SKIPPED_OR_FOCUSED_TESTS, ERRORS_THROUGH_FACTORIES],
    },
  },
  {
    // Where errors are made: the shared factories, each area's factories, and the HTTP mapping.
    files: [
      'libs/errors/**',
      '**/domain/*.errors.ts',
      'apps/gateway/src/http/problem.filter.ts',
      ...TEST_FILES,
    ],
    rules: { 'no-restricted-syntax': ['error', NO_SKIPPED_OR_FOCUSED_TESTS] },
  },
  {
    files: TEST_FILES,
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // scripts/ and this file: plain ES modules run by Node itself, linted without type information
    // (they are in no tsconfig).
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: globals.node,
    },
  },
);
