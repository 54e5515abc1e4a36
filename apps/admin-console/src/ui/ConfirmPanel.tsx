import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/**
 * The second step of a write: what will happen, in words (`children`), then Confirm or Cancel.
 * Confirm takes the focus when the panel opens, so Enter confirms and Tab reaches Cancel.
 */
export function ConfirmPanel({
  label,
  confirmText,
  pendingText,
  pending,
  onConfirm,
  onCancel,
  children,
}: {
  label: string;
  confirmText: string;
  pendingText: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmButton.current?.focus(), []);
  return (
    <div className="card confirm" role="group" aria-label={label}>
      {children}
      <div className="actions">
        <button type="button" ref={confirmButton} disabled={pending} onClick={onConfirm}>
          {confirmText}
        </button>
        <button type="button" className="secondary" disabled={pending} onClick={onCancel}>
          Cancel
        </button>
        {pending && <span role="status">{pendingText}</span>}
      </div>
    </div>
  );
}
