import { localToIso, optionalNumber, optionalText, withoutEmpty } from '../campaigns/formValues';

export interface BookForm {
  name: string;
  description: string;
  codePattern: string;
  charset: string;
  maxCodesPerUser: string;
  maxRedemptionsPerUser: string;
  allowMultipleRedemptions: boolean;
  startsAt: string;
  endsAt: string;
}

export const EMPTY_BOOK_FORM: BookForm = {
  name: '',
  description: '',
  codePattern: '',
  charset: '',
  maxCodesPerUser: '',
  maxRedemptionsPerUser: '',
  allowMultipleRedemptions: false,
  startsAt: '',
  endsAt: '',
};

/** The POST /v1/admin/coupon-books body: what was left empty is not sent (the API's defaults apply). */
export function bookBody(form: BookForm) {
  return withoutEmpty({
    name: form.name.trim(),
    description: optionalText(form.description),
    codePattern: optionalText(form.codePattern),
    charset: optionalText(form.charset),
    maxCodesPerUser: optionalNumber(form.maxCodesPerUser),
    maxRedemptionsPerUser: optionalNumber(form.maxRedemptionsPerUser),
    allowMultipleRedemptions: form.allowMultipleRedemptions,
    startsAt: localToIso(form.startsAt),
    endsAt: localToIso(form.endsAt),
  });
}
