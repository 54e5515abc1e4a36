import { UpstreamTimeout, UpstreamUnavailable } from '@lib/errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { RequestContext } from '@lib/observability';
import { ScriptedMemberDirectory } from '../../../../../test/support/loyalty/scripted-member-directory';
import {
  MEMBER_FOUND_FOR_MS,
  MEMBER_REFRESHED_AFTER_MS,
  MEMBERS_REMEMBERED,
  MemberGroups,
} from './member-groups';

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
    // Not asked for in the second half of its time: not asked again in the background either.
    jest.advanceTimersByTime(MEMBER_FOUND_FOR_MS);
    directory.members.delete('u-1'); // disabled meanwhile: refused once the few seconds are over
    await expect(members.member('u-1', onBehalf)).rejects.toMatchObject({ code: 'UNKNOWN_MEMBER' });
    expect(directory.asked).toHaveLength(2);
  });

  it('in the second half of its time, answers from what it knows and asks auth again in the background, once', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 6) });
    const directory = new ScriptedMemberDirectory(new Map([['u-1', 'g-1']]));
    const members = new MemberGroups(directory);
    await members.member('u-1', onBehalf);
    jest.advanceTimersByTime(MEMBER_REFRESHED_AFTER_MS - 1);
    await members.member('u-1', onBehalf);
    expect(directory.asked).toHaveLength(1);
    // Moved to another group meanwhile: this request still acts for the group known (well within
    // its time); auth is asked once, however many requests come before it answers.
    directory.members.set('u-1', 'g-2');
    jest.advanceTimersByTime(1);
    const before = await Promise.all([members.member('u-1', onBehalf), members.member('u-1', onBehalf)]);
    expect(before).toEqual([
      { userId: 'u-1', groupId: 'g-1' },
      { userId: 'u-1', groupId: 'g-1' },
    ]);
    expect(directory.asked).toHaveLength(2);
    // The background answer has landed meanwhile: the next request acts for the group auth knows.
    await expect(members.member('u-1', onBehalf)).resolves.toEqual({ userId: 'u-1', groupId: 'g-2' });
    // The answer starts a new time: nothing more is asked for its first half.
    jest.advanceTimersByTime(MEMBER_REFRESHED_AFTER_MS - 1);
    await members.member('u-1', onBehalf);
    expect(directory.asked).toHaveLength(2);
  });

  it('a refusal found in the background forgets the member at once: the next request is refused', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 6) });
    const directory = new ScriptedMemberDirectory(new Map([['u-1', 'g-1']]));
    const members = new MemberGroups(directory);
    await members.member('u-1', onBehalf);
    directory.members.delete('u-1');
    jest.advanceTimersByTime(MEMBER_REFRESHED_AFTER_MS);
    await expect(members.member('u-1', onBehalf)).resolves.toEqual({ userId: 'u-1', groupId: 'g-1' });
    await Promise.resolve();
    await expect(members.member('u-1', onBehalf)).rejects.toMatchObject({ code: 'UNKNOWN_MEMBER' });
    expect(directory.asked).toHaveLength(3);
  });

  it.each([
    ['unavailable (503)', () => new UpstreamUnavailable('the message broker is not reachable')],
    ['silent (504)', () => new UpstreamTimeout('auth', 5000)],
  ])(
    'auth out of reach in the background, %s: what is known serves out its time, then the request waits for auth',
    async (_, outOfReach) => {
      jest.useFakeTimers({ now: Date.UTC(2026, 11, 6) });
      const directory = new ScriptedMemberDirectory(new Map([['u-1', 'g-1']]));
      const members = new MemberGroups(directory);
      await members.member('u-1', onBehalf);
      const unreachable = jest.spyOn(directory, 'member').mockRejectedValue(outOfReach());
      jest.advanceTimersByTime(MEMBER_REFRESHED_AFTER_MS);
      await members.member('u-1', onBehalf);
      await Promise.resolve();
      // Tried again by a later request, still answered from what is known.
      await expect(members.member('u-1', onBehalf)).resolves.toEqual({ userId: 'u-1', groupId: 'g-1' });
      expect(unreachable).toHaveBeenCalledTimes(2);
      jest.advanceTimersByTime(MEMBER_FOUND_FOR_MS - MEMBER_REFRESHED_AFTER_MS);
      await expect(members.member('u-1', onBehalf)).rejects.toMatchObject({ code: outOfReach().code });
    },
  );

  it('asks in the background without the deadline of the request that happened to trigger it', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 6) });
    const directory = new ScriptedMemberDirectory(new Map([['u-1', 'g-1']]));
    const members = new MemberGroups(directory);
    await members.member('u-1', onBehalf);
    let deadlineSeen: number | undefined = -1;
    jest.spyOn(directory, 'member').mockImplementation(async (userId) => {
      deadlineSeen = RequestContext.msLeft();
      return { userId, groupId: 'g-1' };
    });
    jest.advanceTimersByTime(MEMBER_REFRESHED_AFTER_MS);
    await RequestContext.run('r', () => members.member('u-1', onBehalf), Date.now() + 10);
    await Promise.resolve();
    expect(deadlineSeen).toBeUndefined();
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
