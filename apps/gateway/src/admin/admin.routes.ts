import type { Type } from '@nestjs/common';

/** The gateway's controllers for the admin section of API.md. */
export const adminControllers: Type<unknown>[] = [];
