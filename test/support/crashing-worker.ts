// A worker process that dies (SIGKILL to itself) right after the projection of a chosen change has
// committed: the workflow task that ran the write in the task never completes, as when the machine
// running the worker dies between the database's commit and the task's completion.
//
//   node bin/run-ts.js test/support/crashing-worker.ts
//
// Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, DATABASE_URL,
// WORKFLOW_BUNDLE (the tests' bundle) and CRASH_ON_CONTRIBUTION (the text of the contribution
// whose write is the last thing the process does).
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import { connectDatabase } from '../../db/client.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const crashOn = env('CRASH_ON_CONTRIBUTION');
const database = connectDatabase(env('DATABASE_URL'), { max: 2 });
const activities = createActivities({ db: database.db, calendar: await loadCalendar() });
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const worker = await Worker.create({
  connection,
  namespace: env('TEMPORAL_NAMESPACE'),
  taskQueue: env('TEMPORAL_TASK_QUEUE'),
  activities: {
    ...activities,
    recordAssignment: async (input: Parameters<typeof activities.recordAssignment>[0]) => {
      await activities.recordAssignment(input);
      if (input.snapshot.contributions.some((c) => c.text === crashOn)) process.kill(process.pid, 'SIGKILL');
    },
  },
  workflowBundle: { codePath: env('WORKFLOW_BUNDLE') },
});
console.log('polling');
await worker.run();
