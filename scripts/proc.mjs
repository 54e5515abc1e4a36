// Process helpers shared by scripts/up.mjs, scripts/test.mjs, scripts/infra.mjs and scripts/infra/.
// Node built-ins only: this is imported before `node_modules` exists.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Repository root (scripts/..), so the scripts work from any cwd. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An error whose message says everything the user needs: callers print it without a stack trace. */
export class UserError extends Error {}

/** `log('x')` prints `[prefix] x`; `log.warn` / `log.error` go to stderr. */
export function logger(prefix) {
  const log = (...args) => console.log(`[${prefix}]`, ...args);
  log.warn = (...args) => console.error(`[${prefix}] warning:`, ...args);
  log.error = (...args) => console.error(`[${prefix}] ✖`, ...args);
  return log;
}

export const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full path of an executable found on PATH, or null (a tiny `which`, no child process). */
export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Path of a tool installed in node_modules/.bin (we call them directly: faster than npx, never downloads). */
export function bin(name) {
  return join(ROOT, 'node_modules', '.bin', name);
}

/**
 * Pipe a stream line by line to `out`, each line prefixed and passed through `format`; `onLine`
 * sees every raw line (used to keep the last lines of an app's log for error messages).
 */
export function pipeLines(stream, prefix, out = process.stdout, onLine = () => {}, format = (line) => line) {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    onLine(line);
    out.write(`${prefix}${format(line)}\n`);
  });
}

// ---------------------------------------------------------------------------------------------
// Readable app logs: the apps write one JSON object per line (libs/observability); on a terminal
// `npm run up` shows them as short coloured lines instead.

const LEVEL_STYLE = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 35 };
// Written by every line, or shown in their own place: not repeated among the key fields.
const SHOWN = new Set([
  'time',
  'level',
  'msg',
  'app',
  'pid',
  'hostname',
  'requestId',
  'trace_id',
  'span_id',
  'trace', // a stack (Nest's errors), printed below the line
]);
const MAX_FIELDS = 6;
const MAX_VALUE = 80;

/**
 * One app log line made readable: `12:00:01.234 INFO  http POST /v1/purchases 201 12.3ms
 * req=… trace=…`, the access lines (`http`, `rpc`) as method/pattern, route, status or outcome and
 * duration, any other line as its message and a few key fields. A line that isn't one of our JSON
 * log objects (a stack trace, a boot error) is returned unchanged. The time is local; an error's
 * stack follows on indented lines. `color`: ANSI colours.
 */
export function formatLogLine(line, { color = false } = {}) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (!entry || typeof entry !== 'object' || typeof entry.level !== 'string' || !('msg' in entry))
    return line;
  const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const at = new Date(entry.time);
  const time = Number.isNaN(at.getTime())
    ? ''
    : `${at.toTimeString().slice(0, 8)}.${String(at.getMilliseconds()).padStart(3, '0')}`;
  const level = paint(LEVEL_STYLE[entry.level] ?? 0, entry.level.toUpperCase().padEnd(5));
  const parts = [paint(90, time), level];
  const fields = { ...entry };
  if (entry.msg === 'http' && 'route' in entry) {
    parts.push(
      `${entry.method} ${entry.route} ${paint(statusStyle(entry.status), entry.status)} ${entry.ms}ms`,
    );
    for (const k of ['method', 'route', 'status', 'ms']) delete fields[k];
  } else if (entry.msg === 'rpc' && 'pattern' in entry) {
    const outcome = entry.outcome === 'ok' ? paint(32, 'ok') : paint(33, entry.outcome);
    parts.push(`rpc ${entry.pattern} ${outcome} ${entry.ms}ms`);
    for (const k of ['pattern', 'outcome', 'ms']) delete fields[k];
  } else {
    parts.push(String(entry.msg));
  }
  const extra = Object.entries(fields).filter(([k, v]) => !SHOWN.has(k) && v !== undefined && v !== null);
  for (const [k, v] of extra.slice(0, MAX_FIELDS)) parts.push(`${paint(90, `${k}=`)}${short(v)}`);
  if (extra.length > MAX_FIELDS) parts.push(paint(90, `(+${extra.length - MAX_FIELDS} more)`));
  if (entry.requestId) parts.push(paint(90, `req=${entry.requestId}`));
  if (entry.trace_id) parts.push(paint(90, `trace=${entry.trace_id}`));
  const stack = typeof entry.trace === 'string' ? entry.trace : entry.err?.stack;
  const below = typeof stack === 'string' ? `\n${stack.replace(/^/gm, '    ')}` : '';
  return parts.join(' ') + below;
}

function statusStyle(status) {
  return status >= 500 ? 31 : status >= 400 ? 33 : 32;
}

