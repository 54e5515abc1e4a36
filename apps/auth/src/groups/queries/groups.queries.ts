import { Injectable } from '@nestjs/common';
import type { GroupDto } from '@lib/contracts';
import { groupOfMember, MAX_GROUP_MEMBERS } from '../domain/group';
import { GroupsRepository } from '../ports/groups.repository';

@Injectable()
export class GroupsQueries {
  constructor(private readonly groups: GroupsRepository) {}

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
