/** RPC patterns of the promotion service: coupon books, codes, generation jobs, locks. */
export const COUPON_RPC = {
  /** Admin: → RunningJobStatDto[] (admin stats): jobs QUEUED or RUNNING. */
  runningJobs: 'promotion.generation-job.running',
} as const;
