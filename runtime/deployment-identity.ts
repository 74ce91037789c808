import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Database } from '../db/client.ts';
import type { deploymentMarkerWorkflow } from '../workflows/deployment-marker.ts';
import { ensureSearchAttributes } from './search-attributes.ts';

/**
 * A deployment is one database and one Temporal namespace used together. Each holds the same
 * random id: the database in the one-row table `dondoc_deployment`, the namespace in the memo of a
 * workflow that never ends (`dondoc-deployment`, workflows/deployment-marker.ts). Every process
 * compares them at start, and refuses to run on a pair that does not belong together: otherwise a
 * fresh database would adopt the workflows that another database's plans started (their ids are
 * the business keys), and a database whose namespace was lost would wait for ever on workflows
 * that no longer exist.
 */
export const DEPLOYMENT_MARKER_ID = 'dondoc-deployment';
const MARKER_TYPE = 'deploymentMarkerWorkflow';
/** The workflow types whose presence shows that a namespace already serves some database. */
const OUR_WORKFLOW_TYPES = ['assignmentWorkflow', 'planReportsWorkflow'];
/** Serialises the creation of the table between processes starting together. */
const TABLE_LOCK = 0x646f6e65; // "done"

export class DeploymentMismatch extends Error {}

export interface DeploymentIdentity {
  deploymentId: string;
  /** This start paired a database and a namespace that had no id yet. */
  adopted: boolean;
}

