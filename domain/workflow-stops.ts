import type { AssignmentFacts, NotificationDraft } from './notifications.ts';

/**
 * How an assignment's workflow can end while its work is still open: Temporal closed it
 * (terminated by an operator or by a limit, failed, timed out, cancelled). The read model keeps
 * the assignment as it was, and the coordinator restarts the workflow from it.
 */
export const workflowStopReasons = ['terminated', 'failed', 'timed-out', 'canceled'] as const;
export type WorkflowStopReason = (typeof workflowStopReasons)[number];

/** Temporal's execution status (its visibility name) as a stop reason; undefined for a run that has not stopped. */
export function stopReasonOf(executionStatus: string): WorkflowStopReason | undefined {
  const reasons: Record<string, WorkflowStopReason> = {
    TERMINATED: 'terminated',
    FAILED: 'failed',
    TIMED_OUT: 'timed-out',
    CANCELLED: 'canceled',
  };
  return reasons[executionStatus];
}

export const stopReasonNames: Record<WorkflowStopReason, string> = {
  terminated: 'bị dừng cưỡng bức',
  failed: 'gặp lỗi',
  'timed-out': 'quá thời gian chạy',
  canceled: 'bị hủy ngang',
};

/** Why a command cannot reach a stopped workflow, and what the coordinator does about it. */
export function stoppedRefusal(reason: WorkflowStopReason): string {
  return (
    `Nhiệm vụ đang tạm ngừng theo dõi (tiến trình ${stopReasonNames[reason]}); ` +
    'cơ quan thường trực cần khởi động lại nhiệm vụ trước khi thực hiện thao tác này.'
  );
}

/** The coordinator is told at once, with the way to restart. */
export function notificationForStop(reason: WorkflowStopReason, f: AssignmentFacts, link: string): NotificationDraft {
  return {
    recipient: { role: 'coordinator' },
    kind: 'workflow-stopped',
    text:
      `Việc theo dõi nhiệm vụ số ${f.taskNumber} ("${f.taskTitle}", Kế hoạch ${f.planCode}) của cơ quan ${f.agencyCode} ` +
      `đã ngừng (tiến trình ${stopReasonNames[reason]}) trong khi nhiệm vụ chưa kết thúc: không còn nhắc hạn, cảnh báo ` +
      'hay nhận báo cáo. Hãy khởi động lại nhiệm vụ; trạng thái đã ghi nhận được giữ nguyên.',
    link,
  };
}
