import { decodeJwt } from 'jose';
import { EVENTS } from '@lib/contracts';
import { AmqpConnection } from '@lib/messaging';
import { disposableBroker, DisposableBroker, TestIsolation, waitFor } from '@lib/testing';
import { LogInHandler } from '../../apps/auth/src/sessions/log-in/log-in.handler';
import { EventTap } from '../support/event-tap';
import { PASSWORD, register } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

describe('a login while RabbitMQ is down (a real broker node of this test, stopped and restarted)', () => {
  const iso = new TestIsolation('loginout');
  let broker: DisposableBroker;
  let stack: IdentityStack;

  beforeAll(async () => {
    broker = await disposableBroker(iso.infra.rabbitUrl);
    stack = await startIdentityStack(iso, {
      auth: { rabbitUrl: broker.url },
      gateway: { rabbitUrl: broker.url },
    });
  }, 60000);

  afterAll(async () => {
    await stack?.close();
    await broker?.dispose();
    await iso.cleanup();
  });

  it('succeeds in the auth service, and its event is delivered once the broker returns', async () => {
    const { res, username } = await register(stack.http);
    const userId = res.body.userId as string;
    const tapOptions = { rabbitUrl: broker.url, name: 'outage-tap' }; // durable: survives the restart
    await (await EventTap.open(iso, EVENTS.userLoggedIn, tapOptions)).close();

    await broker.stop();
    await waitFor('auth to notice the outage', () => !stack.auth.get(AmqpConnection).isConnected());

    // The gateway reaches auth only through the broker: it says so, as 503 UPSTREAM_UNAVAILABLE.
    const viaGateway = await stack.http().post('/v1/auth/login').send({ username, password: PASSWORD });
    expect(viaGateway.status).toBe(503);
    expect(viaGateway.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });

    // The login itself needs no broker: the record, the session and the event commit together.
    const tokens = await stack.auth.get(LogInHandler).execute({ username, password: PASSWORD });
    expect(decodeJwt(tokens.accessToken).sub).toBe(userId);

    await broker.restart();
    const events = await waitFor(
      'the login event after the broker returned',
      async () => {
        const tap = await EventTap.open(iso, EVENTS.userLoggedIn, tapOptions).catch(() => undefined);
        const got = (await tap?.drain())?.filter((e) => e.payload.userId === userId);
        await tap?.close();
        return got?.length ? got : undefined;
      },
      30000,
    );
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ userId, firstLogin: true })]);
  }, 90000);
});
