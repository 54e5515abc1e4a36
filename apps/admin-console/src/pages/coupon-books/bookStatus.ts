import type { CouponBook } from '../../api/types';

export type BookStatus = CouponBook['status'];

export const STATUS_WORD: Record<BookStatus, string> = { ACTIVE: 'Active', INACTIVE: 'Inactive' };
export const STATUS_BADGE: Record<BookStatus, string> = {
  ACTIVE: 'badge badge-ACTIVE',
  INACTIVE: 'badge badge-DISABLED',
};
