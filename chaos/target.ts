import type { Client } from '@temporalio/client';
import type { DatabaseHandle } from '../db/client.ts';
import type { RunningApi } from '../bench/support/api.ts';
import type { Fault } from './report.ts';

/**
 * What the chaos run faults: the dev server with one worker and one API (chaos/dev-server.ts), or
 * the cluster with two of each (chaos/cluster.ts). The plan, the load and the counts are the same.
 */
export interface ChaosTarget {
  client: Client;
  database: DatabaseHandle;
  /** The API the plan is imported and the contacts added through, with the coordinator's token. */
  api: RunningApi;
  /** The APIs the agencies' commands go to, in turn. */
  apiUrls: string[];
  /** When the first fault begins, for a given report instant (the set-up must be over 10 s before). */
  firstFaultAt(instant: number): number;
  /** When the agencies stop sending (the end of the last fault). */
  loadUntil(instant: number): number;
  /**
   * Runs the faults around the instant, recording each in `faults` and every part that died by
   * itself in `deaths`; resolves when the last fault has ended (its part back), with that time.
   */
  runFaults(options: { instant: number; loadFrom: number; faults: Fault[]; deaths: string[] }): Promise<number>;
  /** One sentence on the parts at the end (APIs answering, Temporal's state). */
  finalState(): Promise<string>;
}
