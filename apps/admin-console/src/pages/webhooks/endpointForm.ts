// The create and edit forms of a webhook endpoint: what they send, and where the API's errors go.
import { ApiError } from '../../api/problem';
import type { NewWebhook, Webhook, WebhookUpdate } from '../../api/types';
import { eventsOf, selectionOf } from './events';
import type { EventSelection } from './events';

export interface EndpointForm {
  url: string;
  description: string;
  events: EventSelection;
}

export const EMPTY_ENDPOINT_FORM: EndpointForm = {
  url: '',
  description: '',
  events: { all: false, types: [] },
};

/** The fields a form shows an error beside. */
const FORM_FIELDS = ['url', 'description', 'events'] as const;
type FormField = (typeof FORM_FIELDS)[number];

export function formOf(webhook: Webhook): EndpointForm {
  return { url: webhook.url, description: webhook.description ?? '', events: selectionOf(webhook.events) };
}

/**
 * The body of a create. The URL goes even when empty and the events even when none is ticked, so
 * that the API's 400 names them beside their fields; an empty description is left out.
 */
export function createBody(form: EndpointForm): NewWebhook {
  const description = form.description.trim();
  return { url: form.url.trim(), events: eventsOf(form.events), ...(description ? { description } : {}) };
}

/** What an edit changes, and only that: an empty result means nothing changed. */
export function changesOf(webhook: Webhook, form: EndpointForm): WebhookUpdate {
  const changes: WebhookUpdate = {};
  const url = form.url.trim();
  if (url !== webhook.url) changes.url = url;
  const events = eventsOf(form.events);
  if (events.join(' ') !== eventsOf(selectionOf(webhook.events)).join(' ')) changes.events = events;
  const description = form.description.trim();
  if (description !== (webhook.description ?? '')) changes.description = description;
  return changes;
}

/**
 * The API's errors by form field: `events[0]`-style names (one type refused) go to the events
 * group. WEBHOOK_URL_FORBIDDEN names `url`, its message saying what to do; should it come without
 * `errors`, its detail goes beside the URL all the same.
 */
export function fieldErrors(error: unknown): Partial<Record<FormField, string>> {
  if (!(error instanceof ApiError)) return {};
  const out: Partial<Record<FormField, string>> = {};
  for (const [field, message] of Object.entries(error.byField())) {
    const key = (field.startsWith('events') ? 'events' : field) as FormField;
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  if (error.code === 'WEBHOOK_URL_FORBIDDEN' && !out.url) out.url = error.detail;
  return out;
}

/** Whether every error of a failed save sits beside a field of the form (then a short alert says so). */
export function allPlaced(errors: Partial<Record<string, string>>): boolean {
  const fields = Object.keys(errors);
  return fields.length > 0 && fields.every((f) => (FORM_FIELDS as readonly string[]).includes(f));
}
