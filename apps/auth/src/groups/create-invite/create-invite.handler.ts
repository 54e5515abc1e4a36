import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { InviteDto } from '@lib/contracts';
import { UnitOfWork } from '@lib/persistence';
import { canInvite, groupOfMember, hashInviteCode, INVITE_TTL_MS, newInviteCode } from '../domain/group';
import { GroupsRepository } from '../ports/groups.repository';
import { InvitesRepository } from '../ports/invites.repository';
import { InviteLimit } from '../services/invite-limit';

/**
 * A single-use code, valid 7 days, that seats its holder in the caller's group at registration.
 * Each member may make RATE_LIMIT_INVITES_PER_USER_PER_DAY of them (429 past that).
 */
@Injectable()
export class CreateInviteHandler {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly invites: InvitesRepository,
    private readonly uow: UnitOfWork,
    private readonly limit: InviteLimit,
  ) {}

  async execute(caller: { userId: string; groupId: string }): Promise<InviteDto> {
    const group = groupOfMember(await this.groups.findById(caller.groupId), caller.userId);
    canInvite(group);
    await this.limit.spend(caller.userId);
    const inviteCode = newInviteCode((n) => randomInt(n));
    const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
    await this.uow.run(() =>
      this.invites.create({
        codeHash: hashInviteCode(inviteCode),
        groupId: group.groupId,
        createdBy: caller.userId,
        expiresAt,
        usedAt: null,
      }),
    );
    return { inviteCode, expiresAt: expiresAt.toISOString() };
  }
}
