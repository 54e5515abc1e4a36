import { databaseOf, rabbitUrlOf } from '../../drills/app-env';
import type { Engines } from '../../drills/environment';
import { APPS } from '../../drills/platform';

describe("the drill replicas' environment", () => {
  const cluster: Engines = {
    mongoUri: 'mongodb://m',
    redisUrl: 'redis://r',
    rabbitUrls: ['amqp://n1', 'amqp://n2', 'amqp://n3'],
    shared: false,
  };

  it('spread: the two replicas of every app are on different nodes, so one node down leaves each app one', () => {
    for (const [appIndex] of APPS.entries()) {
      const [r0, r1] = [0, 1].map((replica) => rabbitUrlOf(cluster, 'spread', appIndex, replica));
      expect(r0).not.toBe(r1);
    }
  });

  it('joined: every replica gets every node, comma-separated', () => {
    expect(rabbitUrlOf(cluster, 'joined', 0, 1)).toBe('amqp://n1,amqp://n2,amqp://n3');
  });

  it("the coupon worker works in promotion's database; on shared engines the run's databases are its own", () => {
    expect(databaseOf('coupon-worker', 'abc', false)).toBe('loyalty_promotion');
    expect(databaseOf('webhook-dispatcher', 'abc', false)).toBe('loyalty_webhook_dispatcher');
    expect(databaseOf('coupon-worker', 'abc', true)).toBe('drills_abc_promotion');
  });
});
