import type { Type } from '@nestjs/common';

/** The gateway's controllers for the points section of API.md. */
export const pointsControllers: Type<unknown>[] = [];
