import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { IdempotentReply } from '@lib/contracts';
import { CallerGaveUp, DomainError, IdempotencyConflict } from '@lib/errors';
import { RequestContext } from '@lib/observability';
import { UniqueViolation, UnitOfWork } from '@lib/persistence';
import { GroupSerializer } from './group-serializer';
import type { RequestKey, RequestRecord } from '../ports/request-log.repository';
import { RequestLog } from '../ports/request-log.repository';

/** A first answer plus what the request log keeps beside it for later requests (never replayed). */
export class WithDetail<T> {
  constructor(
    readonly response: T,
    readonly detail: NonNullable<RequestRecord<T>['detail']>,
  ) {}
}

/** SHA-256 of a request body as canonical JSON (keys sorted), so key order never matters. */
export function fingerprint(body: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Idempotent creates: the first call runs `work` and stores its answer with the request's
 * fingerprint in the same transaction; a replay gets that answer (created: false); the same key
 * with another body, or for another group, is 409 IDEMPOTENCY_CONFLICT. Concurrent duplicates: the
 * unique key lets one commit, the others roll back and answer as replays.
 */
@Injectable()
export class IdempotentCommands {
  private readonly serializer = new GroupSerializer();

  constructor(
    private readonly requests: RequestLog,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * `groupId` is the ledger `work` writes: one group's writes queue behind each other in this
   * process. `precheck` runs before the request joins that queue: a cheap read that may refuse
   * the request (e.g. too few points) without opening a transaction at all.
   *
   * Different groups' requests may share one transaction (UnitOfWork.runShared: group commit);
   * one group's never do, they queue behind each other here first.
   *
   * Optimistic: the request log is not read first. A first call (nearly every call) goes straight
   * to its transaction; a replay runs into the unique key when its record is inserted, the
   * transaction rolls back, and the stored answer is given. A refusal (a DomainError) is checked
   * against the log too: a replay of a redemption must get its first answer, not "too few points
   * now".
   */
  async run<T>(
    key: RequestKey,
    groupId: string,
    print: string,
    work: () => Promise<T | WithDetail<T>>,
    precheck?: () => Promise<void>,
  ): Promise<IdempotentReply<T>> {
    const request = { key, groupId, print };
    const answerReplay = async (err: unknown): Promise<IdempotentReply<T>> => {
      if (!(err instanceof UniqueViolation) && !(err instanceof DomainError)) throw err;
      const first = await this.requests.find<T>(key);
      if (!first) throw err;
      return replay(first, request);
    };
    // Before queueing behind the group's other writes: a hopeless request (a hot group's points
    // all gone) never waits its turn, and the group's queue holds only the transactions
    // themselves. With nothing queued it would not wait at all: its transaction checks the same
    // on its own snapshot, one read sooner.
    if (precheck && this.serializer.busy(groupId)) {
      try {
        await precheck();
      } catch (err) {
        return answerReplay(err);
      }
    }
    return this.serializer.run(groupId, async () => {
      // Its turn came after its caller gave up (a backlog behind a slow moment, a failover): the
      // answer would go unread, and the caller's retry with the same id does the work, so the
      // group's queue moves on to requests someone still waits for. Nothing was written yet.
      if (RequestContext.callerGaveUp()) throw new CallerGaveUp(`its turn in group ${groupId}'s queue`);
      try {
        const body = await this.uow.runShared(async () => {
          const done = await work();
          const response = done instanceof WithDetail ? done.response : done;
          await this.requests.insert<T>({
            ...key,
            groupId,
            fingerprint: print,
            response,
            createdAt: new Date(),
            ...(done instanceof WithDetail ? { detail: done.detail } : {}),
          });
          return response;
        });
        return { created: true, body };
      } catch (err) {
        return answerReplay(err);
      }
    });
  }

  /**
   * One group's write that is not a create keyed by a business id (the sweep, a reversal, which
   * is idempotent by its redemption): queued behind the group's other writes in this process, in
   * one transaction.
   */
  exclusive<T>(groupId: string, work: () => Promise<T>): Promise<T> {
    return this.serializer.run(groupId, () => this.uow.run(work));
  }
}

function replay<T>(
  record: RequestRecord<T>,
  request: { key: RequestKey; groupId: string; print: string },
): IdempotentReply<T> {
  // An API client's business id spans groups: the same id for another member's group is another request.
  if (record.fingerprint !== request.print || record.groupId !== request.groupId) {
    throw new IdempotencyConflict(`${request.key.kind} ${request.key.businessId}`);
  }
  return { created: false, body: record.response };
}
