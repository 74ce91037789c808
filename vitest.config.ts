import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and a
// fresh PostgreSQL database from the global setup; `cluster` starts its own Temporal cluster and
// Đôn đốc's processes (cluster/), with no dev server. Forks, not threads: Temporal's native bridge
// crashes inside worker threads.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Several unit tests run the real command line, which starts Node and reads files: on a
          // busy two-core machine that alone can take more than the default five seconds.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/{workflows,replay,api,e2e,db,browser,delivery}/**/*.test.ts'],
          globalSetup: ['test/setup/global.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          testTimeout: 120_000,
          // The start builds the Temporal server with Go when it is not cached yet (.ci/run builds it
          // first), then starts nine processes on what may be two busy cores.
          hookTimeout: 30 * 60_000,
        },
      },
    ],
  },
});
