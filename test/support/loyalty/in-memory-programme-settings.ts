import type { PointsPolicy } from '../../../apps/loyalty/src/ledger/domain/points-policy';
import type { TierTable } from '../../../apps/loyalty/src/ledger/domain/tiers';
import { ProgrammeSettingsRepository } from '../../../apps/loyalty/src/ledger/ports/programme-settings.repository';

/** The points policy and tier table in memory (null until an admin sets them, as in MongoDB). */
export class InMemoryProgrammeSettings extends ProgrammeSettingsRepository {
  private saved: { policy: PointsPolicy | null; tiers: TierTable | null } = { policy: null, tiers: null };

  async policy(): Promise<PointsPolicy | null> {
    return structuredClone(this.saved.policy);
  }

  async tiers(): Promise<TierTable | null> {
    return structuredClone(this.saved.tiers);
  }

  async savePolicy(policy: PointsPolicy): Promise<void> {
    this.saved.policy = structuredClone(policy);
  }

  async saveTiers(table: TierTable): Promise<void> {
    this.saved.tiers = structuredClone(table);
  }
}
