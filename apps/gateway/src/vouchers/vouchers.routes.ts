import type { Type } from '@nestjs/common';

/** The gateway's controllers for the vouchers section of API.md. */
export const vouchersControllers: Type<unknown>[] = [];
