/** The group that data/agencies/vinh-phuc.json fans out to its 20 departments, offices and boards. */
export const FAN_OUT_GROUP = 'Các sở, ban, ngành';
export const FAN_OUT = 20;

/**
 * A synthetic plan in the JSON form of POST /v1/plans: `taskCount` tasks, each led by every
 * department of the province, so it makes `taskCount × 20` assignments.
 */
export function syntheticPlan(options: {
  code: string;
  taskCount: number;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  policy?: Record<string, unknown>;
}) {
  return {
    code: options.code,
    title: `Kế hoạch thử tải ${options.taskCount} nhiệm vụ`,
    province: 'Vĩnh Phúc',
    periodStart: options.periodStart,
    periodEnd: options.periodEnd,
    ...(options.policy ? { policy: options.policy } : {}),
    tasks: Array.from({ length: options.taskCount }, (_, i) => ({
      number: String(i + 1),
      title: `Nhiệm vụ thử tải số ${i + 1}: rà soát, đơn giản hóa thủ tục hành chính thuộc phạm vi quản lý`,
      area: 'Cải cách thủ tục hành chính',
      deliverables: ['Báo cáo'],
      leads: [FAN_OUT_GROUP],
      collaborators: ['Sở Nội vụ'],
      dueDate: options.dueDate,
    })),
  };
}
