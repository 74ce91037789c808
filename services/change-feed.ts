import { sql } from 'drizzle-orm';
import type { Principal } from '../domain/permissions.ts';
import type { Database } from '../db/client.ts';
import { assignments, plans, tasks } from '../db/schema.ts';
import { visibleTo } from './assignment-reads.ts';
import { readScope, type ReadScope } from './read-scope.ts';
import { validPrincipals } from './principal-validity.ts';

/**
 * What feeds the event streams (`GET /v1/events`): one poller per API process, whatever the number
 * of open streams. Each tick it asks two questions in two queries: which of the streams'
 * principals may still act (a revoked token, a disabled account, a closed or expired session ends
 * its stream at once), and, for each distinct scope the streams read under (registry, and agency
 * for an agency), a fingerprint of the assignments in it (count, sum of versions, latest update;
 * one aggregate per scope, in one statement). A stream hears when its scope's fingerprint moved.
 * The number of streams is bounded per principal and per process, so a caller cannot hold the
 * process's sockets and memory.
 */

/** A scope's key: registry ("*" for the whole deployment) and agency ("*" for everything in it). */
function scopeKey(scope: ReadScope): string {
  return `${scope.registry ?? '*'}|${scope.agency ?? '*'}`;
}

/** A principal that reads exactly `scope`, for the read services' own visibility rule. */
function readerOf(scope: ReadScope): Principal {
  return {
    role: scope.agency !== undefined ? 'agency' : 'leadership',
    ...(scope.agency !== undefined ? { agencyCode: scope.agency } : {}),
    ...(scope.registry !== undefined ? { registry: scope.registry } : {}),
    name: 'change feed',
    tokenId: 'change-feed',
  };
}

/**
 * The fingerprint of the assignments of each scope: it changes whenever one of them is projected
 * anew (the projection bumps version and updated_at) or one appears. One statement for all.
 */
export async function assignmentsFingerprints(
  db: Database,
  scopes: readonly ReadScope[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (scopes.length === 0) return found;
  const parts = scopes.map(
    (scope) => sql`
      select ${scopeKey(scope)}::text as key,
             count(*)::text || ':' || coalesce(sum(${assignments.version}), 0)::text || ':' ||
               coalesce(max(${assignments.updatedAt})::text, '') as fingerprint
      from ${assignments}
      join ${plans} on ${plans.id} = ${assignments.planId}
      join ${tasks} on ${tasks.id} = ${assignments.taskId}
      where ${visibleTo(readerOf(scope)) ?? sql`true`}`,
  );
  const { rows } = await db.execute<{ key: string; fingerprint: string }>(sql.join(parts, sql` union all `));
  for (const row of rows) found.set(row.key, row.fingerprint);
  return found;
}

/** What a stream is told. */
export interface FeedListener {
  /** Work in the stream's scope changed. */
  changed(): void;
  /** Its principal may no longer act: the stream must end. Told once; the feed has already let go of it. */
  revoked(): void;
}

export type FeedOpening = { ok: true; close(): void } | { ok: false; reason: 'principal-limit' | 'process-limit' };

export interface ChangeFeedOptions {
  /** How often the poller runs. */
  intervalMs: number;
  /** Streams one process keeps open at most. */
  maxStreams: number;
  /** Streams one principal (a token, a person) keeps open at most. */
  maxPerPrincipal: number;
  /** A tick failed (the database away): told, and the next tick tries again. */
  onError?: (error: unknown) => void;
}

interface Stream {
  principalKey: string;
  scope: ReadScope;
  scopeKey: string;
  tokenId?: string;
  sessionId?: string;
  listener: FeedListener;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ChangeFeed {
  private readonly streams = new Set<Stream>();
  private readonly fingerprints = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly db: Database,
    private readonly options: ChangeFeedOptions,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /**
   * Opens a stream for `principal` (signed in with the session `sessionId`, when a person): refused
   * past the limits, before any query. The stream's scope gets its first fingerprint now, if no
   * other stream has it, so that what changes from here on is told.
   */
  async open(principal: Principal, sessionId: string | undefined, listener: FeedListener): Promise<FeedOpening> {
    if (this.streams.size >= this.options.maxStreams) return { ok: false, reason: 'process-limit' };
    const principalKey = principal.tokenId;
    let own = 0;
    for (const s of this.streams) if (s.principalKey === principalKey) own += 1;
    if (own >= this.options.maxPerPrincipal) return { ok: false, reason: 'principal-limit' };
    const scope = readScope(principal);
    const stream: Stream = {
      principalKey,
      scope,
      scopeKey: scopeKey(scope),
      ...(sessionId !== undefined ? { sessionId } : UUID.test(principal.tokenId) ? { tokenId: principal.tokenId } : {}),
      listener,
    };
    // Counted from here, so that opens racing each other all see it.
    this.streams.add(stream);
    const close = () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stop();
    };
    try {
      if (!this.fingerprints.has(stream.scopeKey)) {
        const first = await assignmentsFingerprints(this.db, [scope]);
        if (!this.fingerprints.has(stream.scopeKey))
          this.fingerprints.set(stream.scopeKey, first.get(stream.scopeKey)!);
      }
    } catch (error) {
      close();
      throw error;
    }
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs);
    return { ok: true, close };
  }

  /** Ends every stream's feed (the process is stopping); the streams themselves are the caller's. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: revoked principals lose their streams, then each changed scope is told. */
  async tick(): Promise<void> {
    if (this.ticking || this.streams.size === 0) return;
    this.ticking = true;
    try {
      const open = [...this.streams];
      const tokenIds = [...new Set(open.flatMap((s) => (s.tokenId ? [s.tokenId] : [])))];
      const sessionIds = [...new Set(open.flatMap((s) => (s.sessionId ? [s.sessionId] : [])))];
      const valid = await validPrincipals(this.db, { tokenIds, sessionIds });
      for (const s of open) {
        const allowed = s.sessionId
          ? valid.sessionIds.has(s.sessionId)
          : s.tokenId
            ? valid.tokenIds.has(s.tokenId)
            : true;
        if (allowed) continue;
        this.streams.delete(s);
        s.listener.revoked();
      }
      const scopes = new Map<string, ReadScope>();
      for (const s of this.streams) scopes.set(s.scopeKey, s.scope);
      for (const key of this.fingerprints.keys()) if (!scopes.has(key)) this.fingerprints.delete(key);
      const now = await assignmentsFingerprints(this.db, [...scopes.values()]);
      const moved = new Set<string>();
      for (const [key, fingerprint] of now) {
        const before = this.fingerprints.get(key);
        this.fingerprints.set(key, fingerprint);
        if (before !== undefined && before !== fingerprint) moved.add(key);
      }
      for (const s of [...this.streams]) if (moved.has(s.scopeKey)) s.listener.changed();
      if (this.streams.size === 0) this.stop();
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.ticking = false;
    }
  }
}
