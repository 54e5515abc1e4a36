import { testLogger } from '@lib/testing';
import { AmqpConnection, brokerUrls } from './amqp-connection';

describe('brokerUrls (pure)', () => {
  it('reads one URL as a list of one', () => {
    expect(brokerUrls('amqp://guest:guest@127.0.0.1:5672')).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
  });

  it('splits a comma-separated list, ignoring blanks around the commas', () => {
    expect(brokerUrls('amqp://a:5672, amqp://b:5672 ,amqps://c:5671,')).toEqual([
      'amqp://a:5672',
      'amqp://b:5672',
      'amqps://c:5671',
    ]);
  });

  it('refuses to build a connection without any URL', () => {
    expect(() => new AmqpConnection({ url: ' , ', name: 'none', logger: testLogger() })).toThrow(
      'AmqpConnection: no broker URL given',
    );
  });
});
