import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@lib/errors';
import { UniqueViolation, UnitOfWork } from '@lib/persistence';
import { groupFull, inviteInvalid, MAX_GROUP_MEMBERS } from '../groups/domain/group';
import { hashInviteCode } from '../groups/invite-code-hash';
import { GroupsRepository, InvitesRepository } from '../groups/groups.repository';
import { PasswordHasher } from '../passwords/password-hasher';
import { normalizeEmail, Role, User } from './domain/user';
import { UsersRepository } from './users.repository';

export interface RegisterUserInput {
  username: string;
  password: string;
  email: string;
  phone?: string;
  fullName?: string;
  birthday?: string;
  inviteCode?: string;
  roles?: Role[];
}

/**
 * Register: a new group owned by the user, or a seat in the inviting group. One transaction
 * spends the invite, takes the seat (a conditional update that refuses a fifth member, whatever
 * the concurrency) and inserts the user; any refusal rolls all of it back, invite included.
 */
@Injectable()
export class RegisterUserHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
    private readonly invites: InvitesRepository,
    private readonly passwords: PasswordHasher,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(input: RegisterUserInput): Promise<{ userId: string; groupId: string; roles: Role[] }> {
    const passwordHash = await this.passwords.hash(input.password);
    const userId = randomUUID();
    const now = new Date();
    const username = input.username.toLowerCase();
    try {
      return await this.uow.run(async () => {
        let groupId: string;
        if (input.inviteCode) {
          const invite = await this.invites.consume(hashInviteCode(input.inviteCode), userId, now);
          if (!invite) throw inviteInvalid();
          groupId = invite.groupId;
          const seated = await this.groups.addMember(
            groupId,
            { userId, username, joinedAt: now },
            MAX_GROUP_MEMBERS,
          );
          if (!seated) throw groupFull();
        } else {
          groupId = randomUUID();
          await this.groups.create({
            groupId,
            ownerId: userId,
            members: [{ userId, username, joinedAt: now }],
            createdAt: now,
          });
        }
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
        return { userId, groupId, roles: user.roles };
      });
    } catch (err) {
      throw err instanceof UniqueViolation ? takenError(err) : err;
    }
  }
}

function takenError(err: UniqueViolation): DomainError {
  if ('email' in err.key) {
    return new DomainError('EMAIL_TAKEN', 'an account with this email exists', {}, [
      { field: 'email', message: 'email is already registered' },
    ]);
  }
  if ('username' in err.key) {
    return new DomainError('USERNAME_TAKEN', 'this username is taken', {}, [
      { field: 'username', message: 'username is already taken' },
    ]);
  }
  throw err;
}
