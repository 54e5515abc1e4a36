import type { Type } from '@nestjs/common';
import { AdminPointsController } from './admin-points.controller';
import { MemberPointsController } from './member-points.controller';
import { PointsController } from './points.controller';

/** The gateway's controllers for the points routes (docs/api.md, Routes by area). */
export const pointsControllers: Type<unknown>[] = [
  PointsController,
  MemberPointsController,
  AdminPointsController,
];
