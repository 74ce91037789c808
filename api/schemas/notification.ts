import { Type } from 'typebox';
import { Instant } from './common.ts';

export const Notification = Type.Object(
  {
    id: Type.Integer(),
    assignmentId: Type.String(),
    kind: Type.String(),
    level: Type.Union([Type.Integer(), Type.Null()]),
    period: Type.Union([Type.String(), Type.Null()]),
    text: Type.String({ description: 'What happened, in Vietnamese' }),
    link: Type.String(),
    createdAt: Instant,
    readAt: Type.Union([Instant, Type.Null()]),
  },
  { $id: 'Notification' },
);
