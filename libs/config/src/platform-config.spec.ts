import { ConfigError, readPlatformConfig } from '.';

const base = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
  REDIS_URL: 'redis://127.0.0.1:6379',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

describe('readPlatformConfig (pure)', () => {
  it('fills defaults: the port of the app, a database per service, no prefix', () => {
    const config = readPlatformConfig('loyalty', {}, base);
    expect(config).toMatchObject({
      port: 3002,
      mongoDb: 'loyalty_loyalty',
      namePrefix: '',
      rpcTimeoutMs: 5000,
    });
  });

  it("puts the coupon worker in promotion's database: it writes promotion's coupon codes", () => {
    expect(readPlatformConfig('coupon-worker', {}, base)).toMatchObject({
      port: 3004,
      mongoDb: 'loyalty_promotion',
    });
    expect(readPlatformConfig('promotion', {}, base).mongoDb).toBe('loyalty_promotion');
  });

  it('names every missing or malformed variable at once, with what to set', () => {
    const attempt = () => readPlatformConfig('auth', {}, { PORT: 'eighty', RPC_TIMEOUT_MS: '5' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/MONGODB_URI is not set/);
    expect(attempt).toThrow(/REDIS_URL is not set \(e\.g\. redis:\/\//);
    expect(attempt).toThrow(/RABBITMQ_URL is not set/);
    expect(attempt).toThrow(/PORT must be an integer in 0\.\.65535/);
    expect(attempt).toThrow(/RPC_TIMEOUT_MS must be an integer in 50\.\.60000/);
  });

  it('does not ask the gateway for a database', () => {
    const { MONGODB_URI: _unused, ...withoutMongo } = base;
    expect(readPlatformConfig('gateway', { mongo: false }, withoutMongo).port).toBe(3000);
  });

  it('splits CORS origins', () => {
    const config = readPlatformConfig(
      'gateway',
      { mongo: false },
      { ...base, CORS_ORIGINS: 'https://a.example, https://b.example' },
    );
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});
