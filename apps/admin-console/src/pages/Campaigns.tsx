import { useState } from 'react';
import { setSearch } from '../router';
import { useCursorPages } from '../ui/Pager';
import { CampaignTable } from './campaigns/CampaignTable';
import { CreateCampaignForm } from './campaigns/CreateCampaignForm';

/**
 * FIRST_LOGIN voucher campaigns: the form for a new one first (the list is long), then the list
 * with pause / resume / end. A new campaign goes into the URL (`?campaign=`), so its row is
 * highlighted and scrolled to, and stays so on a reload.
 */
export function CampaignsPage() {
  const pages = useCursorPages();
  const [createdId, setCreatedId] = useState<string>();
  return (
    <>
      <CreateCampaignForm
        onCreated={(campaign) => {
          setCreatedId(campaign.campaignId);
          setSearch({ ...pages.resetUpdates, campaign: campaign.campaignId });
        }}
      />
      <CampaignTable createdId={createdId} />
    </>
  );
}
