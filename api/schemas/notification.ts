import { Type } from 'typebox';
import { Instant } from './common.ts';

export const Notification = Type.Object(
  {
    id: Type.Integer(),
    assignmentId: Type.String(),
    kind: Type.String(),
    kindLabel: Type.String({ description: 'The kind in Vietnamese: "Nhắc hạn", "Quá hạn", "Giao nhiệm vụ"' }),
    level: Type.Union([Type.Integer(), Type.Null()]),
    period: Type.Union([Type.String(), Type.Null()]),
    text: Type.String({ description: 'What happened, in Vietnamese, with agencies by name' }),
    link: Type.String(),
    createdAt: Instant,
    readAt: Type.Union([Instant, Type.Null()]),
    plan: Type.Union([Type.Ref('PlanLabel'), Type.Null()]),
    task: Type.Union([Type.Object({ number: Type.String(), title: Type.String() }), Type.Null()]),
    agency: Type.Union([Type.Ref('AgencyLabel'), Type.Null()], { description: 'The work’s lead agency' }),
  },
  { $id: 'Notification' },
);
