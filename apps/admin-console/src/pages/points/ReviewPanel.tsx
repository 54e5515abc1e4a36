import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { balanceChange, describeAdjustment, formatPoints } from './adjustment';
import type { Adjustment } from './adjustment';

/** "1,500 → 2,000", read as "1,500, after: 2,000". */
function BeforeAfter({ values: [before, after] }: { values: [number, number] }) {
  return (
    <>
      {formatPoints(before)} <span aria-hidden="true">→</span>
      <span className="visually-hidden">, after:</span> <strong>{formatPoints(after)}</strong>
    </>
  );
}

/** The adjustment in a sentence, the group's and the payer's points before and after, then Confirm. */
export function ReviewPanel({
  adjustment,
  group,
  balance,
  byPayer,
  pending,
  onConfirm,
  onCancel,
}: {
  adjustment: Adjustment;
  group: string;
  balance: number;
  byPayer: Record<string, number>;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const change = balanceChange(adjustment, balance, byPayer);
  return (
    <ConfirmPanel
      label="Adjustment to confirm"
      confirmText="Confirm adjustment"
      pendingText="Adjusting…"
      pending={pending}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        <strong>{describeAdjustment(adjustment, group)}</strong>
      </p>
      <dl className="facts">
        <dt>Group balance</dt>
        <dd data-testid="balance-change">
          <BeforeAfter values={change.group} />
        </dd>
        <dt>Payer {adjustment.payer}</dt>
        <dd data-testid="payer-change">
          <BeforeAfter values={change.payer} />
        </dd>
      </dl>
      <p className="muted">Reason: {adjustment.reason}</p>
    </ConfirmPanel>
  );
}
