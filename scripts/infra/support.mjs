// What the service modules of scripts/infra/ share: resources that stop once (a child process of
// ours, or a command), waiting for a server, TCP probes, free ports, and printing.
import { readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { UserError, secs, sleep, terminate, waitDeadSync } from '../proc.mjs';

/**
 * A URL from the environment for a plain TCP service (Redis, RabbitMQ): checks that something
 * accepts connections there and returns it unchanged. RABBITMQ_URL may list a cluster's nodes,
 * comma-separated: each must be a URL, and one answering is enough (a node may be down).
 */
export async function useUrl({ label, envVar, defaultPort }, url, log) {
  log(`${label}: using ${envVar}=${redact(url)}`);
  const endpoints = url
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      try {
        const u = new URL(item);
        return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || defaultPort };
      } catch {
        throw new UserError(
          `${envVar}=${redact(url)} is not a valid URL${url.includes(',') ? ' list' : ''}.`,
        );
      }
    });
  if (!endpoints.length) throw new UserError(`${envVar} is set but empty.`);
  const answers = await Promise.all(endpoints.map(({ host, port }) => tcpExchange(host, port)));
  if (!answers.some(Boolean)) {
    const where = endpoints.map(({ host, port }) => `${host}:${port}`).join(', ');
    throw new UserError(
      `${envVar}=${redact(url)} is set, but nothing accepts connections on ${where}.\n` +
        `Start that server, or unset ${envVar} to let this script provide one.`,
    );
  }
  return url;
}

/** A started child process (own process group) plus its temp dir: stop = SIGTERM, SIGKILL, rm -r. */
export function childResource(name, child, dir) {
  let stopping = null; // the stop in progress: concurrent callers all wait for the same one
  let done = false;
  return {
    name,
    stop() {
      stopping ??= (async () => {
        await terminate(child, { group: true, timeoutMs: 15_000 });
        await rm(dir, { recursive: true, force: true });
        done = true;
      })();
      return stopping;
    },
    // From process.on('exit'), also while stop() is still awaiting (forced exit).
    stopSync() {
      if (done) return;
      done = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      waitDeadSync(child.pid); // else it could still be writing files while we delete them
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A resource whose stop() runs once, however often and concurrently it is called. */
export function onceResource(name, stopAsync, stopSync) {
  let stopping = null;
  let done = false;
  return {
    name,
    stop() {
      stopping ??= stopAsync().finally(() => (done = true));
      return stopping;
    },
    stopSync() {
      if (done) return;
      done = true;
      stopSync();
    },
  };
}

/** Poll `probe` until it resolves true. Throws a UserError on timeout or if `child` exits. */
export async function waitFor(probe, { what, child, timeoutMs, logFile, hint = '', optional = false }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    const exited = child && (child.exitCode !== null || child.signalCode !== null);
    if (exited || Date.now() > deadline) {
      if (optional) return false;
      const why = exited
        ? `exited (code ${child.exitCode ?? child.signalCode})`
        : `not ready after ${secs(timeoutMs)}`;
      const logs = logFile ? `\nLast lines of its output:\n${indent(tail(logFile))}` : '';
      throw new UserError(`${what} ${why}.${logs}${hint ? `\n${hint}` : ''}`);
    }
    await sleep(200);
  }
}

/**
 * Connect to host:port, optionally send `payload` and let `check(buffer)` decide (true/false, or
 * undefined to wait for more bytes). Resolves false on any error or after `timeoutMs`.
 */
export function tcpExchange(host, port, payload, check, timeoutMs = 1_500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = Buffer.alloc(0);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('connect', () => {
      if (!check) return done(true);
      socket.write(payload);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const verdict = check(buffer);
      if (verdict !== undefined) done(verdict);
    });
  });
}

/** The lowest port Linux hands out for outgoing connections (32768 unless configured). */
export function ephemeralPortsFrom() {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 11000) return low;
  } catch {
    // not Linux: the IANA range's start
  }
  return 49152;
}

const LOWEST_PORT = 10000;

/**
 * A TCP port that is free right now on 127.0.0.1, for a server started next. Picked below the
 * kernel's ephemeral range: a port the OS picks (listen on 0) comes from that range, where any
 * outgoing connection (a mongod member dialling another, a RabbitMQ node dialling epmd) may take
 * it as its local port before the server binds it, and the server then fails with EADDRINUSE
 * (seen in the drills' RabbitMQ cluster). Random, probed by binding it; the OS's pick after 50
 * taken ports in a row.
 */
export async function freePort() {
  const span = ephemeralPortsFrom() - LOWEST_PORT;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * span);
    if ((await listenOn(port).catch(() => null)) !== null) return port;
  }
  return listenOn(0);
}

/** Binds `port` on 127.0.0.1 (0: the OS picks), releases it, and resolves with the port bound. */
function listenOn(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

export function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export const indent = (text) =>
  String(text)
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** Hide the password in a URL before printing it. */
export function redact(url) {
  return String(url).replace(/\/\/([^:/@]+):[^@/]*@/g, '//$1:***@');
}
