// `node scripts/private-mongod.mjs`: starts a private single-node replica set, prints
// `MONGODB_URI=<uri>` on stdout, and stops it (deleting its data) when stdin closes or on a signal.
// Tests that step a primary down use it, so the shared test mongod is never disturbed.
import { startPrivateMongo } from './infra.mjs';

// Progress goes to stderr: stdout carries only the URI line the caller parses.
const log = (...args) => console.error('[private-mongod]', ...args);
log.warn = (...args) => console.error('[private-mongod] warning:', ...args);
log.error = (...args) => console.error('[private-mongod] ✖', ...args);

const { uri, stop } = await startPrivateMongo({ log });
process.stdout.write(`MONGODB_URI=${uri}\n`);
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await stop();
  process.exit(0);
};
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
