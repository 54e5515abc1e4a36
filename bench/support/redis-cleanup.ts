import Redis from 'ioredis';

/** Deletes every Redis key a benchmark run made (they all start with its prefix). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true });
  await client.connect();
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await client.del(...keys);
      cursor = nextCursor;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
