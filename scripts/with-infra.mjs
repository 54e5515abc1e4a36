// `node scripts/with-infra.mjs <command> [args…]`: run one command with MongoDB, Redis and
// RabbitMQ provisioned (scripts/infra.mjs) and their URLs in its environment, then stop what was
// started. Exits with the command's code (2 if setup fails). Used by `npm run migrate`.
import { spawn } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';
import { startInfra } from './infra.mjs';
import { ROOT, UserError, exit, logger, onExit, terminate, track } from './proc.mjs';

const log = logger('with-infra');

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) throw new UserError('usage: node scripts/with-infra.mjs <command> [args…]');
  await ensureDeps({ log });
  const infra = await startInfra({ log: logger('infra') });
  log(`running: ${[cmd, ...args].join(' ')}`);
  const child = track(
    spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...infra.env }, stdio: 'inherit' }),
  );
  onExit(() => terminate(child)); // on Ctrl-C/SIGTERM: the command first, then the infrastructure
  const code = await new Promise((resolve) => {
    child.on('error', (err) => {
      log.error(`cannot run ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  await infra.stop();
  return code;
}

main().then(exit, (err) => {
  if (err instanceof UserError) log.error(err.message);
  else console.error(err);
  exit(2);
});
