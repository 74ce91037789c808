import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

// Every upload and every edit of a draft is read in a fresh thread (isolated-preview.ts). Loading
// the TypeScript readers through tsx in each thread cost about a second of transpiling and module
// loading per read, in production too. They are compiled once per process instead, into one
// CommonJS script the thread runs as it is (`eval`): nothing is written to disk, and the packages
// the readers use (exceljs, jszip, …) stay outside, required from where this project installed them.

const requireHere = createRequire(import.meta.url);

/** Packages are not bundled: each is required by its absolute path, so the script runs anywhere. */
const installedPackages: Plugin = {
  name: 'installed-packages',
  setup(compiler) {
    compiler.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path.startsWith('node:') ? { path, external: true } : { path: requireHere.resolve(path), external: true },
    );
  },
};

let compiled: Promise<string> | undefined;

/** The reading thread's script, compiled on first use. */
export function appendixThreadCode(): Promise<string> {
  compiled ??= build({
    entryPoints: [fileURLToPath(new URL('./appendix-thread.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [installedPackages],
  }).then(
    (result) => result.outputFiles[0]!.text,
    (error: unknown) => {
      compiled = undefined; // a later read tries again
      throw error;
    },
  );
  return compiled;
}
