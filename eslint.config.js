// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/graphql/__generated__/', 'examples/frontend/src/gql/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // CLIs print their banner for a person to read.
    files: ['src/main.ts', 'src/simulators/cli.ts', 'scripts/**', 'bench/**', 'examples/frontend/serve.ts'],
    rules: { 'no-console': 'off' },
  },
);
