import type { GroupTier } from '../../api/types';
import { formatPoints } from './adjustment';

/** "Gold: 750 more qualifying points", or that this is the top tier. */
export function describeNextTier(tier: GroupTier): string {
  if (tier.nextTier === null || tier.pointsToNextTier === null) return `None: ${tier.name} is the top tier`;
  return `${tier.nextTier}: ${formatPoints(tier.pointsToNextTier)} more qualifying points`;
}

/** The group's tier, what it earns with, and how far the next tier is. */
export function TierStanding({ tier }: { tier: GroupTier }) {
  return (
    <section className="card" aria-labelledby="group-tier">
      <h2 id="group-tier">Tier</h2>
      <dl className="facts">
        <dt>Tier</dt>
        <dd data-testid="tier-name">{tier.name}</dd>
        <dt>Earn multiplier</dt>
        <dd>×{tier.earnMultiplier}</dd>
        <dt>Qualifying points</dt>
        <dd>{formatPoints(tier.qualifyingPoints)}</dd>
        <dt>Next tier</dt>
        <dd>{describeNextTier(tier)}</dd>
      </dl>
      <p className="muted">
        Qualifying points are what the group earned (less refunds) over the tiers&apos; rolling window.
      </p>
    </section>
  );
}
