import { localToIso, optionalNumber, optionalText, withoutEmpty } from './formValues';

export interface CampaignForm {
  name: string;
  description: string;
  discountPercent: string;
  voucherLimit: string;
  voucherValidDays: string;
  startsAt: string;
  endsAt: string;
}

export const EMPTY_CAMPAIGN_FORM: CampaignForm = {
  name: '',
  description: '',
  discountPercent: '',
  voucherLimit: '',
  voucherValidDays: '',
  startsAt: '',
  endsAt: '',
};

/**
 * The POST /v1/admin/campaigns body. Required numbers go as typed (an empty one as NaN → null in
 * JSON would be refused, so it goes as undefined and the API names the missing field).
 */
export function campaignBody(form: CampaignForm) {
  return withoutEmpty({
    name: form.name.trim(),
    description: optionalText(form.description),
    discountPercent: optionalNumber(form.discountPercent),
    voucherLimit: optionalNumber(form.voucherLimit),
    voucherValidDays: optionalNumber(form.voucherValidDays),
    startsAt: localToIso(form.startsAt),
    endsAt: localToIso(form.endsAt),
    trigger: 'FIRST_LOGIN' as const,
  });
}
