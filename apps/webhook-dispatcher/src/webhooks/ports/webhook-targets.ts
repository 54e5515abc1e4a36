/** Whether a URL may be a webhook target under the operator's policy (https, public addresses). */
export abstract class WebhookTargets {
  /** Throws WEBHOOK_URL_FORBIDDEN naming `url` when it may not. */
  abstract checkUrl(url: string): Promise<void>;
}
