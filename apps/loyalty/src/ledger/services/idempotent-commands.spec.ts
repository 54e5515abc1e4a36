import { DomainError } from '@lib/errors';
import { RequestContext } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import type { RequestKey, RequestRecord } from '../ports/request-log.repository';
import { RequestLog } from '../ports/request-log.repository';
import { fingerprint, IdempotentCommands } from './idempotent-commands';

describe('request fingerprints (pure)', () => {
  it('ignore key order and absent fields, and tell any change of value apart', () => {
    const base = fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE', storeId: null });
    expect(fingerprint({ storeId: null, payer: 'STORE', amount: '1.00', purchaseId: 'p' })).toBe(base);
    expect(
      fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE', storeId: null, x: undefined }),
    ).toBe(base);
    expect(fingerprint({ purchaseId: 'p', amount: '1.01', payer: 'STORE', storeId: null })).not.toBe(base);
    expect(fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE', storeId: 'null' })).not.toBe(base);
    expect(fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE' })).not.toBe(base);
  });
});

/** The request log kept in memory, for the queueing rules below (unit test: no database). */
class RequestLogInMemory {
  readonly records: RequestRecord<unknown>[] = [];
  async find<T>(key: RequestKey): Promise<RequestRecord<T> | null> {
    const found = this.records.find(
      (r) => r.kind === key.kind && r.scope === key.scope && r.businessId === key.businessId,
    );
    return (found as RequestRecord<T> | undefined) ?? null;
  }
  async insert<T>(record: RequestRecord<T>): Promise<void> {
    this.records.push(record);
  }
}

class InsufficientPoints extends DomainError {
  constructor() {
    super('INSUFFICIENT_POINTS', 'too few points');
  }
}

class UnitOfWorkInline extends UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}

describe("a group's queue of requests (unit)", () => {
  const key = (businessId: string): RequestKey => ({ kind: 'purchase', scope: 'till', businessId });

  it('skips a request whose caller stopped waiting while it queued, and runs the ones still waited for', async () => {
    const log = new RequestLogInMemory();
    const commands = new IdempotentCommands(log as unknown as RequestLog, new UnitOfWorkInline());
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const work = (id: string, wait?: Promise<void>) => async () => {
      await wait;
      ran.push(id);
      return { id };
    };

    // The first holds the group's queue; the second's caller gives up 20 ms in; the third set no deadline.
    const first = commands.run(key('p1'), 'g1', 'print-1', work('p1', held));
    const second = RequestContext.run(
      'r2',
      () => commands.run(key('p2'), 'g1', 'print-2', work('p2')),
      Date.now() + 20,
    );
    const third = commands.run(key('p3'), 'g1', 'print-3', work('p3'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    release();

    await expect(first).resolves.toEqual({ created: true, body: { id: 'p1' } });
    await expect(second).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    await expect(third).resolves.toEqual({ created: true, body: { id: 'p3' } });
    // Nothing of the skipped one was written: its caller's retry does it, as a first call.
    expect(ran).toEqual(['p1', 'p3']);
    expect(log.records.map((r) => r.businessId)).toEqual(['p1', 'p3']);
    await expect(commands.run(key('p2'), 'g1', 'print-2', work('p2'))).resolves.toEqual({
      created: true,
      body: { id: 'p2' },
    });
  });

  it('runs a request whose caller still waits when its turn comes', async () => {
    const log = new RequestLogInMemory();
    const commands = new IdempotentCommands(log as unknown as RequestLog, new UnitOfWorkInline());
    const answer = RequestContext.run(
      'r1',
      () => commands.run(key('p1'), 'g1', 'print-1', async () => ({ id: 'p1' })),
      Date.now() + 5_000,
    );
    await expect(answer).resolves.toEqual({ created: true, body: { id: 'p1' } });
  });

  it("runs the precheck only when the group's queue holds other writes, and its refusal stops the request before its turn", async () => {
    const log = new RequestLogInMemory();
    const commands = new IdempotentCommands(log as unknown as RequestLog, new UnitOfWorkInline());
    const prechecked: string[] = [];
    const refuse = (id: string) => async () => {
      prechecked.push(id);
      throw new InsufficientPoints();
    };
    const ran: string[] = [];
    const work = (id: string, wait?: Promise<void>) => async () => {
      await wait;
      ran.push(id);
      return { id };
    };

    // Alone in its group: straight to its transaction, which decides (here: it runs).
    await expect(commands.run(key('p1'), 'g1', 'print-1', work('p1'), refuse('p1'))).resolves.toEqual({
      created: true,
      body: { id: 'p1' },
    });
    // Behind a write of its group's: the precheck refuses it without waiting for its turn.
    let release!: () => void;
    const held = commands.run(key('p2'), 'g1', 'print-2', work('p2', new Promise((r) => (release = r))));
    await expect(commands.run(key('p3'), 'g1', 'print-3', work('p3'), refuse('p3'))).rejects.toBeInstanceOf(
      InsufficientPoints,
    );
    expect(prechecked).toEqual(['p3']);
    expect(ran).toEqual(['p1']);
    release();
    await held;
    expect(log.records.map((r) => r.businessId)).toEqual(['p1', 'p2']);
  });
});
