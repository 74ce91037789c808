import { apiReadsScenario } from './scenarios/api-reads.ts';
const r = await apiReadsScenario.run({ workers: 1, log: (m) => console.error(m) });
console.log(r.sections.join('\n\n'));
process.exit(0);
