import { DomainError } from '@lib/errors';

/** 422: the URL's scheme or target is not allowed; `reason` says why and what to do instead. */
export function webhookUrlForbidden(reason: string): DomainError {
  return new DomainError('WEBHOOK_URL_FORBIDDEN', reason, {}, [{ field: 'url', message: reason }]);
}
