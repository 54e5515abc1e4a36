import type { RunOptions } from './environment';

export type OpKind = 'purchase' | 'redemption' | 'firstLogin' | 'assignment';
export const OP_KINDS: readonly OpKind[] = ['purchase', 'redemption', 'firstLogin', 'assignment'];

/** How hard and how long the drills push: `--short` for CI, the full run for a closer look. */
export interface Profile {
  /** Arrivals per second of each kind, whatever the answers (open loop). */
  rates: Record<OpKind, number>;
  /** Load before the first failure: the "before" figures. */
  warmupMs: number;
  /** Load while the failed part is down (from its kill to its restart). */
  outageMs: number;
  /** Load after the restart, before the next round or the end. */
  recoveryMs: number;
  /** Failures per drill: each round kills again (another node, the other replica...). */
  rounds: number;
  /** Members (and so groups) that purchases, redemptions and assignments spread over. */
  members: number;
  /** Points each member starts with, so redemptions never run short. */
  startingPoints: number;
  /** An operation whose attempts keep failing is given up (unresolved) after this long. */
  retryForMs: number;
}

const SHORT: Profile = {
  rates: { purchase: 12, redemption: 5, firstLogin: 2, assignment: 3 },
  warmupMs: 10_000,
  outageMs: 15_000,
  recoveryMs: 8_000,
  rounds: 1,
  members: 30,
  startingPoints: 1000,
  retryForMs: 90_000,
};

const FULL: Profile = {
  rates: { purchase: 16, redemption: 6, firstLogin: 2, assignment: 4 },
  warmupMs: 20_000,
  outageMs: 30_000,
  recoveryMs: 15_000,
  rounds: 2,
  members: 50,
  startingPoints: 2000,
  retryForMs: 120_000,
};

export function profileFor(options: Pick<RunOptions, 'short' | 'rateScale' | 'timeScale'>): Profile {
  const base = options.short ? SHORT : FULL;
  const rate = (n: number) => Math.max(0.2, n * options.rateScale);
  const time = (ms: number) => Math.round(ms * options.timeScale);
  return {
    ...base,
    rates: {
      purchase: rate(base.rates.purchase),
      redemption: rate(base.rates.redemption),
      firstLogin: rate(base.rates.firstLogin),
      assignment: rate(base.rates.assignment),
    },
    warmupMs: time(base.warmupMs),
    outageMs: time(base.outageMs),
    recoveryMs: time(base.recoveryMs),
  };
}

/** How long one drill's load runs. */
export function loadMs(profile: Profile): number {
  return profile.warmupMs + profile.rounds * (profile.outageMs + profile.recoveryMs);
}

/** Arrivals of one kind during one drill (the pools are sized from it, with a margin). */
export function expectedArrivals(profile: Profile, kind: OpKind): number {
  // The outage phases also wait for restarts, which take longer than planned on a busy machine.
  return Math.ceil((profile.rates[kind] * loadMs(profile) * 2) / 1000) + 10;
}
