import { Injectable } from '@nestjs/common';
import { DEFAULT_POINTS_POLICY, type PointsPolicy } from '../domain/points-policy';
import { DEFAULT_TIERS, type TierTable } from '../domain/tiers';
import { ProgrammeSettingsRepository } from '../ports/programme-settings.repository';

/** How long a replica trusts what it read, should it miss the broadcast of a change. */
export const PROGRAMME_CACHE_MS = 5_000;

interface Cached {
  policy: PointsPolicy;
  tiers: TierTable;
  readAt: number;
}

/**
 * The points policy and the tier table, read on every purchase: cached in memory, re-read at once
 * when a change is broadcast (ProgrammeChangeFeed), on the replica that made the change before it
 * answers, and at the latest every PROGRAMME_CACHE_MS.
 */
@Injectable()
export class ProgrammeSettings {
  private cached: Cached | null = null;
  private loading: Promise<Cached> | null = null;

  constructor(private readonly store: ProgrammeSettingsRepository) {}

  async policy(): Promise<PointsPolicy> {
    return (await this.read()).policy;
  }

  async tiers(): Promise<TierTable> {
    return (await this.read()).tiers;
  }

  /** Forget what was read: the next call reads again. */
  invalidate(): void {
    this.cached = null;
  }

  private async read(): Promise<Cached> {
    if (this.cached && Date.now() - this.cached.readAt < PROGRAMME_CACHE_MS) return this.cached;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<Cached> {
    const [policy, tiers] = await Promise.all([this.store.policy(), this.store.tiers()]);
    this.cached = {
      policy: policy ?? DEFAULT_POINTS_POLICY,
      tiers: tiers ?? DEFAULT_TIERS,
      readAt: Date.now(),
    };
    return this.cached;
  }
}
