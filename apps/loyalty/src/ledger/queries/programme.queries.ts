import { Injectable } from '@nestjs/common';
import type { PointsPolicyDto, TiersDto } from '@lib/contracts';
import { DEFAULT_POINTS_POLICY } from '../domain/points-policy';
import { DEFAULT_TIERS } from '../domain/tiers';
import { ProgrammeSettingsRepository } from '../ports/programme-settings.repository';

/** The points policy and tiers as stored (admins read them fresh, never from a replica's cache). */
@Injectable()
export class ProgrammeQueries {
  constructor(private readonly store: ProgrammeSettingsRepository) {}

  async policy(): Promise<PointsPolicyDto> {
    return (await this.store.policy()) ?? DEFAULT_POINTS_POLICY;
  }

  async tiers(): Promise<TiersDto> {
    return (await this.store.tiers()) ?? DEFAULT_TIERS;
  }
}
