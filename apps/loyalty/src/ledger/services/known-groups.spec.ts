import { DomainError } from '@lib/errors';
import { ScriptedGroupDirectory } from '../../../../../test/support/loyalty/scripted-group-directory';
import { KNOWN_GROUPS_REMEMBERED, KnownGroups } from './known-groups';

describe('KnownGroups: the admin routes act only on groups auth knows', () => {
  const admin = { accessToken: 'admin-token' };

  it('asks auth on behalf of the caller; an unknown group is NOT_FOUND', async () => {
    const directory = new ScriptedGroupDirectory(new Set(['g-1']));
    const groups = new KnownGroups(directory);
    await expect(groups.assertExists('g-1', admin)).resolves.toBeUndefined();
    const refused = await groups.assertExists('g-2', admin).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('NOT_FOUND');
    expect(directory.asked).toEqual([
      ['g-1', admin],
      ['g-2', admin],
    ]);
  });

  it('remembers a group found (groups are never deleted), never one not found (it may be made next)', async () => {
    const directory = new ScriptedGroupDirectory(new Set(['g-1']));
    const groups = new KnownGroups(directory);
    for (let i = 0; i < 3; i++) await groups.assertExists('g-1', admin);
    await expect(groups.assertExists('g-new', admin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    directory.groups.add('g-new');
    await expect(groups.assertExists('g-new', admin)).resolves.toBeUndefined();
    expect(directory.asked.map(([groupId]) => groupId)).toEqual(['g-1', 'g-new', 'g-new']);
  });

  it('remembers a bounded number of groups, forgetting the oldest first', async () => {
    const ids = Array.from({ length: KNOWN_GROUPS_REMEMBERED + 1 }, (_, i) => `g-${i}`);
    const directory = new ScriptedGroupDirectory(new Set(ids));
    const groups = new KnownGroups(directory);
    for (const id of ids) await groups.assertExists(id, admin);
    directory.asked.length = 0;
    await groups.assertExists(ids[ids.length - 1], admin);
    await groups.assertExists(ids[1], admin);
    expect(directory.asked).toEqual([]);
    await groups.assertExists(ids[0], admin);
    expect(directory.asked).toEqual([[ids[0], admin]]);
  });
});
