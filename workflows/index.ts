// Everything the worker's workflow bundle registers.
export { assignmentWorkflow } from './assignment.ts';
export { planReportsWorkflow } from './plan-reports.ts';
export { planDeadlinesWorkflow } from './plan-deadlines.ts';
export { deploymentMarkerWorkflow } from './deployment-marker.ts';
export { deliveryDispatcherWorkflow } from './delivery-dispatcher.ts';
export { deliveryWorkflow } from './delivery.ts';
export { housekeepingWorkflow } from './housekeeping.ts';