/**
 * The formatter for an app's output going to `out`: readable lines on a terminal (coloured),
 * JSON as written otherwise; LOG_FORMAT=json keeps JSON on a terminal too, LOG_FORMAT=pretty
 * makes lines readable (uncoloured) in a pipe or a file.
 */
export function appLogFormat(out, mode = process.env.LOG_FORMAT) {
  if (mode === 'json' || (mode !== 'pretty' && !out.isTTY)) return undefined;
  const color = Boolean(out.isTTY);
  return (line) => formatLogLine(line, { color });
}

function short(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * Run a command to completion. Output is inherited (streamed) unless `capture` is true, in which
 * case stdout+stderr are collected in `output` (interleaved, in arrival order).
 * Resolves { code, signal, output }; rejects only if the command cannot be spawned.
 */
export function run(cmd, args, { cwd = ROOT, env = process.env, capture = false, timeoutMs } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      timeout: timeoutMs,
    });
    track(child);
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

// ---------------------------------------------------------------------------------------------
// Children of this process that are not detached: killed on exit so nothing is left behind.

const children = new Set();

export function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Resolves when `child` has exited (immediately if it already has). */
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Stop a child: `signal`, then SIGKILL after `timeoutMs`. For detached children (own process
 * group) the whole group is signalled, so grandchildren go too.
 */
export async function terminate(child, { signal = 'SIGTERM', timeoutMs = 10_000, group = false } = {}) {
  const send = (sig) => {
    try {
      if (group) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) return;
  send(signal);
  const timer = setTimeout(() => send('SIGKILL'), timeoutMs);
  await exited(child);
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// onExit: run cleanup hooks on Ctrl-C, SIGTERM, SIGHUP, uncaught errors and process exit.

const hooks = [];
let installed = false;
let shuttingDown = 0; // timestamp of the first signal

/**
 * Register `stopFn` (async) to run on SIGINT/SIGTERM/SIGHUP or an uncaught error; hooks run in
 * reverse order of registration (apps registered after infra are stopped before it), then the
 * process exits with 128+signal (or 1 for an error). If `stopFn.sync` exists it also runs on a
 * plain `process.exit()` as a last resort (only synchronous work is possible there).
 * Returns a function that unregisters the hook.
 */
export function onExit(stopFn) {
  install();
  hooks.push(stopFn);
  return () => {
    const i = hooks.indexOf(stopFn);
    if (i >= 0) hooks.splice(i, 1);
  };
}

const SIGNAL_CODES = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function install() {
  if (installed) return;
  installed = true;
  for (const sig of Object.keys(SIGNAL_CODES)) {
    process.on(sig, () => shutdown(`received ${sig}`, 128 + SIGNAL_CODES[sig]));
  }
  const crash = (err) => {
    // Errors raised while we are already cleaning up are consequences of it (e.g. a server we
    // just stopped): not worth a stack trace.
    if (!shuttingDown) console.error(err);
    shutdown('uncaught error', 1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('exit', runSyncHooks);
}

/**
 * Exit with `code`, first running the cleanup hooks (async, in order) like a signal would, but
 * quietly. If a signal-triggered shutdown is already running, it finishes and exits by itself.
 * `reason`, if given, is printed as the cause of the cleanup.
 */
export function exit(code, reason) {
  if (!shuttingDown) shutdown(reason, code);
}

/**
 * Synchronously wait (busy-poll, at most `timeoutMs`) until `pid` is dead or a zombie, so that its
 * files can be removed safely from a process.on('exit') handler. Linux only (/proc); elsewhere
 * returns at once.
 */
export function waitDeadSync(pid, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return; // gone (or no /proc)
    }
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
  }
}

async function shutdown(reason, code) {
  if (shuttingDown) {
    // `npm run` forwards Ctrl-C to us while the terminal also sends it: the same keypress
    // arrives twice within milliseconds. Only a later, deliberate second Ctrl-C forces exit.
    if (Date.now() - shuttingDown < 1500) return;
    console.error('[exit] second signal: killing everything now');
    process.exit(code);
  }
  shuttingDown = Date.now();
  if (reason) console.error(`[exit] ${reason}: cleaning up… (press Ctrl-C again to force)`);
  for (const hook of [...hooks].reverse()) {
    try {
      await hook();
    } catch (err) {
      console.error('[exit] cleanup step failed:', err?.message ?? err);
    }
  }
  process.exit(code);
}

function runSyncHooks() {
  for (const hook of [...hooks].reverse()) {
    try {
      hook.sync?.();
    } catch {
      // best effort: we are exiting anyway
    }
  }
  for (const child of children) child.kill('SIGKILL');
}
