import { useState } from 'react';
import { setSearch, useLocation } from '../router';
import { revealRow, useFocusOnResult } from '../ui/focus';
import { Success } from '../ui/Status';
import { CreateEndpointForm } from './webhooks/CreateEndpointForm';
import { EndpointDetail } from './webhooks/EndpointDetail';
import { endpointRowId, EndpointTable } from './webhooks/EndpointTable';
import { WebhookSecretPanel } from './webhooks/WebhookSecretPanel';
import type { ShownWebhookSecret } from './webhooks/WebhookSecretPanel';
import { DELIVERY_LOG_RESET } from './webhooks/DeliveryLog';
import './webhooks/webhooks.css';

/** Selects an endpoint (in the URL: Back, a reload and a link show it), its log from the start. */
function openEndpoint(webhookId: string | null) {
  setSearch({ webhookId, ...DELIVERY_LOG_RESET });
}

/**
 * Webhook endpoints: a form for a new one (opened on demand, above the list), the list, and the
 * selected one (kept in the URL) with its delivery log. A signing secret lives only in this
 * page's state while its panel is open: closing the panel or leaving the page drops it for good.
 */
export function WebhooksPage({ pollMs }: { pollMs?: number }) {
  const { search } = useLocation();
  const webhookId = search.get('webhookId') ?? undefined;
  const [version, setVersion] = useState(0);
  const [secret, setSecret] = useState<ShownWebhookSecret>();
  const [deleted, setDeleted] = useState<{ text: string }>();
  const deletedRef = useFocusOnResult<HTMLDivElement>(deleted);
  const listChanged = () => setVersion((v) => v + 1);

  function hideSecret() {
    const created = secret?.webhookId;
    setSecret(undefined);
    // The panel had the focus: back to the list, where the new endpoint is first and marked.
    document.getElementById('webhook-list')?.focus();
    if (created) revealRow(endpointRowId(created));
  }

  return (
    <>
      {secret && <WebhookSecretPanel key={secret.secret} shown={secret} onClose={hideSecret} />}
      <div ref={deletedRef}>{deleted && <Success>{deleted.text}</Success>}</div>
      <CreateEndpointForm
        onCreated={(created) => {
          setDeleted(undefined);
          setSecret({ webhookId: created.webhookId, url: created.url, secret: created.secret });
          listChanged();
        }}
      />
      <EndpointTable
        version={version}
        selectedId={webhookId}
        onOpen={(id) => {
          setDeleted(undefined);
          openEndpoint(id);
        }}
      />
      {webhookId && (
        <EndpointDetail
          key={webhookId}
          webhookId={webhookId}
          pollMs={pollMs}
          onChanged={listChanged}
          onClose={() => openEndpoint(null)}
          onDeleted={(webhook) => {
            setDeleted({ text: `Deleted ${webhook.url}, with its delivery log.` });
            listChanged();
            openEndpoint(null);
          }}
        />
      )}
    </>
  );
}
