// Lint: typescript-eslint's recommended rules on all TypeScript; the sim gets extra determinism rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'client/dist/**', 'data/**', 'migrations/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/sim/**/*.ts', 'shared/kubectl/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The sim is deterministic: use shared/sim/prng.ts.' },
        { object: 'Date', property: 'now', message: 'The sim has no wall clock: use state.t (sim seconds).' },
        { object: 'performance', property: 'now', message: 'The sim has no wall clock.' },
      ],
      'no-restricted-imports': ['error', { patterns: ['node:*', '@colyseus/*', 'phaser', 'fastify', 'drizzle-orm*', 'pg'] }],
    },
  },
);
