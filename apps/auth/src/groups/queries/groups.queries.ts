import { Injectable } from '@nestjs/common';
import type { GroupDto, GroupExistsDto } from '@lib/contracts';
import { groupOfMember, MAX_GROUP_MEMBERS } from '../domain/group';
import { GroupsRepository } from '../ports/groups.repository';

@Injectable()
export class GroupsQueries {
  constructor(private readonly groups: GroupsRepository) {}

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
