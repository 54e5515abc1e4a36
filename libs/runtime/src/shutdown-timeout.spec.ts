import { INestApplication } from '@nestjs/common';
import { ConfigError } from '@lib/config';
import { LOGGER } from '@lib/observability';
import { readShutdownTimeoutMs, stopOnSignals } from './main-runner';

describe('the shutdown timeout (SHUTDOWN_TIMEOUT_MS)', () => {
  it('is 25 s unless set', () => {
    expect(readShutdownTimeoutMs('auth', {})).toBe(25_000);
    expect(readShutdownTimeoutMs('auth', { SHUTDOWN_TIMEOUT_MS: '' })).toBe(25_000);
  });

  it('is read from the environment', () => {
    expect(readShutdownTimeoutMs('coupon-worker', { SHUTDOWN_TIMEOUT_MS: '55000' })).toBe(55_000);
  });

  it.each(['soon', '2.5', '999', '3600001', '-1'])('refuses %s, naming the variable', (raw) => {
    expect(() => readShutdownTimeoutMs('auth', { SHUTDOWN_TIMEOUT_MS: raw })).toThrow(ConfigError);
    expect(() => readShutdownTimeoutMs('auth', { SHUTDOWN_TIMEOUT_MS: raw })).toThrow(
      /auth: invalid configuration:\n {2}- SHUTDOWN_TIMEOUT_MS must be an integer in 1000\.\.3600000/,
    );
  });

  describe('on SIGTERM, a drain that never ends', () => {
    const signals = ['SIGTERM', 'SIGINT'] as const;
    let before: Map<string, unknown[]>;
    let exit: jest.SpyInstance;
    const logger = { info: jest.fn(), error: jest.fn() };
    const app = {
      get: (token: unknown) => (token === LOGGER ? logger : undefined),
      close: () => new Promise<void>(() => undefined),
    } as unknown as INestApplication;

    beforeEach(() => {
      jest.useFakeTimers();
      exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      before = new Map(signals.map((s) => [s, process.listeners(s)]));
    });
    afterEach(() => {
      // Only the listeners stopOnSignals added: Jest's own stay.
      for (const s of signals)
        for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.removeListener(s, l);
      exit.mockRestore();
      jest.useRealTimers();
    });

    it('ends the process with exit code 1 after the configured timeout, not before', () => {
      stopOnSignals(
        'coupon-worker',
        app,
        readShutdownTimeoutMs('coupon-worker', { SHUTDOWN_TIMEOUT_MS: '55000' }),
      );
      process.emit('SIGTERM', 'SIGTERM');
      jest.advanceTimersByTime(54_999);
      expect(exit).not.toHaveBeenCalled(); // 25 s (the old constant) has long passed
      jest.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(1);
      expect(logger.error).toHaveBeenCalledWith('coupon-worker: shutdown took over 55000 ms; exiting anyway');
    });
  });
});
