import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

// The agencies' side of the chaos run: each sends its commands through the HTTP API at a steady
// pace, and retries one whose outcome it does not know (no answer, a 5xx) until it gets one.

export type CommandKind = 'acknowledge' | 'report' | 'deliverable' | 'contribution';

export interface PlannedCommand {
  kind: CommandKind;
  assignmentId: string;
  /** The agency (token) that sends it. */
  agency: string;
  path: string;
  body: Record<string, unknown>;
  /** What identifies its effect in the workflow's state: the report period, the contribution's text. */
  mark?: string;
}

export type Outcome =
  /** 200 at the first attempt. */
  | 'answered'
  /** 200 after one or more attempts without an answer. */
  | 'answered-after-retry'
  /** 4xx at the first attempt: the workflow (or the API) refused it. */
  | 'refused'
  /** 4xx after attempts without an answer: possibly applied by one of those. */
  | 'refused-after-retry'
  /** No answer before the client gave up. */
  | 'unanswered';

export interface SentCommand extends PlannedCommand {
  /**
   * The same on every attempt, as X-Request-Id (the API's log ties the attempts together) and as
   * Idempotency-Key (a retry after a lost answer is applied once).
   */
  requestId: string;
  attempts: number;
  /** Attempts that ended without an answer: no connection, a timeout, a 5xx. */
  unknown: number;
  outcome: Outcome;
  status?: number;
  firstSentAt: number;
  answeredAt?: number;
  /** The refusal's or the failure's text, for the report. */
  detail?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** How long a client keeps trying one command before it counts it as unanswered. */
const GIVE_UP_MS = 150_000;

async function sendOnce(
  apiUrl: string,
  token: string,
  command: PlannedCommand,
  requestId: string,
): Promise<{ status: number; text: string } | { error: string }> {
  try {
    const response = await fetch(`${apiUrl}${command.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-request-id': requestId,
        'idempotency-key': requestId,
      },
      body: JSON.stringify(command.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * Sends one command until it is answered (2xx or 4xx) or the client gives up. With several APIs
 * (a cluster's), the first attempt goes to `apiUrls[first]` and each retry to the next one, with
 * the same Idempotency-Key: an API that went away mid-command is replaced by the other.
 */
export async function send(
  apiUrls: string | string[],
  token: string,
  command: PlannedCommand,
  first = 0,
): Promise<SentCommand> {
  const urls = typeof apiUrls === 'string' ? [apiUrls] : apiUrls;
  const sent: SentCommand = {
    ...command,
    requestId: `chaos-${randomUUID()}`,
    attempts: 0,
    unknown: 0,
    outcome: 'unanswered',
    firstSentAt: Date.now(),
  };
  let backoff = 500;
  while (Date.now() - sent.firstSentAt < GIVE_UP_MS) {
    sent.attempts += 1;
    const result = await sendOnce(urls[(first + sent.attempts - 1) % urls.length]!, token, command, sent.requestId);
    if ('status' in result && result.status < 500) {
      sent.status = result.status;
      sent.answeredAt = Date.now();
      const ok = result.status >= 200 && result.status < 300;
      sent.outcome = ok
        ? sent.unknown > 0
          ? 'answered-after-retry'
          : 'answered'
        : sent.unknown > 0
          ? 'refused-after-retry'
          : 'refused';
      if (!ok) sent.detail = result.text.slice(0, 300);
      return sent;
    }
    sent.unknown += 1;
    sent.detail = 'status' in result ? `${result.status}: ${result.text.slice(0, 200)}` : result.error;
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 5_000);
  }
  return sent;
}

/**
 * Runs one client: its commands in order, one at a time, a new one every `paceMs` (or as soon as
 * the previous is answered, when that took longer), until the list or the time runs out.
 */
export async function runClient(options: {
  /** One API, or several: the commands go to them in turn (round-robin). */
  apiUrl: string | string[];
  token: string;
  commands: PlannedCommand[];
  paceMs: number;
  until: number;
  record: (sent: SentCommand) => void;
}): Promise<void> {
  for (const [i, command] of options.commands.entries()) {
    if (Date.now() >= options.until) return;
    const started = Date.now();
    options.record(await send(options.apiUrl, options.token, command, i));
    const rest = options.paceMs - (Date.now() - started);
    if (rest > 0) await sleep(rest);
  }
}

/**
 * One agency's commands on its own assignments, assignment by assignment: acknowledge, report Q1
 * (half of them; the others fall late at the plan's report instant), deliver (a third), report H1.
 */
export function leadCommands(agency: string, assignmentIds: string[]): PlannedCommand[] {
  const path = (id: string, what: string) => `/v1/assignments/${encodeURIComponent(id)}/${what}`;
  return assignmentIds.flatMap((id, i) => {
    const report = (period: string, summary: string): PlannedCommand => ({
      kind: 'report',
      assignmentId: id,
      agency,
      path: path(id, 'reports'),
      body: { period, summary },
      mark: period,
    });
    return [
      { kind: 'acknowledge' as const, assignmentId: id, agency, path: path(id, 'acknowledge'), body: {} },
      ...(i % 2 === 0 ? [report('2026-Q1', `Báo cáo quý I của ${agency}`)] : []),
      ...(i % 3 === 0
        ? [
            {
              kind: 'deliverable' as const,
              assignmentId: id,
              agency,
              path: path(id, 'deliverables'),
              body: { type: 'Báo cáo', documentNumber: `${i + 1}/BC-${agency}`, date: '2026-03-18' },
            },
          ]
        : []),
      report('2026-H1', `Báo cáo 6 tháng của ${agency}`),
    ];
  });
}

/** The collaborating agency's contributions, round the assignments it collaborates on, each text unique. */
export function contributionCommands(agency: string, assignmentIds: string[], count: number): PlannedCommand[] {
  return Array.from({ length: count }, (_, n) => {
    const id = assignmentIds[n % assignmentIds.length]!;
    const text = `Ý kiến phối hợp số ${n + 1} của ${agency} (${randomUUID().slice(0, 8)})`;
    return {
      kind: 'contribution' as const,
      assignmentId: id,
      agency,
      path: `/v1/assignments/${encodeURIComponent(id)}/contributions`,
      body: { text },
      mark: text,
    };
  });
}
