import { useCallback, useState } from 'react';
import { useAction, useApi } from '../../api/context';
import type { AuditVerification } from '../../api/types';
import { formatDate, plural } from '../../ui/format';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice } from '../../ui/Status';

/** Walks the audit log's hash chain on request (it reads every entry, so never on its own). */
export function ChainVerification() {
  const api = useApi();
  const [result, setResult] = useState<{ verification: AuditVerification; at: Date }>();
  const verify = useAction(
    useCallback(() => api.get<AuditVerification>('/v1/admin/audit-logs/verify'), [api]),
  );

  // The answer takes a while on a long log: the keyboard goes to it when it comes.
  const card = useFocusOnResult<HTMLElement>(result ?? verify.error);

  async function run() {
    setResult(undefined);
    const verification = await verify.run();
    if (verification) setResult({ verification, at: new Date() });
  }

  return (
    <section className="card" aria-labelledby="chain-verification" ref={card}>
      <h2 id="chain-verification">Chain verification</h2>
      <p className="muted">Recomputes every entry's hash and checks that each one links to the one before.</p>
      <div className="actions">
        <button type="button" onClick={() => void run()} disabled={verify.pending}>
          Verify the chain
        </button>
      </div>
      {verify.pending && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> Verifying the chain…
        </p>
      )}
      <ErrorNotice error={verify.error} onRetry={() => void run()} title="The chain could not be verified." />
      {result && <Outcome {...result} />}
    </section>
  );
}

function Outcome({ verification, at }: { verification: AuditVerification; at: Date }) {
  const { ok, checked, firstBrokenAuditId } = verification;
  return (
    <p role="status" className="chain-outcome">
      {ok ? (
        <>
          <span className="badge badge-ok">OK</span>{' '}
          <span>Chain intact: {plural(checked, 'entry', 'entries')} checked.</span>
        </>
      ) : (
        <>
          <span className="badge badge-broken">Broken</span>{' '}
          <span>
            Chain broken at entry {firstBrokenAuditId} ({plural(checked, 'entry', 'entries')} checked).
          </span>
        </>
      )}{' '}
      <span className="muted">
        Checked at <time dateTime={at.toISOString()}>{formatDate(at.toISOString())}</time>.
      </span>
    </p>
  );
}
