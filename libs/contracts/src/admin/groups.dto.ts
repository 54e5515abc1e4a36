/**
 * `RPC.auth.groupExists`'s answer. Auth owns groups; loyalty asks before it acts on a group an
 * admin names (`/v1/admin/groups/{groupId}/…`), so no ledger is opened for a group that isn't one.
 * Not on the public API.
 */
export interface GroupExistsDto {
  groupId: string;
  exists: boolean;
}
