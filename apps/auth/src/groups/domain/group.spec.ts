import { randomInt } from 'node:crypto';
import {
  INVITE_ALPHABET,
  INVITE_LENGTH,
  MAX_GROUP_MEMBERS,
  canInvite,
  hasRoom,
  newInviteCode,
  normalizeInviteCode,
} from './group';

const group = (members: number) => ({
  groupId: 'g',
  ownerId: 'u0',
  createdAt: new Date(),
  members: Array.from({ length: members }, (_, i) => ({
    userId: `u${i}`,
    username: `n${i}`,
    joinedAt: new Date(),
  })),
});

describe('groups (domain)', () => {
  it('seats at most 4 people', () => {
    expect(MAX_GROUP_MEMBERS).toBe(4);
    expect([0, 1, 2, 3, 4, 5].map(hasRoom)).toEqual([true, true, true, true, false, false]);
  });

  it('refuses to invite into a full group with GROUP_FULL', () => {
    expect(() => canInvite(group(3))).not.toThrow();
    expect(() => canInvite(group(4))).toThrow(expect.objectContaining({ code: 'GROUP_FULL' }));
  });

  it('makes invite codes of 16 unambiguous symbols, using every symbol about equally', () => {
    const counts = new Map<string, number>();
    const codes = Array.from({ length: 2000 }, () => newInviteCode((n) => randomInt(n)));
    for (const code of codes) {
      expect(code).toMatch(new RegExp(`^[${INVITE_ALPHABET}]{${INVITE_LENGTH}}$`));
      for (const ch of code) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(counts.size).toBe(INVITE_ALPHABET.length);
    const expected = (2000 * INVITE_LENGTH) / INVITE_ALPHABET.length; // ≈ 1032 per symbol
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.25);
    expect(INVITE_ALPHABET).not.toMatch(/[01IOL]/);
  });

  it('asks the random source for indexes below the alphabet size only', () => {
    const asked: number[] = [];
    newInviteCode((n) => (asked.push(n), n - 1));
    expect(asked).toEqual(Array(INVITE_LENGTH).fill(INVITE_ALPHABET.length));
  });

  it('accepts codes typed in lowercase, with spaces or dashes', () => {
    expect(normalizeInviteCode('abcd-efgh jkmn-pqrs')).toBe('ABCDEFGHJKMNPQRS');
  });
});
