import { decideDelivery } from './delivery';

describe('mail delivery decisions (domain)', () => {
  it('sends what was never tried, and retries a temporary failure', () => {
    expect(decideDelivery(null)).toBe('send');
    expect(decideDelivery('failed')).toBe('send');
  });

  it('never sends again what the server accepted or refused for good: redeliveries mail once', () => {
    expect(decideDelivery('sent')).toBe('skip');
    expect(decideDelivery('refused')).toBe('skip');
  });

  it('sends again after an attempt that died mid-send (at-least-once)', () => {
    expect(decideDelivery('sending')).toBe('resend-after-interruption');
  });
});
