import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));

/**
 * Histories recorded from real runs (RECORD_HISTORIES=1 npm test -- test/workflows test/api) and committed.
 * A change to the workflow that would break the workflows already running fails here. `v1-*` were
 * recorded before the workflow's first patches (`wf.patched`), `v2-*` before the plan fired the
 * report timers ('report-timers-by-plan'); they keep guarding those paths, and re-recording
 * overwrites only the others.
 */
describe('replaying committed histories against today’s workflow code', () => {
  it('replays every one without a determinism error', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(24);
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
});
