import { defineConfig } from 'vitest/config';
import ProjectOrderSequencer from './test/setup/sequencer.ts';

// Three projects: `unit` needs nothing running; `integration` gets a real Temporal dev server and a
// fresh PostgreSQL database from the global setup; `cluster` starts its own Temporal cluster and
// Đôn đốc's processes (cluster/), with no dev server. Forks, not threads: Temporal's native bridge
// crashes inside worker threads.
//
// Files run side by side, four at a time (vitest's default on two cores is one), each fork one
// process for all its files (isolate: false): each integration file has its own database,
// namespace, task queue and worker. Most files wait on simulated time, so more forks than cores
// fill the cores: 945 s with two forks and a process per file, 640 s with two forks kept, 504 s
// with three; on another machine 477 s with three, 420 s with four and the cluster's test and the
// unit files first (test/setup/sequencer.ts), the CPU idle 18 % → 10 %.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 4,
    sequence: { sequencer: ProjectOrderSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure tests: one fork's modules serve all its files, rather than being loaded per file.
          isolate: false,
          // A few unit tests start Node (the real bin/dondoc.js, the appendix's reading thread): on a
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
          // One process per fork for all its files, as for the unit project: a new process per file
          // loaded Temporal's native runtime and every module again (seconds of each file's time).
          // Each file still has its own database, namespace, task queue and worker.
          isolate: false,
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
