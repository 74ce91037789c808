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

// The layers (docs/ARCHITECTURE.md): who may import whom. Each entry is one folder's rule; a folder
// matched by two entries gets the later one only, so nested folders repeat their parent's groups.
const layer = (message, groups) => ({ group: groups, message });
const noDoors = layer('services/ is the application: it knows neither door (api/, cli/) nor the processes.', [
  '**/api/**',
  '**/api',
  '**/cli/**',
  '**/processes/**',
  'fastify',
  'fastify-*',
  '@fastify/*',
]);
const apiRules = [
  layer('api/ and cli/ are two doors into services/; neither imports the other.', ['**/cli/**', '**/processes/**']),
];
const envRule = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: 'Configuration is read once, in runtime/config.ts.' },
  ],
};

const noClock = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: 'domain/ takes time as a parameter.',
};

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'db/migrations/', 'coverage/', 'web/dist/'] },
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
    files: ['bin/**/*.js', 'services/**/*.js', 'test/**/*.js', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    // The web app: TypeScript run by browsers (bundled by esbuild), type-checked by web/tsconfig.json
    // in strict mode; it talks to the server only through the public API, so it imports nothing
    // outside web/.
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/services/**', '**/domain/**', '**/db/**', 'node:*'],
              message: 'web/ uses only the public API.',
            },
          ],
        },
      ],
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
      'no-restricted-syntax': ['error', noClock],
    },
  },
  {
    // Uploaded tables can have millions of rows or cells: spreading them into a call's arguments
    // overflows the stack (Math.max(...rows)), so these readers never spread into a call.
    files: ['domain/appendix/**/*.ts', 'domain/agencies/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noClock,
        {
          selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
          message: 'No argument spreading over input-sized arrays in the appendix and agency readers: loop instead.',
        },
      ],
    },
  },
  {
    files: ['services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDoors] }], ...envRule },
  },
  {
    files: ['api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: apiRules }] },
  },
  {
    // Routes call services; the queries live there.
    files: ['api/routes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...apiRules,
            layer('Routes run no queries: call a service.', ['**/db/**', 'drizzle-orm', 'drizzle-orm/*', 'pg']),
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('api/ and cli/ are two doors into services/; neither imports the other.', ['**/api/**', '**/api']),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        ...envRule['no-restricted-properties'].slice(1),
        ...['stdout', 'stderr'].map((property) => ({
          object: 'process',
          property,
          message:
            "The command line writes through cli/output.ts, so that a test can run it in the test's own process.",
        })),
      ],
    },
  },
  {
    files: ['cli/output.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['bench/**/*.ts', 'chaos/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('Benchmarks and the chaos run call services/, or start the API as its own process.', [
              '**/api/**',
              '**/cli/**',
            ]),
          ],
        },
      ],
    },
  },
  {
    // The cluster starts Đôn đốc's APIs and workers as the command line does (bin/dondoc.js), never
    // by importing them: what runs there is what a province runs.
    files: ['cluster/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              'cluster/ starts the API and the worker as their own processes; it imports neither, nor the application.',
              ['**/api/**', '**/cli/**', '**/processes/**', '**/worker/**', '**/services/**'],
            ),
          ],
        },
      ],
      ...envRule,
    },
  },
  {
    // Activities are the workflows' side effects: they may know workflow types, never workflow code.
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/workflows/**'],
              allowTypeImports: true,
              message: 'activities/ may import types from workflows/, never its code.',
            },
            {
              group: ['**/api/**', '**/cli/**', '**/processes/**'],
              message: 'activities/ run in the worker: no doors.',
            },
            {
              group: ['**/services/**'],
              allowTypeImports: true,
              message: 'activities/ may take the types of the ports services/ defines (a FileStore), never its code.',
            },
          ],
        },
      ],
      ...envRule,
    },
  },
  {
    // runtime/ is plumbing beneath the doors and the worker: it implements the ports services/
    // defines (the file store, the invitation mailer) and hands activities their dependencies, so it
    // knows their types and the file store's contract, nothing else of theirs.
    files: ['runtime/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/api', '**/cli/**', '**/processes/**', '**/worker/**'],
              message: 'runtime/ sits beneath the doors, the worker and the processes: it imports none of them.',
            },
            {
              group: ['**/services/**', '!**/services/file-store.ts', '**/activities/**', '**/workflows/**'],
              allowTypeImports: true,
              message:
                'runtime/ may take types from services/, activities/ and workflows/ (and the file store contract), never their code.',
            },
          ],
        },
      ],
      ...envRule,
    },
  },
  {
    // The one reader of the environment.
    files: ['runtime/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // db/ is the schema and the connections: only domain/ types and rules above it.
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('db/ imports nothing of the project but domain/.', [
              '**/api/**',
              '**/cli/**',
              '**/processes/**',
              '**/worker/**',
              '**/runtime/**',
              '**/services/**',
              '**/activities/**',
              '**/workflows/**',
            ]),
          ],
        },
      ],
      ...envRule,
    },
  },
  {
    // worker/ builds a Temporal worker from the workflows, the activities and runtime's plumbing.
    files: ['worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('worker/ is assembled by processes/ and knows no door nor the application.', [
              '**/api/**',
              '**/cli/**',
              '**/processes/**',
              '**/services/**',
            ]),
          ],
        },
      ],
      ...envRule,
    },
  },
  {
    // processes/ assemble everything, but read their settings from runtime/config.ts like the rest.
    files: ['processes/**/*.ts', 'api/**/*.ts', 'cli/**/*.ts'],
    rules: envRule,
  },
);
