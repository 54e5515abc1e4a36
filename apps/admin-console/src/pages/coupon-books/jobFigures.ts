import type { GenerationJob } from '../../api/types';

export const FINISHED: ReadonlyArray<GenerationJob['status']> = ['COMPLETED', 'FAILED'];

export function isFinished(job: Pick<GenerationJob, 'status'>): boolean {
  return FINISHED.includes(job.status);
}

/** "12,345 codes/s": whole codes, US grouping, as the e2e test and the dashboard read it. */
export function formatRate(codesPerSecond: number): string {
  return `${codesPerSecond.toLocaleString('en-US', { maximumFractionDigits: 0 })} codes/s`;
}

/** Seconds from start to finish, one decimal; undefined until both are known. */
export function jobSeconds(job: Pick<GenerationJob, 'startedAt' | 'finishedAt'>): string | undefined {
  if (!job.startedAt || !job.finishedAt) return undefined;
  const ms = new Date(job.finishedAt).getTime() - new Date(job.startedAt).getTime();
  if (!Number.isFinite(ms)) return undefined;
  return (Math.max(0, ms) / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 });
}
