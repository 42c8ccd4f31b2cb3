import { useState } from 'react';
import type { ActionKind, Complaint } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { useTransition } from '../api/queries';
import { ACTION_ORDER, ACTIONS, type ActionProps } from './actions';
import { TransitionError } from './TransitionError';

/**
 * The buttons and small forms for what the caller may do now. It shows exactly the actions the
 * server lists in the complaint's allowed_actions, in a fixed order; the server alone decides which
 * actions apply (e.g. a paused clock lists resume_clock and not pause_clock).
 */
export function ActionPanel({
  complaint,
  onDone,
  onFiles,
}: {
  complaint: Complaint;
  onDone?: (kind: ActionKind) => void;
  /** Files chosen with an action, to upload once the transition has succeeded. */
  onFiles?: (files: File[]) => void;
}) {
  const { t } = useI18n();
  const mutation = useTransition(complaint);
  const [lastKind, setLastKind] = useState<ActionKind | null>(null);

  const p: ActionProps = {
    complaint,
    mutation,
    run: (kind, body, files) => {
      setLastKind(kind);
      // The panel remounts with the new version, so report success from the promise, not a callback.
      mutation.mutateAsync(body).then(
        () => {
          onDone?.(kind);
          if (files && files.length > 0) onFiles?.(files);
        },
        () => undefined,
      );
    },
    error: (kind, ...fields) => (lastKind === kind ? serverFieldError(mutation.error, ...fields) : undefined),
    busy: (kind) => mutation.isPending && lastKind === kind,
  };

  const allowed = new Set(complaint.allowed_actions);
  const kinds = ACTION_ORDER.filter((kind) => allowed.has(kind));
  if (kinds.length === 0) return null;
  const fieldErr = mutation.error && lastKind ? Object.keys((mutation.error as { fieldErrors?: object }).fieldErrors ?? {}).length > 0 : false;
  return (
    <section className="card actions-panel" aria-labelledby="actions-title" data-testid="action-panel">
      <h2 id="actions-title">{t('complaint.actions')}</h2>
      {mutation.isError && !fieldErr && lastKind !== 'record_call' ? (
        <TransitionError error={mutation.error} complaintId={complaint.id} onReloaded={() => mutation.reset()} />
      ) : null}
      <div className="actions-grid">
        {kinds.map((kind) => {
          const Action = ACTIONS[kind];
          return <Action key={kind} {...p} />;
        })}
      </div>
    </section>
  );
}
