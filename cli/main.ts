import { readFileSync } from 'node:fs';
// Entry point of `dondoc` (npx dondoc …, npm run cli -- …). Each command lives in its own module,
// loaded only when asked for, so `dondoc schedule` does not load Temporal or the database.
const commands: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  start: {
    summary: 'run everything: Temporal dev server, database, worker and API',
    load: () => import('../processes/start.ts'),
  },
  worker: { summary: 'run the Temporal worker only', load: () => import('../processes/worker.ts') },
  api: { summary: 'run the HTTP API only', load: () => import('../processes/api.ts') },
  'temporal-cli': {
    summary: 'find (or build with Go) the Temporal CLI and print its path',
    load: () => import('./commands/temporal-cli.ts'),
  },
  migrate: { summary: 'apply database migrations', load: () => import('./commands/migrate.ts') },
  plan: { summary: 'plan preview FILE [--format text|csv|xlsx] [--json]', load: () => import('./commands/plan.ts') },
  agencies: {
    summary: 'agencies list|show|set|merge [--registry KEY]: read and edit an agency registry',
    load: () => import('./commands/agencies.ts'),
  },
  registries: {
    summary: 'registries list [--json]: the agency registries (provinces, central)',
    load: () => import('./commands/registries.ts'),
  },
  contacts: {
    summary: 'contacts list|add|remove: who receives notifications by e-mail or webhook',
    load: () => import('./commands/contacts.ts'),
  },
  schedule: {
    summary: 'schedule --due YYYY-MM-DD [...] [--json]: the events of one assignment',
    load: () => import('./commands/schedule.ts'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'usage: dondoc <command> [options]    (dondoc <command> --help for its options; dondoc --version)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (name === '--version' || name === '-V') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  process.stdout.write(`dondoc ${version}\n`);
} else if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
  // Asked for (or nothing asked): the usage is the answer, on stdout.
  process.stdout.write(`${usage()}\n`);
} else if (!command) {
  process.stderr.write(`dondoc: unknown command "${name}"\n\n${usage()}\n`);
  process.exitCode = 2;
} else {
  const module = await command.load();
  process.exitCode = await module.run(args);
}
