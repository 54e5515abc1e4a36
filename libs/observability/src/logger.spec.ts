import { JsonLogger } from './logger';
import { RequestContext } from './request-context';
import { captureLogs } from './testing/log-capture';

describe('JSON logs with request ids (pure)', () => {
  it('writes one JSON object per entry with app, level, ISO time and the current request id', async () => {
    const { lines, logger } = captureLogs('loyalty', 'info');
    await RequestContext.run('req-123', async () => {
      await Promise.resolve(); // the id survives async hops
      logger.info({ purchaseId: 'p-1' }, 'purchase recorded');
    });
    logger.info('outside any request');
    expect(lines[0]).toMatchObject({
      app: 'loyalty',
      level: 'info',
      requestId: 'req-123',
      purchaseId: 'p-1',
    });
    expect(lines[0].msg).toBe('purchase recorded');
    expect(new Date(lines[0].time as string).toISOString()).toBe(lines[0].time);
    expect(lines[1]).not.toHaveProperty('requestId');
  });

  it("routes Nest's own log calls into the same stream", () => {
    const { lines, logger } = captureLogs('gateway', 'info');
    new JsonLogger(logger).warn('slow upstream', 'RpcClient');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', context: 'RpcClient', msg: 'slow upstream' }),
    ]);
  });

  it('makes up an id when none (or an unsafe one) comes in', () => {
    const ids = [undefined, 'has spaces', 'x'.repeat(200)].map((id) =>
      RequestContext.run(id, () => RequestContext.requestId()),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(RequestContext.run('ok-id_1.2:3', () => RequestContext.requestId())).toBe('ok-id_1.2:3');
  });
});
