import { useState } from 'react';
import { ClientTable } from './api-clients/ClientTable';
import { CreateClientForm } from './api-clients/CreateClientForm';
import { SecretPanel } from './api-clients/SecretPanel';
import type { ShownSecret } from './api-clients/SecretPanel';

/**
 * API clients (tills, partners, back ends): the active ones with rotate / revoke, and a form for
 * a new one. A secret lives only in this page's state while its panel is open: closing the panel
 * or leaving the page drops it for good.
 */
export function ApiClientsPage() {
  const [version, setVersion] = useState(0);
  const [secret, setSecret] = useState<ShownSecret>();

  function hideSecret() {
    setSecret(undefined);
    document.getElementById('client-list')?.focus(); // the panel had the focus: back to the list
  }

  return (
    <>
      {secret && <SecretPanel key={secret.clientSecret} secret={secret} onClose={hideSecret} />}
      <ClientTable version={version} onRotated={setSecret} />
      <CreateClientForm
        onCreated={(client) => {
          setSecret({ clientId: client.clientId, name: client.name, clientSecret: client.clientSecret });
          setVersion((v) => v + 1);
        }}
      />
    </>
  );
}
