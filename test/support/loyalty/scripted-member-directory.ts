import type { RpcCaller } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { Member, MemberDirectory } from '../../../apps/loyalty/src/ledger/ports/member-directory';

/**
 * Auth's side of MemberDirectory, scripted: the active members and their groups, and every
 * question asked. A member not listed is UNKNOWN_MEMBER, as auth answers.
 */
export class ScriptedMemberDirectory extends MemberDirectory {
  readonly asked: Array<[string, RpcCaller | undefined]> = [];

  constructor(readonly members: Map<string, string>) {
    super();
  }

  member(userId: string, onBehalfOf: RpcCaller | undefined): Promise<Member> {
    this.asked.push([userId, onBehalfOf]);
    const groupId = this.members.get(userId);
    if (!groupId) {
      return Promise.reject(
        new DomainError('UNKNOWN_MEMBER', 'no active member has this id', {}, [
          { field: 'userId', message: 'must be an active member' },
        ]),
      );
    }
    return Promise.resolve({ userId, groupId });
  }
}
