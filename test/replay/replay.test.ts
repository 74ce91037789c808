import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const unreplayable = fileURLToPath(new URL('./unreplayable/', import.meta.url));

/**
 * Histories recorded from real runs (RECORD_HISTORIES=1 npm test -- test/workflows test/api) and committed.
 * A change to the workflow that would break the workflows already running fails here. `v1-*` were
 * recorded before the workflow's first patches (`wf.patched`), `v2-*` before the plan fired the
 * report timers ('report-timers-by-plan'), `unbatched-delivery-dispatcher` before the dispatcher
 * sent in batches ('delivery-sent-in-batches'), `batched-delivery-dispatcher` before it kept its
 * batches in flight one after another ('delivery-pipelined'); they keep guarding those paths, and re-recording
 * overwrites only the others (`delivery-sent`, a message's own workflow sending at once, can no
 * longer be recorded: a message sent at its first attempt has no workflow now). `first-task-query*` were queried in their first workflow task, which
 * the query split in two (test/workflows/first-task-query.test.ts).
 */
describe('replaying committed histories against today’s workflow code', () => {
  it('replays every one without a determinism error', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(30);
    async function* histories() {
      for (const file of files) {
        yield { workflowId: file.replace(/\.json$/, ''), history: JSON.parse(await readFile(`${dir}${file}`, 'utf8')) };
      }
    }
    const results: { workflowId: string; error?: unknown }[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories(),
    )) {
      results.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(results.map((r) => r.workflowId)).toEqual(files.map((f) => f.replace(/\.json$/, '')));
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
  });

  /*
   * first-task-query-before-fix.json was recorded from the code before 'patches-decided-at-start'
   * (test/workflows/first-task-query.test.ts, run on that code): a query reached the assignment's
   * first workflow task, so the worker completed that task right after its first local activity
   * (planSchedule) to answer it, and the patch marker 'record-assignment-in-task', asked only once
   * the activity's result came back, was recorded in the next task. Replay resolves the activity
   * from its marker while still in the first task, the workflow asks the patch there, the SDK has
   * not yet been told of a marker that lies in the next task and answers no (issuing no command),
   * and the marker then meets no command: TMPRL1100. No workflow code can replay it and the
   * histories above too: at that point the history has told the workflow exactly what a run
   * without the patch would have been told, and only the SDK can issue a patch's command. It stays
   * here as the bug itself; should an SDK upgrade replay it, this test says so.
   */
  it('a history the old code left with a query in its first task still fails, as the SDK does', async () => {
    const history = JSON.parse(await readFile(`${unreplayable}first-task-query-before-fix.json`, 'utf8'));
    const error = await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      history,
      'first-task-query-before-fix',
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeterminismViolationError);
    expect(String(error)).toContain(
      'Non-deprecated patch marker encountered for change record-assignment-in-task, but there is no corresponding change command',
    );
  });
});
