import { useCallback } from 'react';
import { useApi, useResource } from '../api/context';
import type { PointsPolicy } from '../api/types';
import { ErrorNotice, Loading } from '../ui/Status';
import { POLICY_PATH, PolicyForm } from './points-policy/PolicyForm';

/** When points earned from now on become spendable and when they expire (API.md, "Points policy"). */
export function PointsPolicyPage() {
  const api = useApi();
  const policy = useResource(
    useCallback(() => api.get<PointsPolicy>(POLICY_PATH), [api]),
    POLICY_PATH,
  );
  return (
    <>
      {policy.loading && <Loading what="the points policy" />}
      <ErrorNotice
        error={policy.error}
        title="The points policy could not be loaded."
        onRetry={policy.reload}
      />
      {policy.data && !policy.error && <PolicyForm policy={policy.data} />}
    </>
  );
}
