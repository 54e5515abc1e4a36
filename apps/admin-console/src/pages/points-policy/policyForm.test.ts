import { checkPolicy, describeChange, describeCurrent, formOf } from './policyForm';
import type { PolicyForm } from './policyForm';

const form = (over: Partial<PolicyForm> = {}): PolicyForm => ({
  pendingDays: '14',
  expiryDays: '365',
  neverExpire: false,
  expiryWarningDays: '30',
  ...over,
});

describe('checkPolicy', () => {
  it('reads whole days, and null expiry when points never expire', () => {
    expect(checkPolicy(form({ pendingDays: ' 14 ' }))).toEqual({
      ok: true,
      policy: { pendingDays: 14, expiryDays: 365, expiryWarningDays: 30 },
    });
    expect(checkPolicy(form({ neverExpire: true, expiryDays: 'ignored' }))).toEqual({
      ok: true,
      policy: { pendingDays: 14, expiryDays: null, expiryWarningDays: 30 },
    });
  });

  it.each([
    ['pendingDays', { pendingDays: '-1' }],
    ['pendingDays', { pendingDays: '366' }],
    ['pendingDays', { pendingDays: '1.5' }],
    ['pendingDays', { pendingDays: '' }],
    ['expiryDays', { expiryDays: '0' }],
    ['expiryDays', { expiryDays: '3651' }],
    ['expiryDays', { expiryDays: '' }],
    ['expiryDays', { expiryDays: '1e3' }],
    ['expiryWarningDays', { expiryWarningDays: '0' }],
    ['expiryWarningDays', { expiryWarningDays: '366' }],
  ] as const)('refuses %s in %j', (field, over) => {
    const checked = checkPolicy(form(over));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors)).toEqual([field]);
  });

  it('takes the edges of each range', () => {
    expect(checkPolicy(form({ pendingDays: '0', expiryDays: '1', expiryWarningDays: '1' })).ok).toBe(true);
    expect(checkPolicy(form({ pendingDays: '365', expiryDays: '3650', expiryWarningDays: '365' })).ok).toBe(
      true,
    );
  });

  it('wants points to expire after they become spendable', () => {
    expect(checkPolicy(form({ pendingDays: '14', expiryDays: '14' }))).toEqual({
      ok: false,
      errors: {
        expiryDays:
          'Enter more days than the 14 days points wait: they must be spendable before they expire.',
      },
    });
    expect(checkPolicy(form({ pendingDays: '14', expiryDays: '15' })).ok).toBe(true);
    expect(checkPolicy(form({ pendingDays: '365', neverExpire: true })).ok).toBe(true);
  });
});

describe('describing a policy', () => {
  it('says what a change does to points earned from now on', () => {
    expect(describeChange({ pendingDays: 14, expiryDays: 365, expiryWarningDays: 30 })).toBe(
      'Points earned from now on will wait 14 days and expire after 365 days. Points already earned keep their dates.',
    );
    expect(describeChange({ pendingDays: 0, expiryDays: null, expiryWarningDays: 30 })).toBe(
      'Points earned from now on will be available at once and never expire. Points already earned keep their dates.',
    );
    expect(describeChange({ pendingDays: 1, expiryDays: 3650, expiryWarningDays: 30 })).toBe(
      'Points earned from now on will wait 1 day and expire after 3,650 days. Points already earned keep their dates.',
    );
  });

  it('says what is in force', () => {
    expect(describeCurrent({ pendingDays: 0, expiryDays: null, expiryWarningDays: 30 })).toBe(
      'Points earned now are available at once and never expire.',
    );
  });

  it('fills the form from a policy that never expires', () => {
    expect(formOf({ pendingDays: 0, expiryDays: null, expiryWarningDays: 30 })).toEqual({
      pendingDays: '0',
      expiryDays: '',
      neverExpire: true,
      expiryWarningDays: '30',
    });
  });
});
