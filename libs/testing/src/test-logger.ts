import pino from 'pino';
import type { Logger } from '@lib/observability';

/** A real pino logger that stays quiet unless TEST_LOGS=1, for libs that take a logger. */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOGS ? 'debug' : 'silent' });
}
