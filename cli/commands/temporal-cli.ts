import { explainOptions, findTemporalCli, TemporalCliNotFound } from '../../runtime/temporal-cli.ts';

/**
 * `dondoc temporal-cli`: finds the Temporal CLI (building it with Go into the cache when needed)
 * and prints its path. CI runs it before the tests so a fresh clone reuses the cached build.
 */
export async function run(args: string[]): Promise<number> {
  try {
    const found = await findTemporalCli({
      log: (message) => console.error(message),
      allowDownload: args.includes('--allow-download'),
    });
    console.log(found.executable.type === 'existing-path' ? found.executable.path : found.source);
    return 0;
  } catch (error) {
    console.error(error instanceof TemporalCliNotFound ? error.message : `${String(error)}\n${explainOptions()}`);
    return 1;
  }
}
