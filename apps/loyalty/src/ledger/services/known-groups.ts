import { Injectable } from '@nestjs/common';
import type { RpcCaller } from '@lib/contracts';
import { groupNotFound } from '../domain/ledger.errors';
import { GroupDirectory } from '../ports/group-directory';

/** How many groups known to exist are remembered (a few hundred kilobytes). */
export const KNOWN_GROUPS_REMEMBERED = 10_000;

/**
 * The admin routes that name a group (`/v1/admin/groups/{groupId}/…`, the payer feed's API
 * clients included) act only on a group that exists: the payer feed must not open a ledger for a
 * typo, and the reads answer 404 rather than an empty ledger. Groups are never deleted, so a group
 * once found is remembered (the payer feed then costs no RPC per transaction); one not found is
 * asked about again next time, since it may have been created since. Member routes never come here.
 */
@Injectable()
export class KnownGroups {
  private readonly known = new Set<string>();

  constructor(private readonly directory: GroupDirectory) {}

  async assertExists(groupId: string, onBehalfOf: RpcCaller | undefined): Promise<void> {
    if (this.known.has(groupId)) return;
    if (!(await this.directory.exists(groupId, onBehalfOf))) throw groupNotFound();
    if (this.known.size >= KNOWN_GROUPS_REMEMBERED) {
      // The oldest first: a Set iterates in insertion order.
      this.known.delete(this.known.values().next().value as string);
    }
    this.known.add(groupId);
  }
}
