import { useState } from 'react';
import { navigate, useLocation } from '../router';
import { Success } from '../ui/Status';
import { CreateEndpointForm } from './webhooks/CreateEndpointForm';
import { EndpointDetail } from './webhooks/EndpointDetail';
import { EndpointTable } from './webhooks/EndpointTable';
import { WebhookSecretPanel } from './webhooks/WebhookSecretPanel';
import type { ShownWebhookSecret } from './webhooks/WebhookSecretPanel';

function openEndpoint(webhookId: string) {
  navigate(`/webhooks?webhookId=${encodeURIComponent(webhookId)}`);
}

/**
 * Webhook endpoints: the list, the selected one (kept in the URL) with its delivery log, and a form
 * for a new one. A signing secret lives only in this page's state while its panel is open: closing
 * the panel or leaving the page drops it for good.
 */
export function WebhooksPage({ pollMs }: { pollMs?: number }) {
  const { search } = useLocation();
  const webhookId = search.get('webhookId') ?? undefined;
  const [version, setVersion] = useState(0);
  const [secret, setSecret] = useState<ShownWebhookSecret>();
  const [deleted, setDeleted] = useState<string>();
  const listChanged = () => setVersion((v) => v + 1);

  function hideSecret() {
    setSecret(undefined);
    document.getElementById('webhook-list')?.focus(); // the panel had the focus: back to the list
  }

  return (
    <>
      {secret && <WebhookSecretPanel key={secret.secret} shown={secret} onClose={hideSecret} />}
      {deleted && <Success>{deleted}</Success>}
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
          onDeleted={(webhook) => {
            setDeleted(`Deleted ${webhook.url}, with its delivery log.`);
            listChanged();
            navigate('/webhooks');
            document.getElementById('webhook-list')?.focus(); // its panel, which had the focus, is gone
          }}
        />
      )}
      <CreateEndpointForm
        onCreated={(created) => {
          setDeleted(undefined);
          setSecret({ url: created.url, secret: created.secret });
          listChanged();
        }}
      />
    </>
  );
}
