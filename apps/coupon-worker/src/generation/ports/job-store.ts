import type { GenerationJobDoc } from '@lib/coupons';

/** What the worker reads and writes of generation jobs and codes (the port; mongo/ adapts it). */
export abstract class JobStore {
  /**
   * Takes the job for `owner` if it is QUEUED, or RUNNING under a lease that has run out (its
   * worker died). Exactly one of several concurrent claimers gets it. The first claim of a job
   * sets its startedAt to the claim's time, where the lease starts (leaseUntil − leaseMs); a
   * takeover keeps the first startedAt.
   */
  abstract claim(jobId: string, owner: string, leaseMs: number): Promise<GenerationJobDoc | null>;
  /** Codes this job has inserted so far, counted from the codes themselves (they carry the jobId). */
  abstract countInserted(jobId: string): Promise<number>;
  /**
   * Inserts the codes, skipping any that exist (unordered, so one duplicate doesn't stop the
   * rest); returns how many went in.
   */
  abstract insertCodes(job: GenerationJobDoc, codes: string[]): Promise<number>;
  /**
   * Records `inserted` more codes on the job and the book's total, and renews the lease, in one
   * transaction, only while `owner` holds the job; false when it lost it.
   */
  abstract recordProgress(
    job: GenerationJobDoc,
    owner: string,
    inserted: number,
    leaseMs: number,
  ): Promise<boolean>;
  /** Sets `generated` to the recount (after a crash between an insert and its progress record). */
  abstract reconcile(job: GenerationJobDoc, owner: string, actual: number): Promise<boolean>;
  /** Deletes codes of the job beyond `keep` (unassigned ones), returns how many went. */
  abstract trimExcess(job: GenerationJobDoc, excess: number): Promise<number>;
  /** Graceful stop: lets another worker resume the job now instead of after the lease runs out. */
  abstract releaseLease(jobId: string, owner: string): Promise<void>;
  /**
   * Marks the job COMPLETED or FAILED only while `owner` holds it, in the caller's unit of work if
   * there is one. Returns the job as finished, or null when the write changed nothing (another
   * worker took it over, or it was finished already), so the caller announces each end once.
   */
  abstract finish(
    jobId: string,
    owner: string,
    status: 'COMPLETED' | 'FAILED',
    error?: string,
  ): Promise<GenerationJobDoc | null>;
  /** Jobs that need a worker: RUNNING with an expired lease, or QUEUED for longer than `queuedForMs`. */
  abstract orphaned(queuedForMs: number, limit: number): Promise<string[]>;
}
