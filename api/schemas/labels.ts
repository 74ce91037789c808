import { Type, type TSchema } from 'typebox';
import {
  bucketLabels,
  commandLabels,
  fieldLabels,
  notificationKindLabels,
  personalModeLabels,
  reportStatusLabels,
  roleLabels,
  statusLabels,
} from '../../domain/labels.ts';
import { statusGroups } from '../../domain/lifecycle.ts';

/** An object of Vietnamese words keyed by the codes the API uses: one property per code, typed. */
const words = (labels: Readonly<Record<string, string>>, description: string): TSchema =>
  Type.Object(
    Object.fromEntries(Object.entries(labels).map(([code, word]) => [code, Type.String({ examples: [word] })])),
    {
      description,
    },
  );

export const Labels = Type.Object(
  {
    statuses: words(statusLabels, 'An assignment’s status as a badge shows it'),
    statusGroups: Type.Object(
      Object.fromEntries(
        Object.keys(statusGroups).map((g) => [
          g,
          Type.Object({ label: Type.String(), statuses: Type.Array(Type.String()) }),
        ]),
      ),
      { description: 'The groups a work list is sorted into (GET /v1/assignments?status=<group>)' },
    ),
    buckets: words(bucketLabels, 'The four buckets of the task statistics'),
    reportStatuses: words(reportStatusLabels, 'Whether a period’s report came'),
    commands: words(commandLabels, 'What each command does, as its button says it'),
    notificationKinds: words(notificationKindLabels, 'What a notification is about'),
    personalModes: words(personalModeLabels, 'How a person receives a kind of notification'),
    roles: words(roleLabels, 'Who a person is'),
    fields: words(fieldLabels, 'The fields of a task, as a page heads them'),
  },
  { $id: 'Labels' },
);
