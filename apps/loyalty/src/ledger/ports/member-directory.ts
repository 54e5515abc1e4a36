import type { RpcCaller } from '@lib/contracts';

/** A member as auth knows them: an active account and the group its points go to. */
export interface Member {
  userId: string;
  groupId: string;
}

/**
 * Which group a member is in. Auth owns people: the ledger asks on behalf of the API client whose
 * request names the member (auth checks that client's token and scope again). An unknown or
 * disabled member is 422 UNKNOWN_MEMBER, thrown by the directory.
 */
export abstract class MemberDirectory {
  abstract member(userId: string, onBehalfOf: RpcCaller | undefined): Promise<Member>;
}
