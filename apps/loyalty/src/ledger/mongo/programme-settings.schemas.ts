import { Schema } from 'mongoose';

/** One document per setting: `points-policy` and `tiers`. */
export interface ProgrammeDoc {
  _id: 'points-policy' | 'tiers';
  value: unknown;
  updatedAt: Date;
}

export const PROGRAMME_MODEL = 'LoyaltyProgramme';
export const programmeSchema = new Schema<ProgrammeDoc>(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'loyalty_programme', versionKey: false, minimize: false },
);
