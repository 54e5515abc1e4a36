/**
 * Every exchange and queue name, derived from one prefix. Production uses an empty prefix; each
 * test file uses its own, so parallel runs on one broker never see each other's messages.
 */
export type QueueType = 'classic' | 'quorum';

export class Topology {
  constructor(
    readonly prefix = '',
    /**
     * The type of every queue the platform declares. Quorum queues are replicated across a
     * RabbitMQ cluster (Raft) and are what production clusters should use; classic ones suit a
     * single node. A queue's type is fixed when it is first declared: choose before the first
     * deploy (changing it later means deleting the queues while they are empty). Quorum covers
     * every durable queue (RPC requests, event consumers, their dead-letter queues; a retry goes
     * back to its own queue); the exclusive per-process broadcast queues stay classic, as quorum
     * queues can't be exclusive (test/integration/quorum-topology.int-spec.ts checks both). It
     * needs RabbitMQ 3.10 or newer, the first whose quorum queues honour the per-message TTL that
     * bounds an RPC request's wait.
     */
    readonly queueType: QueueType = 'classic',
  ) {}

  /** Arguments every queue declaration carries (on top of its own). */
  queueArguments(): Record<string, unknown> {
    return this.queueType === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
  }

  get eventsExchange(): string {
    return `${this.prefix}loyalty.events`;
  }
  get deadLetterExchange(): string {
    return `${this.prefix}loyalty.dlx`;
  }
  rpcQueue(service: string): string {
    return `${this.prefix}rpc.${service}`;
  }
  consumerQueue(name: string): string {
    return `${this.prefix}${name}`;
  }
  deadLetterQueue(queue: string): string {
    return `${queue}.dlq`;
  }
}
