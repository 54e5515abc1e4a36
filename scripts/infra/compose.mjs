// Docker compose (docker-compose.yml): used for every service not given by a URL when a Docker
// engine runs (LOYALTY_INFRA_DOCKER=0 skips it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, UserError, run, which } from '../proc.mjs';
import { onceResource } from './support.mjs';

let dockerCheck; // memo: Promise<boolean>

export async function dockerUsable(log) {
  if (process.env.LOYALTY_INFRA_DOCKER === '0' || !which('docker')) return false;
  dockerCheck ??= (async () => {
    const info = await run('docker', ['info'], { capture: true, timeoutMs: 20_000 }).catch(() => null);
    if (info?.code !== 0) return false; // CLI present but no engine running: not an error
    const plugin = await run('docker', ['compose', 'version'], { capture: true, timeoutMs: 20_000 });
    if (plugin.code !== 0) {
      log.warn('a Docker engine runs but `docker compose` (v2 plugin) is missing: not using Docker.');
      return false;
    }
    return true;
  })();
  return dockerCheck;
}

const composeArgs = (args) => [
  'compose',
  '--project-directory',
  ROOT,
  '-f',
  join(ROOT, 'docker-compose.yml'),
  ...args,
];
const compose = (args, opts) => run('docker', composeArgs(args), opts);

/**
 * Starts the compose services of `services` (service modules: `compose.service`, `compose.port`,
 * `compose.url(hostPort)`, `envVar`) and returns their env. Those that were not running before
 * are stopped (not removed) by the resource it adds.
 */
export async function composeUp(services, ctx) {
  const names = services.map((s) => s.compose.service);
  const ps = await compose(['ps', '--status', 'running', '--services'], { capture: true });
  const wasRunning = new Set(ps.code === 0 ? ps.output.split('\n').map((s) => s.trim()) : []);
  const toStop = names.filter((s) => !wasRunning.has(s));
  if (toStop.length) {
    // `stop`, not `down`: keeps the containers and the mongo volume for the next run.
    ctx.add(
      onceResource(
        `docker compose: ${toStop.join(', ')}`,
        () => compose(['stop', ...toStop], { capture: true }),
        () => spawnSync('docker', composeArgs(['stop', ...toStop]), { timeout: 30_000 }),
      ),
    );
  }

  ctx.log(`starting ${names.join(', ')} with docker compose (waits for healthchecks)…`);
  const up = await compose(['up', '-d', '--wait', ...names]); // streamed: image pulls take a while
  if (up.code !== 0) {
    throw new UserError(
      `\`docker compose up -d --wait ${names.join(' ')}\` failed (see its output above).\n` +
        'A host port may be taken: set MONGO_HOST_PORT / REDIS_HOST_PORT / RABBITMQ_HOST_PORT, ' +
        'or LOYALTY_INFRA_DOCKER=0 to not use Docker.',
    );
  }

  const env = {};
  for (const { compose: service, envVar } of services) {
    const res = await compose(['port', service.service, String(service.port)], { capture: true });
    const port = Number(res.output.trim().split('\n')[0]?.split(':').pop());
    if (res.code !== 0 || !port) {
      throw new UserError(
        `could not find the host port of compose service ${service.service}:\n${res.output}`,
      );
    }
    env[envVar] = service.url(port);
  }
  return env;
}
