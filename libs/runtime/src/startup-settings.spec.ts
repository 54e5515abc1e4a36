import { ConfigError } from '@lib/config';
import { readStartupSettings } from './startup-settings';

describe('readStartupSettings: MIGRATE_ON_START', () => {
  it('runs the schema step at start unless told not to', () => {
    expect(readStartupSettings('loyalty', {}).migrateOnStart).toBe(true);
    expect(readStartupSettings('loyalty', { MIGRATE_ON_START: '' }).migrateOnStart).toBe(true);
    expect(readStartupSettings('loyalty', { MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
    expect(readStartupSettings('loyalty', { MIGRATE_ON_START: ' TRUE ' }).migrateOnStart).toBe(true);
  });

  it('leaves the schema step to the migrate command when false', () => {
    expect(readStartupSettings('loyalty', { MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
    expect(readStartupSettings('loyalty', { MIGRATE_ON_START: 'False' }).migrateOnStart).toBe(false);
  });

  it('stops the app naming the variable on any other value', () => {
    const read = () => readStartupSettings('loyalty', { MIGRATE_ON_START: 'no' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      'loyalty: invalid configuration:\n  - MIGRATE_ON_START must be true or false (got "no")',
    );
  });
});
