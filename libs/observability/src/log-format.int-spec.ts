import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import Fastify from 'fastify';
import { instrumentHttp } from './http-instrumentation';
import { JsonLogger } from './logger';
import { Metrics } from './metrics';
import { captureLogs } from './testing/log-capture';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm run up` shows the apps' JSON lines readably (scripts/proc.mjs, plain Node: run in a real
 * process). Checked against lines this lib really writes, so the two can't drift apart.
 */
function format(lines: string[], env: NodeJS.ProcessEnv = {}, isTTY = false): string[] {
  const script = `
    import { appLogFormat } from './scripts/proc.mjs';
    const input = JSON.parse(process.argv[1]);
    const format = appLogFormat({ isTTY: ${isTTY} });
    console.log(JSON.stringify(input.map((line) => (format ? format(line) : line))));`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(lines)], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC', LOG_FORMAT: '', ...env },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as string[];
}

describe('readable app logs for `npm run up` (scripts/proc.mjs)', () => {
  let raw: string[];

  beforeAll(async () => {
    const capture = captureLogs('gateway', 'debug');
    const fastify = Fastify({ logger: false });
    instrumentHttp(fastify, new Metrics('gateway', false), capture.logger);
    fastify.post('/v1/purchases', async (_req, reply) => reply.status(201).send({}));
    await fastify.inject({ method: 'POST', url: '/v1/purchases', headers: { 'x-request-id': 'req-9' } });
    capture.logger.info(
      { pattern: 'loyalty.purchase.create', outcome: 'INSUFFICIENT_POINTS', ms: 8.1, requestId: 'req-9' },
      'rpc',
    );
    capture.logger.warn({ queue: 'auth.audit-log', attempt: 2, reason: 'boom' }, 'event handler failed');
    new JsonLogger(capture.logger).error(
      'broker gone',
      'Error: broker gone\n    at connect (amqp.ts:1:1)',
      'Amqp',
    );
    raw = [...capture.raw, 'auth failed to start: plain text'];
  });

  it('on a terminal: time, level, message or access fields, a few key fields, request id; stacks below', () => {
    const out = format(raw, {}, true).map((l) => stripVTControlCharacters(l)); // colours aside
    expect(out[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}POST \/v1\/purchases 201 [\d.]+ms req=req-9$/);
    expect(out[1]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}rpc loyalty\.purchase\.create INSUFFICIENT_POINTS 8\.1ms req=req-9$/,
    );
    expect(out[2]).toMatch(/ WARN {2}event handler failed queue=auth\.audit-log attempt=2 reason=boom$/);
    expect(out[3]).toMatch(/ ERROR broker gone context=Amqp\n {4}Error: broker gone\n {8}at connect/);
    expect(out[4]).toBe('auth failed to start: plain text'); // not ours: unchanged
    expect(format(raw, {}, true)[0]).toContain('\x1b[32m201\x1b[0m'); // coloured
  });

  it('keeps JSON when not on a terminal, or with LOG_FORMAT=json; LOG_FORMAT=pretty reads well in a pipe', () => {
    expect(format(raw, {}, false)).toEqual(raw);
    expect(format(raw, { LOG_FORMAT: 'json' }, true)).toEqual(raw);
    const piped = format(raw, { LOG_FORMAT: 'pretty' }, false);
    expect(piped[0]).toMatch(/INFO {2}POST \/v1\/purchases 201/);
    expect(piped.join('\n')).not.toContain('\x1b[');
  });
});
