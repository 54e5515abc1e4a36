import { createHash } from 'node:crypto';
import { groupFull, groupNotFound } from './groups.errors';

/** A loyalty account shared by up to this many people (docs/api.md). */
export const MAX_GROUP_MEMBERS = 4;
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export interface GroupMember {
  userId: string;
  username: string;
  joinedAt: Date;
}

export interface Group {
  groupId: string;
  ownerId: string;
  members: GroupMember[];
  createdAt: Date;
}

export interface Invite {
  /** SHA-256 of the code: a leaked database does not hand out working invites. */
  codeHash: string;
  groupId: string;
  createdBy: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export function hasRoom(memberCount: number): boolean {
  return memberCount < MAX_GROUP_MEMBERS;
}

/** The caller's group, or NOT_FOUND when there is none or they are not one of its members. */
export function groupOfMember(group: Group | null, userId: string): Group {
  if (!group || !group.members.some((m) => m.userId === userId)) throw groupNotFound();
  return group;
}

/** Unambiguous characters (no 0/O, 1/I/L): invites get read out and typed by people. */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITE_LENGTH = 16;

/**
 * A fresh invite code. `randomIndex(n)` must be uniform on 0..n-1 (crypto.randomInt is: it
 * rejection-samples, so there is no modulo bias). 16 of 31 symbols ≈ 79 bits.
 */
export function newInviteCode(randomIndex: (n: number) => number): string {
  let code = '';
  for (let i = 0; i < INVITE_LENGTH; i++) code += INVITE_ALPHABET[randomIndex(INVITE_ALPHABET.length)];
  return code;
}

/** Codes are case-insensitive and may be written in groups: "abcd-efgh ..." works. */
export function normalizeInviteCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/** Invites are stored by this hash only: a leaked database hands out no working codes. */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(normalizeInviteCode(code)).digest('hex');
}

export function canInvite(group: Group): void {
  if (!hasRoom(group.members.length)) throw groupFull(MAX_GROUP_MEMBERS);
}
