import { Type } from 'typebox';
import { Instant } from './common.ts';

export const Role = Type.Union([Type.Literal('coordinator'), Type.Literal('agency'), Type.Literal('leadership')]);

export const Token = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: Role,
    agencyCode: Type.Union([Type.String(), Type.Null()]),
    // The agency, named: a page shows its name, the code as secondary text.
    agency: Type.Optional(Type.Ref('AgencyLabel')),
    registry: Type.Union([Type.String(), Type.Null()], { description: 'The registry it belongs to; null: all' }),
    createdBy: Type.String(),
    createdAt: Instant,
    revokedAt: Type.Union([Instant, Type.Null()]),
  },
  { $id: 'Token', description: 'A bearer token as the coordinator sees it, without its secret' },
);
