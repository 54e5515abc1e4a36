// Redis: REDIS_URL, else docker compose's "redis", else a server on 127.0.0.1:6379, else a
// redis-server of ours (no persistence, free port, temporary directory).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { UserError, which } from '../proc.mjs';
import { aptInstall } from './apt.mjs';
import { childResource, freePort, tcpExchange, useUrl, waitFor } from './support.mjs';

export const redis = {
  label: 'Redis',
  envVar: 'REDIS_URL',
  defaultPort: 6379,
  compose: { service: 'redis', port: 6379, url: (port) => `redis://127.0.0.1:${port}` },
  fromEnv: (url, log) => useUrl(redis, url, log),
  startLocal: localRedis,
};

const redisPong = (buf) => (buf.includes('\r\n') ? buf.toString().startsWith('+PONG') : undefined);

async function localRedis(ctx) {
  if (await tcpExchange('127.0.0.1', 6379, 'PING\r\n', redisPong)) {
    ctx.log('Redis: using the server already running on 127.0.0.1:6379');
    return 'redis://127.0.0.1:6379';
  }
  const server = which('redis-server') ?? ((await aptInstall('redis-server', ctx)) && which('redis-server'));
  if (!server) {
    throw new UserError(
      'Redis is needed: nothing answers on 127.0.0.1:6379 and `redis-server` is not installed.\n' +
        'Do one of: set REDIS_URL (e.g. redis://127.0.0.1:6379); start a Docker engine; ' +
        'install Redis (`sudo apt-get install redis-server`, `brew install redis`).',
    );
  }
  const port = await freePort();
  const dir = await mkdtemp(join(os.tmpdir(), 'loyalty-redis-'));
  ctx.log(`Redis: starting redis-server on port ${port}…`);
  const out = openSync(join(dir, 'redis.log'), 'w');
  // No persistence: test/dev data is disposable. --dir keeps any stray file in our temp dir.
  const child = spawn(
    server,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  ctx.add(childResource(`redis-server (port ${port})`, child, dir));
  await waitFor(() => tcpExchange('127.0.0.1', port, 'PING\r\n', redisPong), {
    what: 'redis-server',
    child,
    timeoutMs: 20_000,
    logFile: join(dir, 'redis.log'),
  });
  return `redis://127.0.0.1:${port}`;
}
