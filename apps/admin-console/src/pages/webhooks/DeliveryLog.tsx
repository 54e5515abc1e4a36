import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useAction, useApi, useResource } from '../../api/context';
import type { Delivery, DeliveryStatus, Page, WebhookEventType } from '../../api/types';
import { formatDate } from '../../ui/format';
import { Pager, query, useCursorPages } from '../../ui/Pager';
import { ErrorNotice, Loading, Success } from '../../ui/Status';
import { DELIVERY_STATUSES, EVENT_TYPES } from './events';

const PAGE_SIZE = 20;
/** How often the log is read again while a delivery on screen is PENDING. */
const LIVE_MS = 2000;

/** A retry's 202 answers, shown in place of their rows until the log is read again. */
interface Retried {
  page?: Page<Delivery>;
  rows: Record<string, Delivery>;
}

/** Which delivery, in words: there is no other name for it on screen. */
const deliveryName = (d: Delivery) => `${d.eventType} delivery of ${formatDate(d.createdAt)}`;

/**
 * One endpoint's deliveries, newest first, by status and event type, with a retry per delivery.
 * While a delivery on screen is PENDING the log is read again every `pollMs`, so a retry's
 * outcome shows up by itself; `onSettled` hears when none is PENDING any more (the endpoint's
 * "failing since" may have changed).
 */
export function DeliveryLog({
  webhookId,
  pollMs = LIVE_MS,
  onSettled,
}: {
  webhookId: string;
  pollMs?: number;
  onSettled?: () => void;
}) {
  const api = useApi();
  const id = useId();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [eventType, setEventType] = useState<WebhookEventType | ''>('');
  const pages = useCursorPages();
  const at = `/v1/admin/webhooks/${encodeURIComponent(webhookId)}/deliveries`;
  const path = `${at}${query({ status, eventType, limit: PAGE_SIZE, cursor: pages.cursor })}`;
  const [live, setLive] = useState(false);
  const log = useResource(
    useCallback(() => api.get<Page<Delivery>>(path), [api, path]),
    path,
    live ? pollMs : undefined,
  );
  const [retried, setRetried] = useState<Retried>({ rows: {} });
  const [done, setDone] = useState<string>();
  const retry = useAction(
    useCallback(
      (d: Delivery) => api.post<Delivery>(`${at}/${encodeURIComponent(d.deliveryId)}/retry`),
      [api, at],
    ),
  );

  const rows = log.data?.items.map((d) => (retried.page === log.data && retried.rows[d.deliveryId]) || d);
  const anyPending = !!rows?.some((d) => d.status === 'PENDING');
  if (anyPending !== live) setLive(anyPending);
  const wasLive = useRef(false);
  useEffect(() => {
    if (wasLive.current && !live) onSettled?.();
    wasLive.current = live;
  }, [live, onSettled]);

  function filter(change: () => void) {
    change();
    pages.reset();
    setDone(undefined);
  }

  async function retryNow(d: Delivery) {
    setDone(undefined);
    const answer = await retry.run(d);
    if (!answer) return;
    setRetried((r) => ({
      page: log.data,
      rows: { ...(r.page === log.data ? r.rows : {}), [answer.deliveryId]: answer },
    }));
    const leaves = status !== '' && status !== answer.status;
    setDone(
      `The ${deliveryName(d)} is being tried again now.` +
        (leaves ? ` It is no longer ${status}: choose All statuses to follow it.` : ''),
    );
  }

  const filtered = status !== '' || eventType !== '';
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Delivery log</h3>
      <form
        className="toolbar"
        role="search"
        aria-label="Filter deliveries"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => filter(() => setStatus(e.target.value as DeliveryStatus | ''))}
          >
            <option value="">All statuses</option>
            {Object.entries(DELIVERY_STATUSES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Event type</label>
          <select
            id={`${id}-type`}
            value={eventType}
            onChange={(e) => filter(() => setEventType(e.target.value as WebhookEventType | ''))}
          >
            <option value="">All event types</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={log.reload}>
          Refresh
        </button>
      </form>
      <ErrorNotice error={retry.error} title="The delivery was not retried." />
      {done && <Success>{done}</Success>}
      {log.loading && !log.data && <Loading what="deliveries" />}
      <ErrorNotice error={log.error} onRetry={log.reload} title="The deliveries could not be loaded." />
      {rows && rows.length === 0 && (
        <p className="muted">
          {filtered
            ? 'No deliveries match these filters.'
            : 'No deliveries yet: each event the endpoint subscribes to shows here, newest first.'}
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last status code</th>
                <th scope="col">Last error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.deliveryId}>
                  <td>
                    <code>{d.eventType}</code>
                  </td>
                  <td>
                    <span className={`badge badge-${d.status}`}>{d.status}</span>
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td>{d.lastStatusCode ?? '—'}</td>
                  <td className="reason">{d.lastError ?? '—'}</td>
                  <td>{formatDate(d.nextAttemptAt)}</td>
                  <td>{formatDate(d.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Retry the ${deliveryName(d)}`}
                      disabled={retry.pending}
                      onClick={() => void retryNow(d)}
                    >
                      Retry
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Deliveries"
        pageNumber={pages.pageNumber}
        nextCursor={log.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
      />
    </section>
  );
}
