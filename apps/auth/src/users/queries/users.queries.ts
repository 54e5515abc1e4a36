import { Injectable } from '@nestjs/common';
import type { MemberLookupDto, MemberStatsDto } from '@lib/contracts';
import { GroupsRepository } from '../../groups/ports/groups.repository';
import { canLogIn, toProfile, UserProfile } from '../domain/user';
import { unknownMember, userNotFound } from '../domain/users.errors';
import { UsersRepository } from '../ports/users.repository';

@Injectable()
export class UsersQueries {
  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
  ) {}

  /** The caller's own account (`me`): never the hash, the status or the login history. */
  async profile(userId: string): Promise<UserProfile> {
    const user = await this.users.findById(userId);
    if (!user) throw userNotFound();
    return toProfile(user);
  }

  /**
   * The group of a member an API client names (a purchase, a redemption at a till): only an
   * ACTIVE account is a member one can act for; unknown and disabled get the same answer.
   */
  async activeMember(userId: string): Promise<MemberLookupDto> {
    const user = await this.users.findById(userId);
    if (!user || !canLogIn(user)) throw unknownMember();
    return { userId: user.userId, groupId: user.groupId };
  }

  /** Auth's part of the admin stats: how many accounts and groups there are. */
  async memberStats(): Promise<MemberStatsDto> {
    const [members, groups] = await Promise.all([this.users.count(), this.groups.count()]);
    return { members, groups };
  }
}
