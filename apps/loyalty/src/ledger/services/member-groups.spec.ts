import type { AuthenticatedUser } from '@lib/jwt';
import { ScriptedMemberDirectory } from '../../../../../test/support/loyalty/scripted-member-directory';
import { MEMBER_FOUND_FOR_MS, MEMBERS_REMEMBERED, MemberGroups } from './member-groups';

const person: AuthenticatedUser = {
  userId: 'u-self',
  groupId: 'g-self',
  roles: ['member'],
  scopes: [],
  tokenId: 't',
  issuedAt: 0,
  expiresAt: 0,
};
const till: AuthenticatedUser = {
  ...person,
  userId: 'c-1',
  clientId: 'c-1',
  groupId: '',
  roles: ['client'],
  scopes: ['redemptions:write'],
};
const onBehalf = { accessToken: 'till-token' };

describe('MemberGroups: the member a ledger request acts for', () => {
  afterEach(() => jest.useRealTimers());

  it('a person acts for themselves and may not name anyone; an API client must name the member', async () => {
    const directory = new ScriptedMemberDirectory(new Map([['u-1', 'g-1']]));
    const members = new MemberGroups(directory);
    await expect(members.actingFor(person, undefined, onBehalf)).resolves.toEqual({
      userId: 'u-self',
      groupId: 'g-self',
    });
    const namingUserId = { code: 'VALIDATION_FAILED', errors: [{ field: 'userId' }] };
    await expect(members.actingFor(person, 'u-1', onBehalf)).rejects.toMatchObject(namingUserId);
    await expect(members.actingFor(till, undefined, onBehalf)).rejects.toMatchObject(namingUserId);
    await expect(members.actingFor(till, 'u-1', onBehalf)).resolves.toEqual({
      userId: 'u-1',
      groupId: 'g-1',
    });
    // Auth was asked once, on the client's behalf; people never cost a question.
    expect(directory.asked).toEqual([['u-1', onBehalf]]);
  });

  it('remembers a member found for a few seconds, then asks again', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 6) });
    const directory = new ScriptedMemberDirectory(new Map([['u-1', 'g-1']]));
    const members = new MemberGroups(directory);
    for (let i = 0; i < 5; i++) await members.member('u-1', onBehalf);
    expect(directory.asked).toHaveLength(1);
    jest.advanceTimersByTime(MEMBER_FOUND_FOR_MS - 1);
    await members.member('u-1', onBehalf);
    expect(directory.asked).toHaveLength(1);
    // Disabled meanwhile: refused once the few seconds are over.
    directory.members.delete('u-1');
    jest.advanceTimersByTime(1);
    await expect(members.member('u-1', onBehalf)).rejects.toMatchObject({ code: 'UNKNOWN_MEMBER' });
    expect(directory.asked).toHaveLength(2);
  });

  it('never remembers a refusal: a member created or enabled next is found at once', async () => {
    const directory = new ScriptedMemberDirectory(new Map());
    const members = new MemberGroups(directory);
    await expect(members.member('u-new', onBehalf)).rejects.toMatchObject({ code: 'UNKNOWN_MEMBER' });
    directory.members.set('u-new', 'g-new');
    await expect(members.member('u-new', onBehalf)).resolves.toEqual({ userId: 'u-new', groupId: 'g-new' });
    expect(directory.asked.map(([userId]) => userId)).toEqual(['u-new', 'u-new']);
  });

  it('remembers a bounded number of members, forgetting the oldest first', async () => {
    const ids = Array.from({ length: MEMBERS_REMEMBERED + 1 }, (_, i) => `u-${i}`);
    const directory = new ScriptedMemberDirectory(new Map(ids.map((id) => [id, `g-${id}`])));
    const members = new MemberGroups(directory);
    for (const id of ids) await members.member(id, onBehalf);
    directory.asked.length = 0;
    await members.member(ids[ids.length - 1], onBehalf);
    await members.member(ids[1], onBehalf);
    expect(directory.asked).toEqual([]);
    await members.member(ids[0], onBehalf);
    expect(directory.asked).toEqual([[ids[0], onBehalf]]);
  });
});
