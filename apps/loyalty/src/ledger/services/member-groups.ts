import { Injectable } from '@nestjs/common';
import type { RpcCaller } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { memberNamedByPerson, memberRequired } from '../domain/ledger.errors';
import { Member, MemberDirectory } from '../ports/member-directory';

/** How long a member found is trusted without asking auth again. */
export const MEMBER_FOUND_FOR_MS = 5_000;
/** How many members found are remembered at once (a few megabytes at most). */
export const MEMBERS_REMEMBERED = 10_000;

/**
 * The member (and so the group) a ledger request acts for. A till records purchase after
 * purchase for the member at its counter: each member found is remembered for a few seconds, so
 * a burst costs one RPC to auth, not one per purchase. Only members found are remembered, never a
 * refusal (the account may be created or enabled next); a member disabled meanwhile is refused
 * within MEMBER_FOUND_FOR_MS.
 */
@Injectable()
export class MemberGroups {
  private readonly found = new Map<string, { member: Member; until: number }>();

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
    const now = Date.now();
    const known = this.found.get(userId);
    if (known && known.until > now) return known.member;
    this.found.delete(userId);
    const member = await this.directory.member(userId, onBehalfOf);
    if (this.found.size >= MEMBERS_REMEMBERED) {
      // The oldest first: a Map iterates in insertion order, and a refreshed member is re-inserted.
      this.found.delete(this.found.keys().next().value as string);
    }
    this.found.set(userId, { member, until: Date.now() + MEMBER_FOUND_FOR_MS });
    return member;
  }
}
