import type { PointsPolicy } from '../domain/points-policy';
import type { TierTable } from '../domain/tiers';

/** The programme's settings an admin sets: the points policy and the tier table (null: never set). */
export abstract class ProgrammeSettingsRepository {
  abstract policy(): Promise<PointsPolicy | null>;
  abstract tiers(): Promise<TierTable | null>;
  /** Must run inside UnitOfWork.run (with its audit event). */
  abstract savePolicy(policy: PointsPolicy, at: Date): Promise<void>;
  abstract saveTiers(table: TierTable, at: Date): Promise<void>;
}
