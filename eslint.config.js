import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'db/migrations/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node, no I/O, no environment.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'pg', 'pino', 'drizzle-orm', 'fastify'].map((name) => ({
            name,
            message: 'workflows/ runs in the Temporal sandbox: no Node built-ins or I/O libraries.',
          })),
          patterns: [
            { group: ['node:*'], message: 'workflows/ runs in the Temporal sandbox: no Node built-ins.' },
            { group: ['pino*', 'pg*', 'drizzle-orm*', '@fastify/*'], message: 'No I/O libraries in workflows/.' },
            {
              group: ['**/db/**', '**/db', '**/api/**', '**/api', '**/worker/**', '**/cli/**', '**/runtime/**'],
              message: 'workflows/ may import only @temporalio/workflow, domain/ and types from activities/.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Workflows never read the environment.' },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows never touch process.' }],
    },
  },
  {
    // domain/ is pure: no I/O and no clock.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs*',
                'node:net',
                'node:http*',
                'node:child_process',
                'fs',
                'fs/*',
                'pg*',
                'pino*',
                'drizzle-orm*',
                '@temporalio/*',
                'fastify*',
              ],
              message: 'domain/ is pure: no I/O.',
            },
            {
              group: [
                '**/db/**',
                '**/api/**',
                '**/worker/**',
                '**/activities/**',
                '**/workflows/**',
                '**/cli/**',
                '**/runtime/**',
              ],
              message: 'domain/ imports nothing of the project but domain/.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'domain/ takes time as a parameter.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain/ takes time as a parameter.',
        },
      ],
    },
  },
);
