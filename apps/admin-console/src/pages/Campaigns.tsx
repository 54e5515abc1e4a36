import { useState } from 'react';
import { CampaignTable } from './campaigns/CampaignTable';
import { CreateCampaignForm } from './campaigns/CreateCampaignForm';

/** FIRST_LOGIN voucher campaigns: the list with pause / resume / end, and a form for a new one. */
export function CampaignsPage() {
  const [version, setVersion] = useState(0);
  return (
    <>
      <CampaignTable version={version} />
      <CreateCampaignForm onCreated={() => setVersion((v) => v + 1)} />
    </>
  );
}
