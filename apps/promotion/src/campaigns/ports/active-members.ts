import type { RpcCaller } from '@lib/contracts';

/**
 * Whether a member an API client names still has an active account. Auth owns people: a till
 * redeeming a voucher for a disabled or unknown member is refused with 422 UNKNOWN_MEMBER, as a
 * purchase or a redemption at a till would be; the directory throws it.
 */
export abstract class ActiveMembers {
  abstract assertActive(userId: string, onBehalfOf: RpcCaller | undefined): Promise<void>;
}
