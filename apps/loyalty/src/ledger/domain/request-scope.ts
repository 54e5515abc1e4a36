/**
 * Who owns a request's business id (purchaseId, redemptionId, transactionId). An API client
 * numbers its own requests whichever member or group they are for, so its ids are its own; a
 * person's requests are their group's, as they always were (an admin's payer transaction: the
 * group it names).
 */
export function requestScope(caller: { clientId?: string }, groupId: string): string {
  return caller.clientId ?? groupId;
}