function pgCode(error: unknown): string | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Creates the table if it is not there. Needs the right to create tables, so `dondoc migrate` (the
 * database's owner) runs it; processes that run as a role without it find the table made already.
 */
export async function ensureDeploymentTable(db: Database): Promise<void> {
  const { rows } = await db.execute<{ present: boolean }>(
    sql`select to_regclass('public.dondoc_deployment') is not null as present`,
  );
  if (rows[0]?.present) return;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${TABLE_LOCK})`);
      await tx.execute(sql`
        create table if not exists public.dondoc_deployment (
          singleton boolean primary key default true check (singleton),
          deployment_id uuid not null,
          created_at timestamptz not null default now(),
          confirmed_at timestamptz
        )`);
    });
  } catch (error) {
    if (pgCode(error) === '42501')
      throw new Error(
        'The database has no table dondoc_deployment and this role may not create it: run `dondoc migrate` ' +
          "with the database owner's DATABASE_URL first.",
        { cause: error },
      );
    throw error;
  }
}

interface Recorded {
  deploymentId: string;
  confirmed: boolean;
}

async function readDatabase(db: Database): Promise<Recorded | undefined> {
  const { rows } = await db.execute<{ deployment_id: string; confirmed: boolean }>(
    sql`select deployment_id::text as deployment_id, confirmed_at is not null as confirmed from public.dondoc_deployment`,
  );
  const row = rows[0];
  return row ? { deploymentId: row.deployment_id, confirmed: row.confirmed } : undefined;
}

interface Marker {
  deploymentId: string;
  running: boolean;
}

async function readNamespace(client: Client): Promise<Marker | undefined> {
  try {
    const description = await client.workflow.getHandle(DEPLOYMENT_MARKER_ID).describe();
    const id = description.memo?.deploymentId;
    if (typeof id !== 'string')
      throw new DeploymentMismatch(
        `The Temporal namespace "${client.options.namespace}" has a workflow "${DEPLOYMENT_MARKER_ID}" that is not ` +
          "Đôn đốc's deployment marker (no deploymentId in its memo). Use a namespace of its own for Đôn đốc.",
      );
    return { deploymentId: id, running: description.status.name === 'RUNNING' };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

async function startMarker(client: Client, taskQueue: string, deploymentId: string): Promise<void> {
  await client.workflow.start<typeof deploymentMarkerWorkflow>(MARKER_TYPE, {
    workflowId: DEPLOYMENT_MARKER_ID,
    taskQueue,
    args: [{ deploymentId }],
    memo: { deploymentId },
    // Two processes adopting together start it once; a marker someone terminated is started anew.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

/** Whether the database holds any plan (false too before the migrations made the table). */
async function databaseHasPlans(db: Database): Promise<boolean> {
  try {
    const { rows } = await db.execute<{ any: boolean }>(sql`select exists (select 1 from public.plans) as any`);
    return Boolean(rows[0]?.any);
  } catch (error) {
    if (pgCode(error) === '42P01') return false;
    throw error;
  }
}

/** Whether the namespace holds workflows of Đôn đốc; undefined when its visibility store cannot tell. */
async function namespaceHasWorkflows(client: Client): Promise<boolean | undefined> {
  try {
    const query = OUR_WORKFLOW_TYPES.map((type) => `WorkflowType = '${type}'`).join(' OR ');
    return (await client.workflow.count(query)).count > 0;
  } catch {
    return undefined;
  }
}

/**
 * Compares the deployment ids of the database and the namespace, pairs them when neither has one
 * yet, and throws `DeploymentMismatch` (its message says what to do) when they do not belong
 * together; first it defines the search attributes our workflows set, if the namespace lacks them.
 * `where` names the two for that message: e.g. `{ database: 'DATABASE_URL', temporal:
 * 'namespace "default" at temporal:7233' }`.
 */
export async function checkDeploymentIdentity(options: {
  db: Database;
  client: Client;
  taskQueue: string;
  where: { database: string; temporal: string };
  warn?: (message: string) => void;
}): Promise<DeploymentIdentity> {
  const { db, client, taskQueue, where } = options;
  const fix =
    'Point DATABASE_URL and TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE at the database and the namespace that were used ' +
    'together, or start afresh with an empty database and a new namespace (for `npm start` without them: an ' +
    'empty DONDOC_DATA_DIR, or move the old one away).';
  const refuse = (what: string) =>
    new DeploymentMismatch(
      `The database (${where.database}) and the Temporal ${where.temporal} do not belong together: ${what} ` +
        `Starting would mix the workflows of one with the records of the other. ${fix}`,
    );

  await ensureDeploymentTable(db);
  // Every process passes here before its worker or API: the namespace gets what our workflows set.
  await ensureSearchAttributes(client);
  const recorded = await readDatabase(db);
  const marker = await readNamespace(client);

  if (recorded && marker) {
    if (recorded.deploymentId !== marker.deploymentId)
      throw refuse(
        `the database belongs to deployment ${recorded.deploymentId}, the namespace to deployment ${marker.deploymentId}.`,
      );
  } else if (recorded && recorded.confirmed) {
    throw refuse(
      `the database belongs to deployment ${recorded.deploymentId}, and the namespace has never served it (it has no ` +
        `"${DEPLOYMENT_MARKER_ID}" workflow: a new namespace, or one whose data was lost).`,
    );
  } else if (marker) {
    throw refuse(
      `the namespace belongs to deployment ${marker.deploymentId}, and the database has never been used with it ` +
        '(a new database, or one restored from before that deployment).',
    );
  } else if (!recorded) {
    // Neither has an id: a new deployment, or one from before the ids. The workflows tell.
    const [plans, workflows] = await Promise.all([databaseHasPlans(db), namespaceHasWorkflows(client)]);
    if (!plans && workflows)
      throw refuse(
        'the database has no plan while the namespace runs workflows of Đôn đốc, so those belong to another database.',
      );
    if (plans && workflows === false)
      options.warn?.(
        `The database holds plans, and the Temporal ${where.temporal} has no workflow of Đôn đốc: unless every ` +
          'one ended and was deleted after the retention period, this is not the namespace they ran on.',
      );
  }

  // Pair them (or finish a pairing that was interrupted): the database first, so that two processes
  // adopting at once agree on its id.
  await db.execute(
    sql`insert into public.dondoc_deployment (deployment_id) values (${randomUUID()}::uuid) on conflict do nothing`,
  );
  const deploymentId = (await readDatabase(db))!.deploymentId;
  if (!marker || !marker.running) await startMarker(client, taskQueue, deploymentId);
  const now = await readNamespace(client);
  if (now?.deploymentId !== deploymentId)
    throw refuse(
      `the namespace was paired with deployment ${now?.deploymentId} by another process at the same moment ` +
        `as this database (${deploymentId}).`,
    );
  const adopted = !recorded?.confirmed;
  if (adopted)
    await db.execute(sql`update public.dondoc_deployment set confirmed_at = now() where confirmed_at is null`);
  return { deploymentId, adopted };
}
