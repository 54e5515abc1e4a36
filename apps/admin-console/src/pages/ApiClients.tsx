import { useState } from 'react';
import { revealRow } from '../ui/focus';
import { ClientTable, clientRowId } from './api-clients/ClientTable';
import { CreateClientForm } from './api-clients/CreateClientForm';
import { SecretPanel } from './api-clients/SecretPanel';
import type { ShownSecret } from './api-clients/SecretPanel';
import './api-clients/api-clients.css';

/**
 * API clients (tills, partners, back ends): a form for a new one, then the active ones with
 * rotate / revoke. A secret lives only in this page's state while its panel is open: closing the
 * panel or leaving the page drops it for good.
 */
export function ApiClientsPage() {
  const [version, setVersion] = useState(0);
  const [secret, setSecret] = useState<ShownSecret>();
  // A client just created: once its secret is put away, its row is scrolled to and marked.
  const [created, setCreated] = useState<string>();

  function hideSecret() {
    setSecret(undefined);
    document.getElementById('client-list')?.focus(); // the panel had the focus: back to the list
    if (created) revealRow(clientRowId(created));
    setCreated(undefined);
  }

  return (
    <>
      {secret && <SecretPanel key={secret.clientSecret} secret={secret} onClose={hideSecret} />}
      <CreateClientForm
        onCreated={(client) => {
          setSecret({ clientId: client.clientId, name: client.name, clientSecret: client.clientSecret });
          setCreated(client.clientId);
          setVersion((v) => v + 1);
        }}
      />
      <ClientTable version={version} onRotated={setSecret} />
    </>
  );
}
