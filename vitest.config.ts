import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and a
// fresh PostgreSQL database from the global setup; `cluster` starts its own Temporal cluster and
// Đôn đốc's processes (cluster/), with no dev server. Forks, not threads: Temporal's native bridge
// crashes inside worker threads.
//
// Files run side by side: an integration file spends most of its time waiting on timers, the
// server and the database, and each has its own database, namespace and task queue, so three
// forks keep two cores busy (vitest's default on two cores is one fork, one file at a time).
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Several unit tests run the real command line, which starts Node and reads files: on a
          // busy two-core machine that alone can take more than the default five seconds.
          testTimeout: 30_000,
          // Building the API for its OpenAPI document, beside other files on two cores.
          hookTimeout: 60_000,
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
          // Nine processes of its own: after the other projects, alone on the machine.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          // The start builds the Temporal server with Go when it is not cached yet (.ci/run builds it
          // first), then starts nine processes on what may be two busy cores.
          hookTimeout: 30 * 60_000,
        },
      },
    ],
  },
});
