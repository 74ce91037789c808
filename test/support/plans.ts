/** A small plan in the JSON form of POST /v1/plans, with names as the plan writes them. */
export function samplePlan(overrides: { code?: string; tasks?: unknown[]; policy?: Record<string, unknown> } = {}) {
  return {
    code: overrides.code ?? '2866/QĐ-UBND',
    title: 'Kế hoạch cải cách hành chính nhà nước tỉnh Vĩnh Phúc giai đoạn 2021-2025',
    province: 'Vĩnh Phúc',
    periodStart: '2021-01-01',
    periodEnd: '2025-12-31',
    ...(overrides.policy ? { policy: overrides.policy } : {}),
    tasks: overrides.tasks ?? [
      {
        number: '14',
        title: 'Ban hành kế hoạch cải cách hành chính nhà nước tỉnh Vĩnh Phúc hàng năm.',
        deliverables: ['Kế hoạch'],
        leads: ['Sở Nội vụ'],
        collaborators: ['Các cơ quan, đơn vị liên quan'],
        dueDate: '2021-12-31',
      },
      {
        number: '35',
        title:
          'Tổ chức điều tra xã hội học lấy ý kiến đánh giá mức độ hài lòng của người dân về cung cấp dịch vụ y tế, giáo dục',
        deliverables: ['Báo cáo'],
        leads: ['Sở Y tế, Sở Giáo dục và Đào tạo'],
        collaborators: ['Sở Nội vụ'],
        dueDate: '2022-12-31',
      },
    ],
  };
}
