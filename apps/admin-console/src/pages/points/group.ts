import type { AdminGroup, GroupMember } from '../../api/types';
import { shortId } from '../../ui/ShortId';

/** `GET /v1/admin/groups/{groupId}`: a group and its members. */
export type { AdminGroup, GroupMember };

/** "ann, bob": the group named by its members' usernames, in the order they joined. */
export function memberNames(group: AdminGroup): string {
  return group.members.map((m) => m.username).join(', ');
}

/** "Group of ann, bob", the heading; a group left without members is named by its short id. */
export function groupTitle(group: AdminGroup): string {
  return group.members.length
    ? `Group of ${memberNames(group)}`
    : `Group ${shortId(group.groupId)} (no members)`;
}

/** "the group of ann, bob", for sentences: "Added 50 points to payer STORE in the group of ann, bob." */
export function theGroup(group: AdminGroup): string {
  return group.members.length ? `the group of ${memberNames(group)}` : `group ${shortId(group.groupId)}`;
}
