import { fingerprint } from './idempotent-commands';

describe('request fingerprints (pure)', () => {
  it('ignore key order and absent fields, and tell any change of value apart', () => {
    const base = fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE', storeId: null });
    expect(fingerprint({ storeId: null, payer: 'STORE', amount: '1.00', purchaseId: 'p' })).toBe(base);
    expect(
      fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE', storeId: null, x: undefined }),
    ).toBe(base);
    expect(fingerprint({ purchaseId: 'p', amount: '1.01', payer: 'STORE', storeId: null })).not.toBe(base);
    expect(fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE', storeId: 'null' })).not.toBe(base);
    expect(fingerprint({ purchaseId: 'p', amount: '1.00', payer: 'STORE' })).not.toBe(base);
  });
});
