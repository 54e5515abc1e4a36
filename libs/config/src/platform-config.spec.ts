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

  describe('METRICS_PORT', () => {
    it('is unset by default: /metrics stays on the API port', () => {
      expect(readPlatformConfig('loyalty', {}, base).metricsPort).toBeUndefined();
      expect(readPlatformConfig('loyalty', {}, { ...base, METRICS_PORT: '' }).metricsPort).toBeUndefined();
    });

    it('is read as a port of its own', () => {
      expect(readPlatformConfig('loyalty', {}, { ...base, METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    });

    it.each([
      ['9464', { PORT: '9464' }, /METRICS_PORT must differ from PORT \(both 9464\)/],
      ['3002', {}, /METRICS_PORT must differ from PORT \(both 3002\)/],
      ['0', {}, /METRICS_PORT must be an integer in 1\.\.65535/],
      ['scrape', {}, /METRICS_PORT must be an integer in 1\.\.65535/],
      ['70000', {}, /METRICS_PORT must be an integer in 1\.\.65535/],
    ])('refuses %s %j, naming the variable', (value, env, message) => {
      const attempt = () => readPlatformConfig('loyalty', {}, { ...base, ...env, METRICS_PORT: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    });
  });

  describe('RABBITMQ_URL', () => {
    const rabbit = (value: string) =>
      readPlatformConfig('loyalty', {}, { ...base, RABBITMQ_URL: value }).rabbitUrl;

    it('takes one URL as it is', () => {
      expect(rabbit('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:guest@127.0.0.1:5672');
      expect(rabbit('amqps://u:p@rabbit.example.net:5671/loyalty')).toBe(
        'amqps://u:p@rabbit.example.net:5671/loyalty',
      );
    });

    it('takes a comma-separated list, one URL per cluster node', () => {
      const list = 'amqp://u:p@10.0.0.1:5672, amqp://u:p@10.0.0.2:5672,amqps://u:p@10.0.0.3:5671';
      expect(rabbit(list)).toBe(list);
    });

    it.each([
      [
        'http://u:secret@10.0.0.1:15672',
        /RABBITMQ_URL must be an amqp:\/\/ or amqps:\/\/ URL.*"http:\/\/u:\*\*\*@10\.0\.0\.1:15672"/,
      ],
      ['amqp://u:secret@10.0.0.1,10.0.0.2', /RABBITMQ_URL must be .*\(got "10\.0\.0\.2"\)/],
      ['amqp://u:secret@10.0.0.1,', /RABBITMQ_URL must be .*\(got an empty item\)/],
      ['rabbit.example.net:5672', /RABBITMQ_URL must be .*\(got "rabbit\.example\.net:5672"\)/],
    ])('refuses %s, naming the variable and hiding the password', (value, message) => {
      const attempt = () => rabbit(value);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
      expect(attempt).not.toThrow(/secret/);
    });
  });

  describe('API_DOCS_ENABLED', () => {
    const docs = (value?: string) =>
      readPlatformConfig('gateway', { mongo: false }, { ...base, API_DOCS_ENABLED: value }).apiDocsEnabled;

    it('serves the docs unless told not to', () => {
      expect(docs(undefined)).toBe(true);
      expect(docs('')).toBe(true);
      expect(docs('TRUE')).toBe(true);
      expect(docs('false')).toBe(false);
      expect(docs(' False ')).toBe(false);
    });

    it('refuses anything else, naming the variable', () => {
      expect(() => docs('off')).toThrow('API_DOCS_ENABLED must be true or false (got "off")');
    });
  });
});
