// What an audit entry's `target` (`<kind>:<id>`, or a bare webhook id) and actor are, in words.

/** How each kind of target is called on screen. */
const KIND_NAMES: Record<string, string> = {
  user: 'User',
  group: 'Group',
  'api-client': 'API client',
  campaign: 'Campaign',
  'coupon-book': 'Coupon book',
  'points-policy': 'Points policy',
  tiers: 'Tiers',
  webhook: 'Webhook',
};

/** The programme-wide settings have one target each (`tiers:programme`), with no id worth showing. */
const SINGLETON_ID = 'programme';

export interface TargetParts {
  /** "Group", "Coupon book"…; empty when the kind is unknown. */
  kind: string;
  /** The id to show short, or undefined for a programme-wide setting. */
  id?: string;
}

/** Splits `group:6f1c…`; webhook actions record the endpoint's bare id. */
export function targetParts(target: string, action: string): TargetParts {
  const colon = target.indexOf(':');
  if (colon < 0) return { kind: action.startsWith('webhook.') ? 'Webhook' : '', id: target };
  const kind = target.slice(0, colon);
  const id = target.slice(colon + 1);
  return {
    kind: KIND_NAMES[kind] ?? kind,
    id: id === SINGLETON_ID ? undefined : id,
  };
}

/** `system:<x>` actors are the platform itself (the webhook dispatcher, say), not a person. */
export function isSystemActor(actorId: string): boolean {
  return actorId.startsWith('system:');
}

/** "System (webhook-dispatcher)" where the API gave no name for a system actor. */
export function systemActorName(actorId: string): string {
  return `System (${actorId.slice('system:'.length)})`;
}
