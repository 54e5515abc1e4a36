import { Invite } from '../domain/group';

export abstract class InvitesRepository {
  abstract create(invite: Invite): Promise<void>;
  /** Marks the invite used if it is unused and unexpired; null otherwise. Single use, atomically. */
  abstract consume(codeHash: string, usedBy: string, now: Date): Promise<Invite | null>;
}
