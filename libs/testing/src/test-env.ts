import { randomBytes } from 'node:crypto';

export interface TestInfra {
  mongoUri: string;
  redisUrl: string;
  rabbitUrl: string;
}

/** The real infrastructure `npm test` provisioned. Running jest alone without it fails clearly. */
export function testInfra(): TestInfra {
  const { MONGODB_URI, REDIS_URL, RABBITMQ_URL } = process.env;
  const missing = Object.entries({ MONGODB_URI, REDIS_URL, RABBITMQ_URL })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length) {
    throw new Error(
      `${missing.join(', ')} not set: integration tests need real MongoDB, Redis and RabbitMQ. ` +
        'Run them with `npm test` (it provisions all three), or export the URLs yourself.',
    );
  }
  return { mongoUri: MONGODB_URI!, redisUrl: REDIS_URL!, rabbitUrl: RABBITMQ_URL! };
}

/** A short id unique to this test file's run, used in every name the file creates. */
export function uniqueId(label: string): string {
  const safe = label
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 16)
    .toLowerCase();
  return `${safe}_${randomBytes(4).toString('hex')}`;
}
