/** One delivery attempt as it goes on the wire: the signed headers and the exact body. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * What an attempt came to. A failure carries the receiver's status when it answered (500, a 302)
 * and `null` when it never did (refused, timed out, forbidden target); `error` is short and meant
 * for the admin reading the delivery log.
 */
export type SendOutcome =
  { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/** Sends one webhook request. Never throws: every failure is an outcome, so callers only record it. */
export abstract class WebhookSender {
  abstract send(request: WebhookRequest): Promise<SendOutcome>;
}
