import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { NotFound } from '@lib/errors';
import { UnitOfWork } from '@lib/persistence';
import { hashInviteCode } from './invite-code-hash';
import { canInvite, INVITE_TTL_MS, newInviteCode } from './domain/group';
import { GroupsRepository, InvitesRepository } from './groups.repository';

/** A single-use code, valid 7 days, that seats its holder in the caller's group at registration. */
@Injectable()
export class CreateInviteHandler {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly invites: InvitesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(caller: {
    userId: string;
    groupId: string;
  }): Promise<{ inviteCode: string; expiresAt: string }> {
    const group = await this.groups.findById(caller.groupId);
    if (!group || !group.members.some((m) => m.userId === caller.userId)) throw new NotFound('group');
    canInvite(group);
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
