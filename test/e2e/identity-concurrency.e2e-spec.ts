import mongoose from 'mongoose';
import { EVENTS } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { EventTap } from '../support/event-tap';
import { member, PASSWORD, register, uniqueUsername } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

describe('identity under concurrency (exact outcomes, real MongoDB transactions)', () => {
  const iso = new TestIsolation('idconc');
  let stack: IdentityStack;
  let db: mongoose.Connection;

  beforeAll(async () => {
    stack = await startIdentityStack(iso);
    db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  it('8 simultaneous joins to a group of 3 let exactly 1 in; the other 7 get GROUP_FULL and leave nothing behind', async () => {
    const owner = await member(stack.http);
    const invite = async () =>
      (await stack.http().post('/v1/groups/me/invites').set(owner.auth).expect(201)).body
        .inviteCode as string;
    for (const code of [await invite(), await invite()]) {
      expect((await register(stack.http, { inviteCode: code })).res.status).toBe(201);
    }
    const codes = await Promise.all(Array.from({ length: 8 }, invite));

    const results = await Promise.all(codes.map((inviteCode) => register(stack.http, { inviteCode })));

    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    for (const r of results.filter((x) => x.res.status === 409)) expect(r.res.body.code).toBe('GROUP_FULL');

    const group = await stack.http().get('/v1/groups/me').set(owner.auth).expect(200);
    expect(group.body.members).toHaveLength(4);
    const joined = results.find((r) => r.res.status === 201)!;
    expect(group.body.members.map((m: { username: string }) => m.username)).toContain(joined.username);
    expect(await db.collection('users').countDocuments({ groupId: owner.groupId })).toBe(4);
    const losers = results.filter((r) => r.res.status === 409).map((r) => r.username);
    expect(await db.collection('users').countDocuments({ username: { $in: losers } })).toBe(0);
    // Only the winner's invite was spent; the refused joins rolled their invites back.
    expect(
      await db.collection('invites').countDocuments({ groupId: owner.groupId, usedAt: { $ne: null } }),
    ).toBe(3);
    expect((await db.collection('groups').findOne({ _id: owner.groupId as never }))?.memberCount).toBe(4);
  });

  it('10 simultaneous registrations of one username create exactly one user', async () => {
    const username = uniqueUsername('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        register(stack.http, { username, email: `race${i}-${username}@example.com` }),
      ),
    );
    const statuses = results.map((r) => r.res.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.res.status === 409))
      expect(r.res.body.code).toBe('USERNAME_TAKEN');
    expect(await db.collection('users').countDocuments({ username })).toBe(1);
    // No group is left without its user.
    const winner = results.find((r) => r.res.status === 201)!;
    expect(await db.collection('groups').countDocuments({ ownerId: winner.res.body.userId })).toBe(1);
  });

  it('10 simultaneous first logins of one user publish exactly one firstLogin=true event', async () => {
    const tap = await EventTap.open(iso, EVENTS.userLoggedIn);
    try {
      const { res, username } = await register(stack.http);
      const userId = res.body.userId as string;
      const logins = await Promise.all(
        Array.from({ length: 10 }, () =>
          stack.http().post('/v1/auth/login').send({ username, password: PASSWORD }),
        ),
      );
      expect(logins.map((l) => l.status)).toEqual(Array(10).fill(200));
      const events: Array<{ payload: Record<string, unknown> }> = [];
      await waitFor('10 login events', async () => {
        events.push(...(await tap.drain()).filter((e) => e.payload.userId === userId));
        return events.length >= 10;
      });
      await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up, if there were one
      events.push(...(await tap.drain()).filter((e) => e.payload.userId === userId));
      expect(events).toHaveLength(10);
      expect(events.filter((e) => e.payload.firstLogin === true)).toHaveLength(1);
      expect(new Set(events.map((e) => e.payload.eventId)).size).toBe(10);
    } finally {
      await tap.close();
    }
  });
});
