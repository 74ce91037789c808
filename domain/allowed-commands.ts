import { addDays } from './calendar.ts';
import { decide, type Command, type CommandType, type LifecycleState } from './lifecycle.ts';
import { commandActor, relationTo, type AssignmentParties, type Principal } from './permissions.ts';
import type { IsoDate } from './types.ts';

// What a principal may do on an assignment now, decided by the rules that decide a command itself:
// who may send which command (domain/permissions.ts) and whether the lifecycle accepts it in this
// state (domain/lifecycle.ts `decide`, bounds included). The page shows the buttons this says, and
// never decides the lifecycle again; the workflow still decides each command when it comes.

/** Every command, in the order a page offers them. */
export const commandTypes: readonly CommandType[] = [
  'acknowledge',
  'fileReport',
  'submitDeliverable',
  'requestExtension',
  'addContribution',
  'accept',
  'return',
  'approveExtension',
  'denyExtension',
  'reassign',
  'setDeadline',
  'cancel',
];

export interface CommandSituation {
  /** The instant, ISO, in the plan's time. */
  now: string;
  /** Today in the plan's time (a deliverable's document may be dated today). */
  today: IsoDate;
  /** The report periods the assignment owes or owed (filed, late or still to come). */
  expectedReports: readonly string[];
  latePeriods: readonly string[];
  /** The current last permissible day before any extension (the cycle's, for a recurring task). */
  currentDue?: IsoDate | null;
  /** The workflow was closed while the work is open: nothing reaches it until it is restarted. */
  stopped: boolean;
}

/**
 * A command of the type with input the rules accept (a reason, a text, a date after the due day),
 * so that `decide` answers whether the state allows that type at all; undefined when there is
 * nothing it could name (no report period left to file).
 */
function probe(type: CommandType, state: LifecycleState, s: CommandSituation): Command | undefined {
  const words = 'x';
  switch (type) {
    case 'acknowledge':
    case 'accept':
    case 'approveExtension':
      return { type };
    case 'fileReport': {
      const filed = new Set(state.reports.map((r) => r.period));
      const period =
        s.expectedReports.find((p) => !filed.has(p)) ?? [`${s.today.slice(0, 4)}-Y`].find((p) => !filed.has(p));
      return period ? { type, period, summary: words } : undefined;
    }
    case 'submitDeliverable':
      return { type, deliverableType: words, documentNumber: words, documentDate: s.today };
    case 'requestExtension': {
      const due = state.dueOverride ?? s.currentDue ?? state.deadline.due;
      return { type, until: due ? addDays(due, 1) : s.today, reason: words };
    }
    case 'return':
    case 'denyExtension':
    case 'cancel':
      return { type, reason: words };
    case 'reassign':
      // Any agency but the lead: which ones exist is the picker's question, not the lifecycle's.
      return { type, toAgency: `${state.agencyCode}~another`, reason: words };
    case 'setDeadline':
      return { type, deadline: { kind: 'date', due: s.today, raw: s.today } };
    case 'addContribution':
      return { type, text: words };
  }
}

/** The commands `principal` may send to the assignment now, in `commandTypes` order. */
export function allowedCommands(
  principal: Principal,
  parties: AssignmentParties,
  state: LifecycleState,
  situation: CommandSituation,
): CommandType[] {
  if (situation.stopped) return [];
  const relation = relationTo(principal, parties);
  const actor = {
    role: principal.role,
    ...(principal.agencyCode ? { agencyCode: principal.agencyCode } : {}),
    name: principal.name,
  };
  return commandTypes.filter((type) => {
    if (commandActor[type] !== relation) return false;
    const command = probe(type, state, situation);
    if (!command) return false;
    return decide(state, command, {
      now: situation.now,
      actor,
      latePeriods: situation.latePeriods,
      ...(situation.currentDue ? { currentDue: situation.currentDue } : {}),
      bounded: true,
    }).ok;
  });
}
