import { Injectable } from '@nestjs/common';
import type { RpcCaller } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { RequestContext } from '@lib/observability';
import type { AuthenticatedUser } from '@lib/jwt';
import { memberNamedByPerson, memberRequired } from '../domain/ledger.errors';
import { Member, MemberDirectory } from '../ports/member-directory';

/** How long a member found is trusted without auth's confirmation. */
export const MEMBER_FOUND_FOR_MS = 5_000;
/** From this age on, a member found is still used, and auth is asked again in the background. */
export const MEMBER_REFRESHED_AFTER_MS = 2_500;
/** Auth's answer was not a refusal: it could not be asked. */
const OUT_OF_REACH: ReadonlySet<string> = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT']);
/** How many members found are remembered at once (a few megabytes at most). */
export const MEMBERS_REMEMBERED = 10_000;

/**
 * The member (and so the group) a ledger request acts for. A till records purchase after
 * purchase for the member at its counter: each member found is remembered for a few seconds, so
 * a burst costs one RPC to auth, not one per purchase. Only members found are remembered, never a
 * refusal (the account may be created or enabled next); a member disabled meanwhile is refused
 * within MEMBER_FOUND_FOR_MS.
 *
 * A member still asked for in the second half of that time is asked of auth again in the
 * background, while the request goes on with what is known: a till's steady stream of purchases
 * then never waits for auth (it used to, once every few seconds, which was most of their slowest
 * percent). What is used is still never older than MEMBER_FOUND_FOR_MS, and a refusal found in
 * the background forgets the member at once.
 */
@Injectable()
export class MemberGroups {
  private readonly found = new Map<string, Found>();

  constructor(private readonly directory: MemberDirectory) {}

  /**
   * A person acts for themselves, and naming a member is refused (400: only API clients name one);
   * an API client must name the member (400 when it doesn't), whom auth must know (422).
   */
  async actingFor(
    caller: AuthenticatedUser,
    named: string | undefined,
    onBehalfOf: RpcCaller | undefined,
  ): Promise<Member> {
    if (!caller.clientId) {
      if (named !== undefined) throw memberNamedByPerson();
      return { userId: caller.userId, groupId: caller.groupId };
    }
    if (named === undefined) throw memberRequired();
    return this.member(named, onBehalfOf);
  }

  /** The member named by an API client, asked of auth on that client's behalf unless found recently. */
  async member(userId: string, onBehalfOf: RpcCaller | undefined): Promise<Member> {
    const age = (known: Found) => Date.now() - known.at;
    const known = this.found.get(userId);
    if (!known || age(known) >= MEMBER_FOUND_FOR_MS) {
      this.found.delete(userId);
      return this.ask(userId, onBehalfOf);
    }
    if (age(known) >= MEMBER_REFRESHED_AFTER_MS && !known.refreshing) {
      known.refreshing = true;
      // Not bounded by this request's deadline (RequestContext.msLeft): it is nobody's answer.
      const refresh = RequestContext.run(RequestContext.requestId(), () => this.ask(userId, onBehalfOf));
      refresh.catch((err: unknown) => {
        if (this.found.get(userId) !== known) return;
        // Refused now (disabled, gone): the next request asks, and is refused itself. Auth out of
        // reach (503, 504, or no answer at all): what is known serves out its time, and a later
        // request tries again.
        if (err instanceof DomainError && !OUT_OF_REACH.has(err.code)) this.found.delete(userId);
        else known.refreshing = false;
      });
    }
    return known.member;
  }

  private async ask(userId: string, onBehalfOf: RpcCaller | undefined): Promise<Member> {
    const at = Date.now();
    const member = await this.directory.member(userId, onBehalfOf);
    this.found.delete(userId);
    if (this.found.size >= MEMBERS_REMEMBERED) {
      // The oldest first: a Map iterates in insertion order, and a refreshed member is re-inserted.
      this.found.delete(this.found.keys().next().value as string);
    }
    // Dated from the question, not the answer: the answer may be that old already.
    this.found.set(userId, { member, at });
    return member;
  }
}

interface Found {
  member: Member;
  /** When auth was asked. */
  at: number;
  refreshing?: boolean;
}
