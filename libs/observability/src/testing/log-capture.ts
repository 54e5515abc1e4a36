import { Writable } from 'node:stream';
import { Logger, createLogger } from '../logger';

/** A real JSON logger (createLogger) whose lines a test reads back, as objects and as written. */
export function captureLogs(
  app = 'test',
  level = 'debug',
): { lines: Record<string, unknown>[]; raw: string[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString().trimEnd());
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, raw, logger: createLogger(app, level, stream) };
}
