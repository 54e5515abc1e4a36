import type { Type } from '@nestjs/common';

/** The gateway's controllers for the coupons section of API.md. */
export const couponsControllers: Type<unknown>[] = [];
