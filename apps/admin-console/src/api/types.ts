// The shapes of ../shared/API.md that the console reads. Written out here rather than imported
// from libs/contracts: those are server classes (class-validator, swagger decorators) that must
// not end up in the browser bundle.
import type { Page } from '../ui/Pager';

export type { Page };

export const ROLES = ['member', 'admin'] as const;

export interface AdminUser {
  userId: string;
  username: string;
  email: string;
  phone: string | null;
  fullName: string | null;
  birthday: string | null;
  groupId: string;
  roles: string[];
  status: 'ACTIVE' | 'DISABLED';
  createdAt: string;
}

export interface GroupPoints {
  groupId: string;
  balance: number;
  byPayer: Record<string, number>;
}

export interface LedgerEntry {
  entryId: string;
  type: 'EARN' | 'REDEEM' | 'ADJUST';
  points: number;
  payer: string;
  reference: string;
  balanceAfter: number;
  createdAt: string;
}

export interface PayerTransaction {
  transactionId: string;
  groupId: string;
  payer: string;
  points: number;
  timestamp: string;
  balance: number;
}

export type CampaignStatus = 'ACTIVE' | 'PAUSED' | 'ENDED';

export interface Campaign {
  campaignId: string;
  name: string;
  description: string | null;
  trigger: 'FIRST_LOGIN';
  status: CampaignStatus;
  discountPercent: number;
  voucherLimit: number;
  voucherValidDays: number;
  startsAt: string;
  endsAt: string | null;
  issued: number;
  remaining: number;
  redeemed: number;
  createdAt: string;
  updatedAt: string;
}

export interface CouponBook {
  couponBookId: string;
  name: string;
  description: string | null;
  startsAt: string | null;
  endsAt: string | null;
  maxCodesPerUser: number | null;
  maxRedemptionsPerUser: number | null;
  allowMultipleRedemptions: boolean;
  codePattern: string;
  charset: string;
  active: boolean;
  createdAt: string;
  stats: { total: number; assigned: number; redeemed: number };
}

export type JobStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface GenerationJob {
  jobId: string;
  couponBookId: string;
  status: JobStatus;
  requested: number;
  generated: number;
  pattern: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  codesPerSecond: number;
  error: string | null;
}

export interface AuditEntry {
  auditId: string;
  actorId: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  createdAt: string;
  seq: number;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenAuditId: string | null;
}

/** Each part is null when its service did not answer: the rest still shows. */
export interface AdminStats {
  members: number | null;
  groups: number | null;
  pointsByDay: Array<{ date: string; earned: number; redeemed: number }> | null;
  activeCampaigns: Array<{ campaignId: string; name: string; issued: number; remaining: number }> | null;
  runningJobs: Array<{ jobId: string; couponBookId: string; requested: number; generated: number }> | null;
}
