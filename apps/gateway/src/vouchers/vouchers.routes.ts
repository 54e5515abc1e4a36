import type { Type } from '@nestjs/common';
import { CampaignsController } from './campaigns.controller';
import { VouchersController } from './vouchers.controller';

/** The gateway's controllers for the vouchers and campaigns routes (docs/api.md, Routes by area). */
export const vouchersControllers: Type<unknown>[] = [CampaignsController, VouchersController];
