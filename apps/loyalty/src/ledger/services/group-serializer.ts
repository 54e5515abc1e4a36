/**
 * Runs one group's ledger writes one after another inside this process. Concurrent writes to one
 * group all touch its account document, so in MongoDB they would abort each other with write
 * conflicts and retry in a storm (200 concurrent redemptions on one group took longer than the
 * RPC timeout); queued, each commits on its first attempt. Other processes' writes still conflict
 * and are retried by the unit of work: this is for speed, correctness never depends on it.
 */
export class GroupSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Whether a write of the group's is running or queued here. */
  busy(groupId: string): boolean {
    return this.tails.has(groupId);
  }

  run<T>(groupId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(groupId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(groupId, tail);
    void tail.then(() => {
      if (this.tails.get(groupId) === tail) this.tails.delete(groupId);
    });
    return result;
  }
}
