import { condition } from '@temporalio/workflow';

export interface DeploymentMarkerInput {
  /** The deployment's id, also in the workflow's memo (`deploymentId`), where the processes read it. */
  deploymentId: string;
}

/**
 * Marks a Temporal namespace as belonging to one Đôn đốc deployment, whose id its database holds
 * too (runtime/deployment-identity.ts). Started once, under the fixed id `dondoc-deployment`; it does
 * nothing and never ends, so its memo stays readable for as long as the namespace lives (a closed
 * workflow would be deleted after the namespace's retention period). Its history is one workflow
 * task. A new workflow type changes nothing for the histories of the others.
 */
export async function deploymentMarkerWorkflow(_input: DeploymentMarkerInput): Promise<void> {
  await condition(() => false);
}
