import { Injectable } from '@nestjs/common';
import type { AdminGroupDto, GroupDto, GroupExistsDto } from '@lib/contracts';
import { UsersRepository } from '../../users/ports/users.repository';
import { groupOfMember, MAX_GROUP_MEMBERS } from '../domain/group';
import { groupNotFound } from '../domain/groups.errors';
import { GroupsRepository } from '../ports/groups.repository';

@Injectable()
export class GroupsQueries {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Any group and its members' names, contact and status, for administrators; NOT_FOUND if none. */
  async adminView(groupId: string): Promise<AdminGroupDto> {
    const group = await this.groups.findById(groupId);
    if (!group) throw groupNotFound();
    const users = new Map(
      (await this.users.findByIds(group.members.map((m) => m.userId))).map((u) => [u.userId, u]),
    );
    return {
      groupId: group.groupId,
      maxMembers: MAX_GROUP_MEMBERS,
      members: group.members.map((m) => {
        // Registration seats a member and creates the account in one unit of work: a seat
        // without one is not expected, and would show as a disabled account without an email.
        const user = users.get(m.userId);
        return {
          userId: m.userId,
          username: m.username,
          fullName: user?.fullName ?? null,
          email: user?.email ?? '',
          status: user?.status ?? 'DISABLED',
        };
      }),
    };
  }

  /** Whether a group exists (admins, and loyalty on an admin's behalf): no members, no details. */
  async exists(groupId: string): Promise<GroupExistsDto> {
    return { groupId, exists: (await this.groups.findById(groupId)) !== null };
  }

  /** The caller's own group and its members; NOT_FOUND if they are not in it (any more). */
  async myGroup(caller: { userId: string; groupId: string }): Promise<GroupDto> {
    const group = groupOfMember(await this.groups.findById(caller.groupId), caller.userId);
    return {
      groupId: group.groupId,
      maxMembers: MAX_GROUP_MEMBERS,
      members: group.members.map((m) => ({ userId: m.userId, username: m.username })),
    };
  }
}
