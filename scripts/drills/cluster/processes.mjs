// Process plumbing the cluster modules share: signalling a pid that may be gone, waiting for it to
// die (a SIGKILLed process is not gone until the kernel has reaped it), and polling.
import { readFileSync, readdirSync } from 'node:fs';
import { sleep } from '../../proc.mjs';

export function isAlive(pid) {
  if (!pid) return false;
  try {
    // A zombie still answers kill(0): look at its state too.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** kill(2) that ignores "no such process"; `group` signals the process group led by pid. */
export function signal(pid, sig, { group = false } = {}) {
  // 0 or a negative pid would signal our own process group (or every process we may signal).
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(group ? -pid : pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once pid is dead; rejects after timeoutMs. */
export async function waitDead(pid, timeoutMs, what = `process ${pid}`) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`${what} still running after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Sends `first`, waits up to graceMs, then SIGKILLs; resolves once it is dead. */
export async function terminatePid(pid, { first = 'SIGTERM', graceMs = 10_000, group = false } = {}) {
  if (!isAlive(pid)) return;
  signal(pid, first, { group });
  try {
    await waitDead(pid, graceMs);
  } catch {
    signal(pid, 'SIGKILL', { group });
    await waitDead(pid, 10_000);
  }
}

/**
 * Polls `probe` (a promise of a truthy value) every intervalMs until truthy; returns that value.
 * `what` (a string, or a function for details known only at the timeout) names it in the error.
 */
export async function pollUntil(probe, { timeoutMs, intervalMs = 100, what }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${lastError.message})` : '';
      if (typeof what === 'function') what = what();
      throw new Error(`${what}: not within ${timeoutMs} ms${why}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * SIGKILLs, synchronously, every process whose command line or environment names a path under
 * `dir` (a mongod's --dbpath; a RabbitMQ node's VM and start scripts, through RABBITMQ_MNESIA_BASE
 * and the like), and waits (up to 5 s) until they are gone. It finds them with no handle at all:
 * for an exit or signal handler, also while a start is still under way. Returns how many.
 */
export function killProcessesUsingSync(dir) {
  const marker = `${dir.replace(/\/+$/, '')}/`;
  const victims = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmdline.includes(marker) || environ.includes(marker)) victims.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  for (const pid of victims) signal(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (victims.some(isAlive) && Date.now() < deadline) {
    // busy wait: nothing asynchronous runs in an exit handler
  }
  return victims.length;
}
