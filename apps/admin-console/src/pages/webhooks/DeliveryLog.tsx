import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useAction, useApi, useResource } from '../../api/context';
import type { Delivery, DeliveryStatus } from '../../api/types';
import { setSearch, useLocation } from '../../router';
import { useFocusOnResult } from '../../ui/focus';
import { formatDate, plural } from '../../ui/format';
import { Pager, query, useCursorPages } from '../../ui/Pager';
import type { Page } from '../../ui/Pager';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading, Success } from '../../ui/Status';
import { DELIVERY_STATUSES, EVENT_TYPES } from './events';

const PAGE_SIZE = 20;

/** The log's filters and page in the URL: `?deliveryStatus=&eventType=&deliveriesPage=&deliveriesCursor=`. */
const STATUS_KEY = 'deliveryStatus';
const TYPE_KEY = 'eventType';
const PAGER_NAME = 'deliveries';
/** The URL updates that show another endpoint's log from the start, unfiltered. */
export const DELIVERY_LOG_RESET = {
  [STATUS_KEY]: null,
  [TYPE_KEY]: null,
  [`${PAGER_NAME}Page`]: null,
  [`${PAGER_NAME}Cursor`]: null,
};

/** A filter's value from the URL, or '' (all) for one the log does not know. */
function knownOr<T extends string>(value: string | null, known: readonly T[]): T | '' {
  return value && (known as readonly string[]).includes(value) ? (value as T) : '';
}
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
  const { search } = useLocation();
  const status = knownOr(search.get(STATUS_KEY), Object.keys(DELIVERY_STATUSES) as DeliveryStatus[]);
  const eventType = knownOr(search.get(TYPE_KEY), EVENT_TYPES);
  const pages = useCursorPages(PAGER_NAME);
  const at = `/v1/admin/webhooks/${encodeURIComponent(webhookId)}/deliveries`;
  const path = `${at}${query({ status, eventType, limit: PAGE_SIZE, cursor: pages.cursor })}`;
  const [live, setLive] = useState(false);
  const log = useResource(
    useCallback(() => api.get<Page<Delivery>>(path), [api, path]),
    path,
    live ? pollMs : undefined,
  );
  const [retried, setRetried] = useState<Retried>({ rows: {} });
  const [done, setDone] = useState<{ text: string }>();
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

  // After a retry, the keyboard goes to what came of it.
  const resultRef = useFocusOnResult<HTMLDivElement>(done ?? retry.error);

  /** A new filter: a new history entry, from the first page. */
  function filter(key: string, value: string) {
    setSearch({ [key]: value, ...pages.resetUpdates });
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
    setDone({
      text:
        `The ${deliveryName(d)} is being tried again now, after ${plural(d.attempts, 'attempt')}.` +
        (leaves ? ` It is no longer ${status}: choose All statuses to follow it.` : ''),
    });
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
          <select id={`${id}-status`} value={status} onChange={(e) => filter(STATUS_KEY, e.target.value)}>
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
          <select id={`${id}-type`} value={eventType} onChange={(e) => filter(TYPE_KEY, e.target.value)}>
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
      <div ref={resultRef}>
        <ErrorNotice error={retry.error} title="The delivery was not retried." />
        {done && <Success>{done.text}</Success>}
      </div>
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
                <th scope="col">Actions</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last status code</th>
                <th scope="col">Last error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.deliveryId}>
                  <td className="actions-cell">
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
                  <td data-label="Event">
                    <span className="delivery-event">
                      <code>{d.eventType}</code>
                      <ShortId id={d.eventId} what="event id" />
                    </span>
                  </td>
                  <td data-label="Status">
                    <span className={`badge badge-${d.status}`}>{d.status}</span>
                  </td>
                  <td className="num" data-label="Attempts">
                    {d.attempts}
                  </td>
                  <td data-label="Last status code">{d.lastStatusCode ?? '—'}</td>
                  <td className="reason" data-label="Last error">
                    {d.lastError ?? '—'}
                  </td>
                  <td data-label="Next attempt">{formatDate(d.nextAttemptAt)}</td>
                  <td data-label="Created">{formatDate(d.createdAt)}</td>
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
        total={log.data?.total}
        pageSize={PAGE_SIZE}
        noun={['delivery', 'deliveries']}
      />
    </section>
  );
}
