import { useCallback } from 'react';
import { useApi, useResource } from '../api/context';
import type { TierTable } from '../api/types';
import { ErrorNotice, Loading } from '../ui/Status';
import { TIERS_PATH, TiersForm } from './tiers/TiersForm';

/** The tier table: the qualifying window and each tier's threshold and earn multiplier (API.md, "Tiers"). */
export function TiersPage() {
  const api = useApi();
  const tiers = useResource(
    useCallback(() => api.get<TierTable>(TIERS_PATH), [api]),
    TIERS_PATH,
  );
  return (
    <>
      {tiers.loading && <Loading what="the tiers" />}
      <ErrorNotice error={tiers.error} title="The tiers could not be loaded." onRetry={tiers.reload} />
      {tiers.data && !tiers.error && <TiersForm table={tiers.data} />}
    </>
  );
}
