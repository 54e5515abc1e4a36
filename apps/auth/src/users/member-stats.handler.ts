import { Injectable } from '@nestjs/common';
import type { MemberStatsDto } from '@lib/contracts';
import { GroupsRepository } from '../groups/groups.repository';
import { UsersRepository } from './users.repository';

/** Auth's part of the admin stats: how many accounts and groups there are. */
@Injectable()
export class MemberStatsHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
  ) {}

  async execute(): Promise<MemberStatsDto> {
    const [members, groups] = await Promise.all([this.users.count(), this.groups.count()]);
    return { members, groups };
  }
}
