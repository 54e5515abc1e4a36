import { ApiError } from '../../api/problem';
import { Link } from '../../router';
import { ErrorNotice } from '../../ui/Status';

/** The campaign that stands in the way of a 409 CAMPAIGN_CONFLICT, as the problem body names it. */
export function conflictingCampaign(error: unknown): { campaignId: string; name: string } | undefined {
  if (!(error instanceof ApiError) || error.code !== 'CAMPAIGN_CONFLICT') return undefined;
  const other = error.extensions.conflictingCampaign as { campaignId?: unknown; name?: unknown } | undefined;
  if (typeof other?.campaignId !== 'string') return undefined;
  return {
    campaignId: other.campaignId,
    name: typeof other.name === 'string' ? other.name : 'another campaign',
  };
}

/** Where the campaigns page shows (and highlights) one campaign's row. */
export function campaignLink(campaignId: string): string {
  return `/campaigns?campaign=${encodeURIComponent(campaignId)}`;
}

/**
 * A refused campaign write. A conflict names the campaign that blocks it and links to its row,
 * so the admin can pause or end it; anything else is the usual notice.
 */
export function CampaignProblem({
  error,
  title,
  besideFields,
}: {
  error: unknown;
  title: string;
  besideFields?: readonly string[];
}) {
  const other = conflictingCampaign(error);
  if (!other) return <ErrorNotice error={error} title={title} besideFields={besideFields} />;
  return (
    <div role="alert" className="notice notice-error">
      <strong>{title}</strong> The campaign “{other.name}” already gives first-login vouchers over those
      dates, and only one may at a time. Pause or end it first, or choose other dates.{' '}
      <Link to={campaignLink(other.campaignId)}>Show “{other.name}” in the list</Link>
    </div>
  );
}
