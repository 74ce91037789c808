// `npm run bench [-- <scenario>...]`: runs the benchmark scenarios (all, or those named) and prints
// the machine and one markdown table per scenario. See BENCHMARKS.md.
import { describeMachine } from './support/machine.ts';
import { installSignalCleanup } from './support/environment.ts';
import { apiReadsScenario } from './scenarios/api-reads.ts';
import { deliveryScenario } from './scenarios/delivery.ts';
import { importScenario } from './scenarios/import.ts';
import { lateMarksScenario } from './scenarios/late-marks.ts';
import { nationalScenario } from './scenarios/national.ts';
import { webScenario } from './scenarios/web.ts';
import type { Scenario } from './scenarios/types.ts';

const scenarios: Scenario[] = [importScenario, lateMarksScenario, deliveryScenario, apiReadsScenario, webScenario];
/** Run only when named: it starts a cluster of its own and takes the machine for an hour at full scale. */
const namedOnly: Scenario[] = [nationalScenario];

function workerCount(): number {
  const text = process.env.BENCH_WORKERS;
  if (!text) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_WORKERS must be a whole number from 1, got "${text}"`);
  return n;
}

const names = process.argv.slice(2);
const unknown = names.filter((n) => ![...scenarios, ...namedOnly].some((s) => s.name === n));
if (unknown.length > 0 || names.includes('--help')) {
  console.error(
    `usage: npm run bench [-- <scenario>...]\n\nscenarios:\n${[...scenarios, ...namedOnly].map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join('\n')}`,
  );
  process.exit(unknown.length > 0 ? 2 : 0);
}

installSignalCleanup();
const chosen = names.length > 0 ? [...scenarios, ...namedOnly].filter((s) => names.includes(s.name)) : scenarios;
const workers = workerCount();
const log = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const tuning = Object.entries(process.env)
  .filter(([k]) => k.startsWith('DONDOC_WORKER_'))
  .map(([k, v]) => `${k}=${v}`);

console.log(`# Đôn đốc benchmarks, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n`);
for (const line of await describeMachine()) console.log(`- ${line}`);
console.log(
  `- worker processes: ${workers} (BENCH_WORKERS); worker tuning: ${tuning.length > 0 ? tuning.join(' ') : 'defaults'}`,
);

let failed = false;
for (const scenario of chosen) {
  log(`scenario ${scenario.name}: ${scenario.description}`);
  console.log(`\n## ${scenario.name}\n\n${scenario.description}\n`);
  try {
    const result = await scenario.run({ workers, log });
    console.log(result.sections.join('\n\n'));
  } catch (error) {
    failed = true;
    console.log(`Failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
