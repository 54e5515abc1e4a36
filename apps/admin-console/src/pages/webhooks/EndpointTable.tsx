import { useCallback } from 'react';
import { useApi, useResource } from '../../api/context';
import type { Webhook } from '../../api/types';
import { formatDate } from '../../ui/format';
import { Pager, query, useCursorPages, useFirstPageOnChange } from '../../ui/Pager';
import type { Page } from '../../ui/Pager';
import { ErrorNotice, Loading } from '../../ui/Status';
import { EventList } from './EventList';
import { statusText } from './events';

const PAGE_SIZE = 20;

/** The row of an endpoint, for revealRow() after a create. */
export const endpointRowId = (webhookId: string) => `webhook-row-${webhookId}`;

/**
 * The webhook endpoints a page at a time, newest first (the page is in the URL); "Open" selects
 * one. `version` changes after a create, an edit or a delete.
 */
export function EndpointTable({
  version,
  selectedId,
  onOpen,
}: {
  version: number;
  selectedId?: string;
  onOpen: (webhookId: string) => void;
}) {
  const api = useApi();
  const pages = useCursorPages();
  const { reset } = pages;
  const path = `/v1/admin/webhooks${query({ limit: PAGE_SIZE, cursor: pages.cursor })}`;
  const list = useResource(
    useCallback(() => api.get<Page<Webhook>>(path), [api, path]),
    `${path}:${version}`,
  );
  useFirstPageOnChange(version, reset);

  return (
    <section className="card" aria-labelledby="webhook-list">
      <h2 id="webhook-list" tabIndex={-1}>
        Endpoints
      </h2>
      {list.loading && !list.data && <Loading what="webhook endpoints" />}
      <ErrorNotice error={list.error} onRetry={list.reload} title="The endpoints could not be loaded." />
      {list.data && list.data.items.length === 0 && (
        <p className="muted">No endpoints yet: add one above to send events to another system.</p>
      )}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Webhook endpoints">
            <thead>
              <tr>
                <th scope="col">Actions</th>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Failing since</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((w) => (
                <tr
                  key={w.webhookId}
                  id={endpointRowId(w.webhookId)}
                  aria-current={w.webhookId === selectedId ? 'true' : undefined}
                >
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Open ${w.url}`}
                      onClick={() => onOpen(w.webhookId)}
                    >
                      Open
                    </button>
                  </td>
                  <td className="webhook-url" data-label="URL">
                    <span>
                      <code>{w.url}</code>
                      {w.description && <small className="hint">{w.description}</small>}
                    </span>
                  </td>
                  <td data-label="Events">
                    <EventList events={w.events} />
                  </td>
                  <td data-label="Status">
                    <span className={`badge badge-${w.status}`}>{statusText(w)}</span>
                  </td>
                  <td data-label="Failing since">{formatDate(w.failingSince)}</td>
                  <td data-label="Created">{formatDate(w.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Endpoints"
        pageNumber={pages.pageNumber}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        total={list.data?.total}
        pageSize={PAGE_SIZE}
        noun={['endpoint', 'endpoints']}
      />
    </section>
  );
}
