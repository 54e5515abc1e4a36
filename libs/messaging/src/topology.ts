/**
 * Every exchange and queue name, derived from one prefix. Production uses an empty prefix; each
 * test file uses its own, so parallel runs on one broker never see each other's messages.
 */
export class Topology {
  constructor(readonly prefix = '') {}

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
