import type { CountedPage } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { User, UserChanges } from '../domain/user';

/** Users, by id and by username. Unique username and email are enforced by the store. */
export abstract class UsersRepository {
  /** Throws UniqueViolation naming `username` or `email` when taken. */
  abstract insert(user: User): Promise<void>;
  abstract findById(userId: string): Promise<User | null>;
  abstract findByIds(userIds: string[]): Promise<User[]>;
  abstract findByUsername(username: string): Promise<User | null>;
  /**
   * Records a successful login of an ACTIVE user; `firstLogin` is true only the first time ever
   * (atomic). Null when the account is not active (any more): it was disabled meanwhile.
   */
  abstract recordLogin(userId: string, at: Date): Promise<{ firstLogin: boolean } | null>;
  abstract updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Applies an administrator's changes; throws UniqueViolation naming `email` when taken. */
  abstract update(userId: string, changes: UserChanges): Promise<void>;
  /**
   * One page of the users whose username, email or full name contains `text` (any case), newest
   * first by (createdAt, userId), which never changes: pages neither repeat nor skip. `total`
   * counts every match.
   */
  abstract search(text: string | undefined, page: PageRequest): Promise<CountedPage<User>>;
  abstract count(): Promise<number>;
}
