import { Type } from 'typebox';

const Role = Type.Union([Type.Literal('coordinator'), Type.Literal('agency'), Type.Literal('leadership')]);
const OrNull = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const Account = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: Role,
    agencyCode: OrNull(Type.String()),
    // The agency, named: a page shows its name, the code as secondary text.
    agency: Type.Optional(Type.Ref('AgencyLabel')),
    registry: OrNull(Type.String()),
    createdAt: Type.String(),
    disabled: Type.Boolean(),
    locked: Type.Boolean({
      description:
        'Sign-ins with this e-mail are held back for a while, from some address, after repeated wrong passwords (enable lets them try at once)',
    }),
  },
  { $id: 'Account', description: 'A person who signs in' },
);

const ability = (description: string) => Type.Boolean({ description });

export const SessionInfo = Type.Object(
  {
    user: Type.Ref('Account'),
    csrfToken: Type.String({ description: 'Send as X-CSRF-Token with every change made with the session cookie' }),
    abilities: Type.Object(
      {
        importPlans: ability('Import and revise plans'),
        reviewWork: ability('Accept or return deliverables, decide extensions, reassign, cancel, set deadlines'),
        managePeople: ability('Invite people, turn accounts off and on, reset passwords'),
        manageTokens: ability('Make and revoke access tokens'),
        editRegistries: ability('Edit the registry of agencies'),
        readAudit: ability('Read the audit trail'),
        manageContacts: ability('Keep the addresses notifications go to (an agency: its own)'),
      },
      {
        description:
          'What the person’s role may open beyond their own work: a page shows no link the role cannot use, and the server answers others with "Không có quyền"',
      },
    ),
  },
  { $id: 'SessionInfo' },
);

export const Invitation = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('account'), Type.Literal('reset')], {
      description: 'account: the link makes an account; reset: it sets a new password on an existing one',
    }),
    email: Type.String(),
    name: Type.String(),
    role: Role,
    agencyCode: OrNull(Type.String()),
    // The agency, named: a page shows its name, the code as secondary text.
    agency: Type.Optional(Type.Ref('AgencyLabel')),
    registry: OrNull(Type.String()),
    expiresAt: Type.String(),
  },
  { $id: 'Invitation', description: 'A link that lets a person in: an invitation, or a password reset' },
);

export const InvitationCreated = Type.Intersect([
  Type.Ref('Invitation'),
  Type.Object({
    token: Type.String({ description: 'The secret of the link; shown once' }),
    link: Type.String({ description: 'The path of the page where the person chooses a password' }),
    emailed: Type.Boolean({ description: 'Whether the link was sent to the person by e-mail' }),
  }),
]);
