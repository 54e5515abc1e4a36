import { Group, GroupMember } from '../domain/group';

export abstract class GroupsRepository {
  abstract create(group: Group): Promise<void>;
  abstract findById(groupId: string): Promise<Group | null>;
  /** The groups among `groupIds` that exist, in no particular order (one query). */
  abstract findByIds(groupIds: string[]): Promise<Group[]>;
  /**
   * Adds a member only while the group has room, as one conditional update: under concurrent
   * joins the store, not a prior read, decides who gets the last seat. False when full.
   */
  abstract addMember(groupId: string, member: GroupMember, maxMembers: number): Promise<boolean>;
  abstract count(): Promise<number>;
}
