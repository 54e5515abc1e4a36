import { Role, User } from './domain/user';

/** Users, by id and by username. Unique username and email are enforced by the store. */
export abstract class UsersRepository {
  /** Throws UniqueViolation naming `username` or `email` when taken. */
  abstract insert(user: User): Promise<void>;
  abstract findById(userId: string): Promise<User | null>;
  abstract findByUsername(username: string): Promise<User | null>;
  /** Records a successful login; true only the first time ever for this user (atomic). */
  abstract recordLogin(userId: string, at: Date): Promise<{ firstLogin: boolean }>;
  abstract updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
  abstract addRole(userId: string, role: Role): Promise<void>;
}
