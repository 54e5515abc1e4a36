import type { Type } from '@nestjs/common';
import { AdminPointsPolicyController } from './admin-points-policy.controller';
import { AdminPointsController } from './admin-points.controller';
import { AdminTiersController } from './admin-tiers.controller';
import { MemberPointsController } from './member-points.controller';
import { PointsLifecycleController } from './points-lifecycle.controller';
import { PointsController } from './points.controller';

/** The gateway's controllers for the points routes (docs/api.md, Routes by area). */
export const pointsControllers: Type<unknown>[] = [
  PointsController,
  PointsLifecycleController,
  MemberPointsController,
  AdminPointsController,
  AdminPointsPolicyController,
  AdminTiersController,
];
