import type { LedgerEntryType } from '../../api/types';

/**
 * How the history names each ledger entry type. A Record over the API's types: a type added to
 * the API is a compile error here until it has a label, instead of a bare code in the table.
 */
const ENTRY_LABELS: Record<LedgerEntryType, string> = {
  EARN: 'Earned',
  REDEEM: 'Redeemed',
  ADJUST: 'Adjusted',
  EXPIRE: 'Expired',
  REFUND: 'Refunded',
  REVERSAL: 'Redemption reversed',
};

/** "Redemption reversed" for REVERSAL; an unknown type (a newer API) shows as it came. */
export function entryLabel(type: string): string {
  return (ENTRY_LABELS as Record<string, string | undefined>)[type] ?? type;
}
