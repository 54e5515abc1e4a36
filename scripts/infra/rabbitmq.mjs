// RabbitMQ: RABBITMQ_URL, else docker compose's "rabbitmq", else a broker on 127.0.0.1:5672, else
// `rabbitmq-server -detached`. It daemonizes itself, so it is not our child: stopped with
// `rabbitmqctl stop`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { UserError, run, secs, which } from '../proc.mjs';
import { aptInstall } from './apt.mjs';
import { indent, onceResource, tcpExchange, useUrl, waitFor } from './support.mjs';

const RABBIT_URL = 'amqp://guest:guest@127.0.0.1:5672'; // guest/guest is allowed on loopback only

export const rabbitmq = {
  label: 'RabbitMQ',
  envVar: 'RABBITMQ_URL',
  defaultPort: 5672,
  compose: { service: 'rabbitmq', port: 5672, url: (port) => `amqp://guest:guest@127.0.0.1:${port}` },
  fromEnv: (url, log) => useUrl(rabbitmq, url, log),
  startLocal: localRabbit,
};

/** A real AMQP 0-9-1 broker answers the protocol header with a Connection.Start method frame (type 1). */
const amqpAnswers = () =>
  tcpExchange('127.0.0.1', 5672, Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), (buf) => buf[0] === 1);

async function localRabbit(ctx) {
  if (await amqpAnswers()) {
    ctx.log('RabbitMQ: using the broker already running on 127.0.0.1:5672');
    return RABBIT_URL;
  }
  const sbin = (cmd) => which(cmd) ?? (existsSync(`/usr/sbin/${cmd}`) ? `/usr/sbin/${cmd}` : null);
  let server = sbin('rabbitmq-server');
  if (!server && (await aptInstall('rabbitmq-server', ctx))) {
    // The package's install script may have started the broker already.
    if (await waitFor(amqpAnswers, { timeoutMs: 5_000, optional: true })) return RABBIT_URL;
    server = sbin('rabbitmq-server');
  }
  if (!server) {
    throw new UserError(
      'RabbitMQ is needed: nothing answers AMQP on 127.0.0.1:5672 and `rabbitmq-server` is not installed.\n' +
        'Do one of: set RABBITMQ_URL (e.g. amqp://guest:guest@127.0.0.1:5672); start a Docker engine; ' +
        'install RabbitMQ (`sudo apt-get install rabbitmq-server`, `brew install rabbitmq`).',
    );
  }
  ctx.log('RabbitMQ: starting rabbitmq-server -detached on port 5672 (takes ~10s)…');
  const t0 = Date.now();
  const res = await run(server, ['-detached'], { capture: true });
  if (res.code !== 0) {
    throw new UserError(`\`${server} -detached\` failed:\n${indent(res.output)}`);
  }
  const ctl = sbin('rabbitmqctl') ?? 'rabbitmqctl';
  ctx.add(
    onceResource(
      'rabbitmq-server',
      () => run(ctl, ['stop'], { capture: true, timeoutMs: 60_000 }),
      () => spawnSync(ctl, ['stop'], { timeout: 30_000 }),
    ),
  );
  await waitFor(amqpAnswers, {
    what: 'rabbitmq-server',
    timeoutMs: 90_000,
    hint: 'Its logs are usually in /var/log/rabbitmq/.',
  });
  ctx.log(`RabbitMQ: ready in ${secs(Date.now() - t0)}`);
  return RABBIT_URL;
}
