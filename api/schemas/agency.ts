import { Type } from 'typebox';
import { AGENCY_KINDS } from '../../domain/agencies/types.ts';
import { Instant } from './common.ts';

export const AgencyKind = Type.Union(
  AGENCY_KINDS.map((kind) => Type.Literal(kind)),
  {
    description: 'department (Sở), office (Văn phòng UBND), inspectorate, board, district, commune, province, other',
  },
);

export const AgencyCode = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'Short, upper-case, ASCII and stable, e.g. "SNV"',
  examples: ['SKHDT'],
});

export const RegistryParams = Type.Object({
  key: Type.String({ minLength: 1, description: 'Registry key, e.g. "vinh-phuc"' }),
});
export const AgencyParams = Type.Object({ key: RegistryParams.properties.key, code: AgencyCode });

export const RegistrySummary = Type.Object(
  {
    key: Type.String(),
    name: Type.String({
      description:
        'What people call it: the province ("Phú Thọ", "Thành phố Hà Nội"), "Trung ương", or a province before 1 July 2025: "Vĩnh Phúc (trước 01/7/2025)"',
    }),
    kind: Type.Union([Type.Literal('province'), Type.Literal('central')]),
    agencies: Type.Integer({ description: 'All agencies, merged ones included' }),
    groups: Type.Integer(),
    updatedAt: Instant,
  },
  { $id: 'RegistrySummary' },
);

export const Agency = Type.Object(
  {
    code: Type.String({ description: 'Stable and short; show it as secondary text, never instead of the name' }),
    name: Type.String({ description: 'The full name: "Ủy ban nhân dân xã Tân Dương"' }),
    shortName: Type.String({ description: 'Where space is tight: "UBND xã Tân Dương", "VP UBND tỉnh", "Sở Y tế"' }),
    kind: AgencyKind,
    aliases: Type.Optional(Type.Array(Type.String())),
    mergedInto: Type.Optional(Type.String({ description: 'Code of the agency this one merged into' })),
    existsFrom: Type.Optional(Type.String({ description: 'First day it exists (YYYY-MM-DD)' })),
    existsUntil: Type.Optional(Type.String({ description: 'Last day it existed (YYYY-MM-DD), e.g. merged in 2025' })),
    successor: Type.Optional(
      Type.Object(
        {
          code: Type.String(),
          name: Type.String(),
        },
        { description: "The agency that now does this one's work: the end of its chain of mergers" },
      ),
    ),
  },
  { $id: 'Agency' },
);

export const AgencyQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Part of the name, its short form, the code or an alias; case and diacritics are ignored ("so noi vu", "ubnd xa tan")',
      }),
    ),
    kind: Type.Optional(AgencyKind),
    includeMerged: Type.Optional(
      Type.Boolean({ default: false, description: 'Also list agencies merged into another' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const AgencyBody = Type.Object(
  {
    code: Type.Optional(Type.String({ description: 'If given, must equal the code in the path' })),
    name: Type.String({ minLength: 1, description: 'Official name, e.g. "Sở Nội vụ"' }),
    kind: AgencyKind,
    aliases: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Other ways plans write the name: abbreviations, older names',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MergeBody = Type.Object(
  {
    into: Type.String({ minLength: 1, description: 'Code of the successor agency' }),
    reason: Type.Optional(Type.String({ minLength: 1, description: 'Recorded on every reassigned assignment' })),
    reassignOpenWork: Type.Optional(
      Type.Boolean({ default: true, description: 'Move every open assignment of the agency to its successor' }),
    ),
  },
  { additionalProperties: false },
);

export const MergeResult = Type.Object(
  {
    agency: Type.Ref('Agency'),
    successor: Type.Ref('Agency'),
    reassigned: Type.Array(Type.String(), { description: 'Assignments moved to the successor' }),
    refused: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() }), {
      description: 'Open assignments the workflow would not move (e.g. a deliverable awaiting review), with its reason',
    }),
  },
  { $id: 'MergeResult' },
);
