import { DomainError } from '@lib/errors';

/** A loyalty account shared by up to this many people (API.md). */
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

export function groupFull(): DomainError {
  return new DomainError('GROUP_FULL', `the group already has ${MAX_GROUP_MEMBERS} members`, {
    maxMembers: MAX_GROUP_MEMBERS,
  });
}

export function inviteInvalid(): DomainError {
  return new DomainError('INVITE_INVALID', 'the invite code is unknown, already used or expired', {}, [
    { field: 'inviteCode', message: 'inviteCode is unknown, already used or expired' },
  ]);
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

export function canInvite(group: Group): void {
  if (!hasRoom(group.members.length)) throw groupFull();
}
