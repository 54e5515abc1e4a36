import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { UniqueViolation, UnitOfWork } from '@lib/persistence';
import { hashInviteCode, MAX_GROUP_MEMBERS } from '../../groups/domain/group';
import { groupFull, groupNotFound, inviteInvalid } from '../../groups/domain/groups.errors';
import { GroupsRepository } from '../../groups/ports/groups.repository';
import { InvitesRepository } from '../../groups/ports/invites.repository';
import { normalizeEmail, Role, User } from '../domain/user';
import { accountTaken } from '../domain/users.errors';
import { PasswordHasher } from '../ports/password-hasher';
import { UsersRepository } from '../ports/users.repository';

export interface RegisterUserInput {
  username: string;
  password: string;
  email: string;
  phone?: string;
  fullName?: string;
  birthday?: string;
  inviteCode?: string;
  roles?: Role[];
  /** Enrollment only: a seat in this existing group, with no invite. */
  groupId?: string;
}

/** More writes for the same transaction, once the user is in (e.g. enrollment's outbox events). */
export type WithinRegistration = (user: User) => Promise<void>;

/**
 * Register: a new group owned by the user, or a seat in the inviting group (or, for an admin's
 * enrollment, in the group named). One transaction spends the invite, takes the seat (a
 * conditional update that refuses a fifth member, whatever the concurrency) and inserts the user;
 * any refusal rolls all of it back, invite included. `execute` is the self-service sign-up, which
 * adds `auth.user.registered` to that transaction; `create` is the shared core that enrollment and
 * the admin bootstrap build on, each announcing (or not) in its own way.
 */
@Injectable()
export class RegisterUserHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
    private readonly invites: InvitesRepository,
    private readonly passwords: PasswordHasher,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  async execute(input: RegisterUserInput): Promise<{ userId: string; groupId: string; roles: Role[] }> {
    const user = await this.create(input, (created) =>
      this.outbox.add(EVENTS.userRegistered, {
        eventId: randomUUID(),
        occurredAt: created.createdAt.toISOString(),
        userId: created.userId,
        groupId: created.groupId,
        joinedByInvite: Boolean(input.inviteCode),
      }),
    );
    return { userId: user.userId, groupId: user.groupId, roles: user.roles };
  }

  async create(input: RegisterUserInput, within?: WithinRegistration): Promise<User> {
    const passwordHash = await this.passwords.hash(input.password);
    const userId = randomUUID();
    const now = new Date();
    const username = input.username.toLowerCase();
    try {
      return await this.uow.run(async () => {
        const groupId = await this.seat(input, { userId, username, joinedAt: now });
        const user: User = {
          userId,
          username,
          email: normalizeEmail(input.email),
          phone: input.phone ?? null,
          fullName: input.fullName ?? null,
          birthday: input.birthday ?? null,
          groupId,
          roles: input.roles?.length ? [...new Set(input.roles)] : ['member'],
          status: 'ACTIVE',
          passwordHash,
          createdAt: now,
          firstLoginAt: null,
        };
        await this.users.insert(user);
        await within?.(user);
        return user;
      });
    } catch (err) {
      throw (err instanceof UniqueViolation && accountTaken(err.key)) || err;
    }
  }

  /** Inside the transaction: the group the new user sits in. */
  private async seat(
    input: RegisterUserInput,
    member: { userId: string; username: string; joinedAt: Date },
  ): Promise<string> {
    let groupId: string;
    if (input.inviteCode) {
      const invite = await this.invites.consume(
        hashInviteCode(input.inviteCode),
        member.userId,
        member.joinedAt,
      );
      if (!invite) throw inviteInvalid();
      groupId = invite.groupId;
    } else if (input.groupId) {
      if (!(await this.groups.findById(input.groupId))) throw groupNotFound();
      groupId = input.groupId;
    } else {
      groupId = randomUUID();
      await this.groups.create({
        groupId,
        ownerId: member.userId,
        members: [member],
        createdAt: member.joinedAt,
      });
      return groupId;
    }
    if (!(await this.groups.addMember(groupId, member, MAX_GROUP_MEMBERS)))
      throw groupFull(MAX_GROUP_MEMBERS);
    return groupId;
  }
}
