import type { Reply } from '../../drills/gateway-client';
import { OpenLoopLoad, sleep, usualVerdict, type Operation, type Stream } from '../../drills/open-loop-load';
import { assignmentVerdict } from '../../drills/operations';

/** An operation whose attempts get `replies` in turn; it records every body it was sent with. */
function scripted(id: string, replies: Reply[], sent: Array<{ id: string; gateway: number }>): Operation {
  let n = 0;
  return {
    kind: 'purchase',
    id,
    send: async (gateway) => {
      sent.push({ id, gateway });
      return replies[Math.min(n++, replies.length - 1)];
    },
    judge: usualVerdict,
  };
}

/** A stream that hands out `ops` as fast as the load asks, then nothing. */
function streamOf(ops: Operation[]): Stream {
  const queue = [...ops];
  return { kind: 'purchase', perSecond: 1_000, next: () => queue.shift() };
}

async function runToEnd(load: OpenLoopLoad, expected: number): Promise<void> {
  load.start();
  while (load.records.length < expected) await sleep(5);
  load.stop();
  await load.drain();
}

describe('open-loop load', () => {
  const picker = { pick: (n: number) => n % 2, failed: () => undefined };

  it('retries 5xx and dropped connections with the same business id on the other gateway until it succeeds', async () => {
    const sent: Array<{ id: string; gateway: number }> = [];
    const op = scripted(
      'order-1',
      [{ status: 0, error: 'ECONNRESET' }, { status: 504 }, { status: 200 }],
      sent,
    );
    const load = new OpenLoopLoad([streamOf([op])], picker, { retryForMs: 60_000 });
    await runToEnd(load, 1);
    expect(sent.map((s) => s.id)).toEqual(['order-1', 'order-1', 'order-1']);
    expect(sent.map((s) => s.gateway)).toEqual([0, 1, 0]);
    expect(load.records[0]).toMatchObject({ outcome: 'ok', id: 'order-1' });
    expect(load.records[0].attempts.map((a) => a.status)).toEqual([0, 504, 200]);
  });

  it('never retries a final 4xx, and gives up on failures once its retry time is spent', async () => {
    const sent: Array<{ id: string; gateway: number }> = [];
    const refused = scripted('refused', [{ status: 422, code: 'INSUFFICIENT_POINTS' }], sent);
    const failing = scripted('failing', [{ status: 503 }], sent);
    const load = new OpenLoopLoad([streamOf([refused, failing])], picker, { retryForMs: 0 });
    await runToEnd(load, 2);
    const outcomes = Object.fromEntries(load.records.map((r) => [r.id, r.outcome]));
    expect(outcomes).toEqual({ refused: 'rejected', failing: 'unresolved' });
    expect(sent).toHaveLength(2);
  });

  it('counts arrivals that find the pool empty instead of sending them', async () => {
    const load = new OpenLoopLoad([streamOf([])], picker, { retryForMs: 0 });
    load.start();
    while (!load.missed.purchase) await sleep(5);
    load.stop();
    expect(load.records).toHaveLength(0);
  });
});

describe('assignment verdicts: (member, book) is the business id under maxCodesPerUser 1', () => {
  const maxed: Reply = { status: 422, code: 'MAX_CODES_PER_USER' };
  const lost = { gateway: 0, sentAt: 0, doneAt: 1, status: 504 };

  it('MAX_CODES_PER_USER after a lost answer means that attempt got the code', () => {
    expect(assignmentVerdict(maxed, [lost])).toBe('ok');
  });

  it('MAX_CODES_PER_USER on a first attempt is a refusal', () => {
    expect(assignmentVerdict(maxed, [])).toBe('rejected');
    expect(assignmentVerdict({ status: 201 }, [])).toBe('ok');
    expect(assignmentVerdict({ status: 503 }, [])).toBe('retry');
  });
});
