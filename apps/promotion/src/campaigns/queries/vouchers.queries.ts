import { Injectable } from '@nestjs/common';
import type { VoucherListDto } from '@lib/contracts';
import { VouchersRepository } from '../ports/vouchers.repository';
import { toVoucherDto } from './campaign.views';

/** A member's own vouchers, newest first, each with its status as of now. */
@Injectable()
export class VouchersQueries {
  constructor(private readonly vouchers: VouchersRepository) {}

  async mine(userId: string): Promise<VoucherListDto> {
    const now = new Date();
    return { items: (await this.vouchers.findByUser(userId)).map((v) => toVoucherDto(v, now)) };
  }
}
