import { verifyStandardWebhook } from '../../../../../test/support/webhook-receiver';
import { WebhookSigner } from './signature';

/** The Standard Webhooks specification's published example (its README, "Signature scheme"). */
const EXAMPLE = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signatures (Standard Webhooks)', () => {
  it("signs the specification's example exactly as published", () => {
    const headers = new WebhookSigner(EXAMPLE.secret).headers(
      EXAMPLE.id,
      new Date(EXAMPLE.timestamp * 1000),
      EXAMPLE.body,
    );
    expect(headers).toEqual({
      'webhook-id': EXAMPLE.id,
      'webhook-timestamp': String(EXAMPLE.timestamp),
      'webhook-signature': EXAMPLE.signature,
    });
  });

  it('the independent verifier written from the specification accepts the example and rejects tampering', () => {
    const headers = {
      'webhook-id': EXAMPLE.id,
      'webhook-timestamp': String(EXAMPLE.timestamp),
      'webhook-signature': EXAMPLE.signature,
    };
    expect(verifyStandardWebhook(EXAMPLE.secret, headers, EXAMPLE.body)).toBe(true);
    expect(verifyStandardWebhook(EXAMPLE.secret, headers, '{"test": 2432232315}')).toBe(false);
    expect(
      verifyStandardWebhook(EXAMPLE.secret, { ...headers, 'webhook-id': 'msg_other' }, EXAMPLE.body),
    ).toBe(false);
    expect(
      verifyStandardWebhook('whsec_' + Buffer.alloc(24, 1).toString('base64'), headers, EXAMPLE.body),
    ).toBe(false);
    // Several signatures (a key rotation): any one that matches is enough.
    expect(
      verifyStandardWebhook(
        EXAMPLE.secret,
        { ...headers, 'webhook-signature': `v1,AAAA ${EXAMPLE.signature}` },
        EXAMPLE.body,
      ),
    ).toBe(true);
  });

  it('signs every attempt with its own timestamp, verifiable with the secret', () => {
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const signer = new WebhookSigner(secret);
    const body = JSON.stringify({
      type: 'purchase.recorded',
      timestamp: '2026-12-06T10:00:00.000Z',
      data: { a: 1 },
    });
    const first = signer.headers('evt-1', new Date('2026-12-06T10:00:00.900Z'), body);
    const second = signer.headers('evt-1', new Date('2026-12-06T10:00:05.000Z'), body);
    expect(first['webhook-timestamp']).toBe(String(Date.parse('2026-12-06T10:00:00Z') / 1000));
    expect(second['webhook-signature']).not.toBe(first['webhook-signature']);
    expect(verifyStandardWebhook(secret, first, body)).toBe(true);
    expect(verifyStandardWebhook(secret, second, body)).toBe(true);
  });
});
