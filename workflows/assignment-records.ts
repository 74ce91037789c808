import type { AuditEntry, EscalationRecord, NotificationRecord, RecordAssignmentInput } from '../activities/index.ts';
import { notificationsForCycle, notificationsForTransition, type NotificationDraft } from '../domain/notifications.ts';
import type { AssignmentFacts } from '../domain/notifications.ts';
import type { LifecycleState, Transition } from '../domain/lifecycle.ts';
import { changeAuditKey, noticeKey } from '../domain/record-keys.ts';
import type { Patches } from './assignment-patches.ts';
import { effectiveDueOf, factsOf, type AssignmentState, type RunClock } from './assignment-state.ts';

type Entry = Omit<AuditEntry, 'version' | 'seq' | 'at'>;

/**
 * The changes of a run as the read model will hold them: each change gets a version and an audit
 * entry, and tells whom it concerns; all of it waits here until it is written with the next snapshot.
 */
export class AssignmentRecords {
  private audit: AuditEntry[] = [];
  private notifications: NotificationRecord[] = [];
  private escalations: EscalationRecord[] = [];
  // Commands' notifications wait for the timers to be re-planned: they quote the new due day.
  private readonly notices: {
    transition: Transition;
    before: LifecycleState;
    facts: AssignmentFacts;
    /** What names the command's notifications: `v<version>`, or its Update (rowsKeyedByChange). */
    key: string;
  }[] = [];

  constructor(
    private readonly state: AssignmentState,
    private readonly patches: Patches,
    private readonly clock: RunClock,
  ) {}

  /** The audit entry's own key, when the change names its records (else its version does). */
  keyedBy(change: string | undefined): Pick<AuditEntry, 'dedupeKey'> {
    return change ? { dedupeKey: changeAuditKey(this.state.input.assignmentId, change) } : {};
  }

  /** One change of the assignment: a new version and its audit entry. */
  change(entry: Entry, at = this.clock.planNow().toISOString()): number {
    this.state.version += 1;
    this.audit.push({ ...entry, version: this.state.version, seq: 0, at });
    return this.state.version;
  }

  /** What a change tells whom; `key` names each notification so that it is written once. */
  notify(drafts: NotificationDraft[], key: string | ((draft: NotificationDraft) => string), at: string): void {
    const id = this.state.input.assignmentId;
    for (const draft of drafts) {
      this.notifications.push({
        dedupeKey: typeof key === 'string' ? noticeKey(id, key, draft) : key(draft),
        ...('agencyCode' in draft.recipient
          ? { recipientAgency: draft.recipient.agencyCode }
          : { recipientRole: draft.recipient.role }),
        kind: draft.kind,
        text: draft.text,
        link: draft.link,
        level: draft.level,
        period: draft.period,
        at,
      });
    }
  }

  escalated(escalation: EscalationRecord): void {
    this.escalations.push(escalation);
  }

  /** A command's change: recorded now, its notices once the timers are planned again (`announce`). */
  command(entry: Entry, transition: Transition, before: LifecycleState, change: string | undefined): number {
    const version = this.change({ ...entry, ...this.keyedBy(change) });
    this.notices.push({ transition, before, facts: factsOf(this.state), key: change ?? `v${version}` });
    return version;
  }

  /** Records the start of a carried-in cycle (`year`), and the commands' notices, now that the timers are planned. */
  announce(year: number | null): void {
    const { state } = this;
    const now = this.clock.planNow().toISOString();
    if (year !== null) {
      this.change({
        actor: 'system:timer',
        action: 'startCycle',
        fromState: null,
        toState: state.lifecycle.status,
        details: { year, effectiveDue: effectiveDueOf(state) },
        ...(this.patches.rowsKeyedByChange ? this.keyedBy(`cycle:${year}`) : {}),
      });
      this.notify(notificationsForCycle(year, factsOf(state)), `cycle:${year}`, now);
    }
    for (const notice of this.notices.splice(0)) {
      const moved = notice.transition.action === 'approveExtension' || notice.transition.action === 'setDeadline';
      const facts = moved ? { ...notice.facts, effectiveDue: effectiveDueOf(state) } : notice.facts;
      const drafts = notificationsForTransition(notice.transition, facts, notice.before);
      this.notify(drafts, (draft) => noticeKey(state.input.assignmentId, `${notice.key}:${draft.kind}`, draft), now);
    }
  }

  /** Everything pending, handed over with `snapshot` (and no longer pending). */
  take(snapshot: RecordAssignmentInput['snapshot']): RecordAssignmentInput {
    const write = { snapshot, audit: this.audit, notifications: this.notifications, escalations: this.escalations };
    this.audit = [];
    this.notifications = [];
    this.escalations = [];
    return write;
  }
}
