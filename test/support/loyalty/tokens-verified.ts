import type { RpcService } from '@lib/contracts';
import type { RpcClient } from '@lib/messaging';
import { waitFor } from '@lib/testing';

/**
 * Waits until `service` verifies tokens: it answers UPSTREAM_UNAVAILABLE until it has read auth's
 * revocation list once, and startPlatformStack starts the services before auth, so their first
 * read fails and is tried again a moment after auth is up. `pattern` is any read the token may
 * make; its answer (or a refusal other than UPSTREAM_UNAVAILABLE) means tokens are being checked.
 */
export async function untilTokensVerified(
  rpc: RpcClient,
  service: RpcService,
  pattern: string,
  accessToken: string,
): Promise<void> {
  await waitFor(`${service} to read the token revocation list`, async () => {
    try {
      await rpc.send(service, pattern, { caller: { accessToken } });
      return true;
    } catch (err) {
      return (err as { code?: string }).code !== 'UPSTREAM_UNAVAILABLE';
    }
  });
}
