import { Clock } from '../../../apps/loyalty/src/ledger/ports/clock';

const HOUR_MS = 3_600_000;

/**
 * A clock the test moves: pending points mature and points expire when the test says so, with no
 * waiting. Give the same one to every process of a test so they all agree on what "now" is.
 */
export class VirtualClock extends Clock {
  private at: number;

  constructor(start: Date) {
    super();
    this.at = start.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date): void {
    this.at = at.getTime();
  }

  advanceHours(hours: number): void {
    this.at += hours * HOUR_MS;
  }
}
