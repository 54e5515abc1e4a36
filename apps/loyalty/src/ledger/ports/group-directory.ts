import type { RpcCaller } from '@lib/contracts';

/**
 * Which groups exist. Auth owns groups: the ledger only asks, on behalf of the admin (or other
 * caller) whose request names the group, and never on a member's route (a member's group comes
 * from their verified token).
 */
export abstract class GroupDirectory {
  abstract exists(groupId: string, onBehalfOf: RpcCaller | undefined): Promise<boolean>;
}
