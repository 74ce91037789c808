import { runCli } from './run.ts';

// Entry point of `dondoc`: the command line of this process, its exit code (cli/run.ts).
process.exitCode = await runCli(process.argv.slice(2));
