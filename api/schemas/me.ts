import { Type } from 'typebox';
import { notificationKinds, personalModes } from '../../domain/delivery-preferences.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
export const PersonalModeSchema = literals(personalModes);
const Kind = literals(notificationKinds);

export const MyPreferences = Type.Object(
  {
    email: Type.String({ description: 'Where the e-mails go: the address the person signs in with' }),
    preferences: Type.Record(Type.String(), PersonalModeSchema, { description: 'The person’s own choices, by kind' }),
    kinds: Type.Array(
      Type.Object({
        kind: Kind,
        label: Type.String({ description: 'The kind in Vietnamese: "Nhắc hạn", "Giao nhiệm vụ"' }),
        mode: PersonalModeSchema,
        defaultMode: PersonalModeSchema,
      }),
      { description: 'Every kind, how the person receives it (immediate, digest, off) and the default' },
    ),
  },
  { $id: 'MyPreferences' },
);

export const PreferencesBody = Type.Object(
  {
    preferences: Type.Record(Type.String(), Type.Union([PersonalModeSchema, Type.Null()]), {
      description:
        'Per kind: immediate, digest or off; null goes back to the default. Kinds left out stay as they are.',
    }),
  },
  { additionalProperties: false },
);
