import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing, by the specification's own TypeScript library: `v1,` + base64 of
 * HMAC-SHA256 over `id.timestamp.body`, keyed with the base64 part of the `whsec_` secret.
 * One signer per secret: the key is decoded once.
 */
export class WebhookSigner {
  private readonly webhook: Webhook;

  constructor(secret: string) {
    this.webhook = new Webhook(secret);
  }

  /** The three headers of one attempt; `at` becomes `webhook-timestamp` (whole seconds). */
  headers(webhookId: string, at: Date, body: string): Record<string, string> {
    return {
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': this.webhook.sign(webhookId, at, body),
    };
  }
}
